package apitest

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/identity"
)

// Password is the password of every account the helpers create.
const Password = "correct-horse-battery"

var seq atomic.Int64

// User registers and logs in a new account with the user role.
func (a *API) User(name string) Actor {
	a.T.Helper()
	email := fmt.Sprintf("%s-%d@example.org", strings.ToLower(name), seq.Add(1))
	a.Send(http.MethodPost, "/api/v1/auth/register", map[string]any{
		"email": email, "password": Password, "name": name,
	}, Anonymous).Expect(http.StatusCreated)
	return a.Login(email, Password)
}

// Staff returns a logged-in staff member of dept.
func (a *API) Staff(dept identity.Department) Actor {
	a.T.Helper()
	return a.withRole(string(dept), identity.RoleStaff, dept)
}

// Admin returns a logged-in administrator.
func (a *API) Admin() Actor {
	a.T.Helper()
	return a.withRole("admin", identity.RoleAdmin, "")
}

// withRole registers an account and grants the role directly in the
// database, the way an administrator's change would leave it.
func (a *API) withRole(name string, role identity.Role, dept identity.Department) Actor {
	a.T.Helper()
	u := a.User(name)
	var deptVal any
	if dept != "" {
		deptVal = string(dept)
	}
	err := a.DB.Exec("UPDATE users SET role = ?, department = ? WHERE id = ?", string(role), deptVal, u.ID).Error
	if err != nil {
		a.T.Fatal(err)
	}
	return u
}

// Login logs an existing account in.
func (a *API) Login(email, password string) Actor {
	a.T.Helper()
	var out struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		User         struct {
			ID uuid.UUID `json:"id"`
		} `json:"user"`
	}
	a.Send(http.MethodPost, "/api/v1/auth/login", map[string]any{"email": email, "password": password}, Anonymous).
		Expect(http.StatusOK).JSON(&out)
	return Actor{ID: out.User.ID, Email: email, Token: out.AccessToken, RefreshToken: out.RefreshToken}
}
