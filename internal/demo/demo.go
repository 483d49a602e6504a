// Package demo loads the Surakarta demo data set into an empty database.
// Each domain contributes a named Seeder; a seeder runs once per database,
// recorded in seed_runs in the same transaction, so restarts and replicas
// starting together never seed twice.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
)

// Seeder adds one domain's demo content inside tx.
type Seeder struct {
	Name string
	Run  func(ctx context.Context, tx *gorm.DB) error
}

type seedRun struct {
	Name  string `gorm:"primaryKey"`
	RanAt time.Time
}

func (seedRun) TableName() string { return "seed_runs" }

// Seed runs every seeder that has not run on db yet, in order.
func Seed(ctx context.Context, db *database.DB, log *slog.Logger, seeders ...Seeder) error {
	for _, s := range seeders {
		ran := false
		err := db.InTx(ctx, func(tx *gorm.DB) error {
			var n int64
			if err := tx.Model(&seedRun{}).Where("name = ?", s.Name).Count(&n).Error; err != nil || n > 0 {
				return err
			}
			// Claim the name first: a concurrent seeder then fails on the
			// primary key and rolls back instead of seeding twice.
			if err := tx.Create(&seedRun{Name: s.Name, RanAt: time.Now().UTC()}).Error; err != nil {
				return err
			}
			ran = true
			return s.Run(ctx, tx)
		})
		if database.IsDuplicate(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("seed %s: %w", s.Name, err)
		}
		if ran && log != nil {
			log.Info("demo content loaded", "seeder", s.Name)
		}
	}
	return nil
}
