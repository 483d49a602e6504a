// Package identity owns accounts, roles and departments, password and token
// handling, and the Actor that every other domain reads from the context.
package identity

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Role is what an account may do across the platform.
type Role string

const (
	RoleUser  Role = "user"
	RoleStaff Role = "staff"
	RoleAdmin Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleUser || r == RoleStaff || r == RoleAdmin }

// UnmarshalJSON rejects unknown roles while decoding, so they are a 400.
func (r *Role) UnmarshalJSON(b []byte) error {
	return unmarshalEnum(b, (*string)(r), "role", func(s string) bool { return Role(s).Valid() })
}

// Department is the city department a staff member works for; it decides
// which data they manage.
type Department string

const (
	DeptTourism   Department = "tourism"
	DeptTransport Department = "transport"
	DeptRevenue   Department = "revenue"
	DeptLicensing Department = "licensing"
)

// Departments lists every department, in display order.
var Departments = []Department{DeptTourism, DeptTransport, DeptRevenue, DeptLicensing}

// Valid reports whether d is a known department.
func (d Department) Valid() bool {
	for _, k := range Departments {
		if d == k {
			return true
		}
	}
	return false
}

// UnmarshalJSON rejects unknown departments while decoding, so they are a 400.
func (d *Department) UnmarshalJSON(b []byte) error {
	return unmarshalEnum(b, (*string)(d), "department", func(s string) bool { return Department(s).Valid() })
}

// Lang is a content language the API speaks.
type Lang string

const (
	LangID Lang = "id"
	LangEN Lang = "en"
)

// Valid reports whether l is a supported language.
func (l Lang) Valid() bool { return l == LangID || l == LangEN }

// UnmarshalJSON rejects unknown languages while decoding, so they are a 400.
func (l *Lang) UnmarshalJSON(b []byte) error {
	return unmarshalEnum(b, (*string)(l), "preferred_lang", func(s string) bool { return Lang(s).Valid() })
}

func unmarshalEnum(b []byte, dst *string, field string, valid func(string) bool) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return apperr.BadRequest(fmt.Sprintf("Field %q must be a string.", field))
	}
	if !valid(s) {
		return apperr.BadRequest(fmt.Sprintf("Field %q has the unknown value %q.", field, s))
	}
	*dst = s
	return nil
}

// Actor is the authenticated caller of a request, as the database says now
// (not as an older token claimed).
type Actor struct {
	ID         uuid.UUID
	Email      string
	Role       Role
	Department Department
}

// Anonymous reports whether no one is logged in.
func (a Actor) Anonymous() bool { return a.ID == uuid.Nil }

// IsAdmin reports whether the actor is a platform administrator.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// IsStaffOf reports whether the actor may manage what dept owns; admins may
// manage everything.
func (a Actor) IsStaffOf(dept Department) bool {
	return a.Role == RoleAdmin || (a.Role == RoleStaff && a.Department == dept)
}
