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
// apart from goose's; it runs after ours. On PostgreSQL each River version
// commits on its own (one adds an enum value the next uses, which PostgreSQL
// refuses in one transaction), so replicas starting together are serialised
// by the migration advisory lock held on a connection of its own (the pool
// needs two). On SQLite the whole run is one transaction, serialised by the
// write lock BEGIN IMMEDIATE takes.
func (d *DB) migrateRiver(ctx context.Context, log *slog.Logger, lockID int64) error {
	opts := &rivermigrate.MigrateOpts{TargetVersion: RiverSchemaVersion}
	var res *rivermigrate.MigrateResult
	if d.Dialect == Postgres {
		conn, err := d.SQL.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockID) //nolint:errcheck // closing the session releases it too
		if res, err = riverMigrator(riverdatabasesql.New(d.SQL)).Migrate(ctx, rivermigrate.DirectionUp, opts); err != nil {
			return fmt.Errorf("migrate job queue: %w", err)
		}
	} else {
		tx, err := d.SQL.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
		if res, err = riverMigrator(riversqlite.New(nil)).MigrateTx(ctx, tx, rivermigrate.DirectionUp, opts); err != nil {
			return fmt.Errorf("migrate job queue: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
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
