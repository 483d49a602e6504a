package identity

import (
	"context"
	"fmt"

	"github.com/google/uuid"
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

// DemoAccounts has one account per role and per staff department, and two
// group organisers whose bookings fill the demo's Werkudara departures.
var DemoAccounts = []DemoAccount{
	{"admin@example.com", "Demo Administrator", RoleAdmin, ""},
	{"user@example.com", "Sari Wulandari", RoleUser, ""},
	{"tours@example.com", "Nusantara Tours (rombongan wisata)", RoleUser, ""},
	{"school@example.com", "SMA Negeri 1 Klaten (study tour)", RoleUser, ""},
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

// DemoAccountID is the id of a demo account, read inside the seeding
// transaction tx, so other domains' demo content (bookings, reviews) can
// belong to it without reading the users table themselves.
func (s *Service) DemoAccountID(ctx context.Context, tx *gorm.DB, email string) (uuid.UUID, error) {
	u, found, err := store{db: tx}.userByEmail(ctx, email)
	if err != nil {
		return uuid.Nil, err
	}
	if !found {
		return uuid.Nil, fmt.Errorf("demo account %s does not exist", email)
	}
	return u.ID, nil
}
