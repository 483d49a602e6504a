package identity

import (
	"context"

	"gorm.io/gorm"
)

// DemoPassword is the password of every demo account. It is published in the
// README, which is why demo seeding is refused in production.
const DemoPassword = "solo-demo-2026"

// DemoAccount is one account of the demo data set.
type DemoAccount struct {
	Email      string
	Name       string
	Role       Role
	Department Department
}

// DemoAccounts has one account per role and per staff department.
var DemoAccounts = []DemoAccount{
	{"admin@example.com", "Demo Administrator", RoleAdmin, ""},
	{"user@example.com", "Sari Wulandari", RoleUser, ""},
	{"tourism@example.com", "Budi Santoso (Dinas Pariwisata)", RoleStaff, DeptTourism},
	{"transport@example.com", "Rina Astuti (Dinas Perhubungan)", RoleStaff, DeptTransport},
	{"revenue@example.com", "Agus Prasetyo (Bapenda)", RoleStaff, DeptRevenue},
	{"licensing@example.com", "Dewi Lestari (DPMPTSP)", RoleStaff, DeptLicensing},
}

// SeedDemo creates the demo accounts inside tx.
func (s *Service) SeedDemo(ctx context.Context, tx *gorm.DB) error {
	st := store{db: tx}
	for _, a := range DemoAccounts {
		in := Registration{Email: a.Email, Password: DemoPassword, Name: a.Name}
		if _, err := s.createAccount(ctx, st, in, a.Role, a.Department); err != nil {
			return err
		}
	}
	return nil
}
