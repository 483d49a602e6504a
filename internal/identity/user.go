package identity

import (
	"time"

	"github.com/google/uuid"
)

// user is an account as the domain sees it.
type user struct {
	ID            uuid.UUID
	Email         string
	PasswordHash  string
	Name          string
	Phone         string
	PreferredLang Lang
	Role          Role
	Department    Department
	Disabled      bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (u user) actor() Actor {
	return Actor{ID: u.ID, Email: u.Email, Role: u.Role, Department: u.Department}
}
