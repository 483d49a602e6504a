package database

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// RiverSchemaVersion is the version of River's own schema (river_job,
// river_leader, …) that Migrate brings the database to: the newest one of
// the pinned River release. Raising it is a deliberate step taken with a
// River upgrade, never a side effect of one.
const RiverSchemaVersion = 8

// migrateRiver applies the job queue's migrations (internal/platform/jobs)
// with River's own migrator, which keeps its versions in river_migration,
// apart from goose's; it runs after ours, in transactions serialised across
// replicas: on PostgreSQL by the migration advisory lock, on SQLite by the
// write lock BEGIN IMMEDIATE takes. PostgreSQL refuses to use an enum value
// in the transaction that added it (River's version 4 adds one, version 6
// uses it), so there the versions are applied in steps that each commit.
func (d *DB) migrateRiver(ctx context.Context, log *slog.Logger, lockID int64) error {
	steps := []int{RiverSchemaVersion}
	driver := riverdriver.Driver[*sql.Tx](riversqlite.New(nil))
	if d.Dialect == Postgres {
		steps = []int{riverEnumStep, RiverSchemaVersion}
		driver = riverdatabasesql.New(nil)
	}
	m := riverMigrator(driver)
	for _, target := range steps {
		if err := d.riverStep(ctx, log, m, lockID, target); err != nil {
			return fmt.Errorf("migrate job queue: %w", err)
		}
	}
	return nil
}

// riverEnumStep is the River version after which PostgreSQL must commit
// before going on (see migrateRiver).
const riverEnumStep = 4

func (d *DB) riverStep(ctx context.Context, log *slog.Logger, m *rivermigrate.Migrator[*sql.Tx], lockID int64, target int) error {
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	if d.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", lockID); err != nil {
			return err
		}
	}
	res, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: target})
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, v := range res.Versions {
		if log != nil {
			log.Info("job queue migration applied", "version", v.Version, "name", v.Name, "took", v.Duration)
		}
	}
	return nil
}

// riverMigrator returns River's migrator over driver; both of ours work on
// *sql.Tx, so the migrations run inside our transaction.
func riverMigrator(driver riverdriver.Driver[*sql.Tx]) *rivermigrate.Migrator[*sql.Tx] {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(err) // only a bad Config fails, and this one is fixed
	}
	return m
}
