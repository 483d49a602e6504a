package database

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations are versioned by the UTC time they were written,
// YYYYMMDDHHMMSS_<domain>_<change>.sql (what `goose create <name> sql` writes, or by hand),
// with the same file name under postgres/ and sqlite/. Domains developed in
// parallel therefore never claim the same number, and a migration merged
// after a later one has already run is still applied (out of order). So a
// migration must not depend on another domain's unmerged migrations. Only
// 00001–00004 keep the sequential numbers they were released with, so
// existing databases need no rewrite of their version table. See
// migrations/README.md.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFiles embed.FS

// MigrationLockID is the PostgreSQL advisory lock that serialises migrations,
// so replicas starting together migrate once and the others wait.
const MigrationLockID int64 = 0x50_4c_4f_53 // "SOLO"

// Migrate applies every pending migration. On PostgreSQL it holds a session
// advisory lock for the duration, so concurrent starts are safe.
func (d *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	return d.migrate(ctx, log, MigrationLockID)
}

func (d *DB) migrate(ctx context.Context, log *slog.Logger, lockID int64) error {
	dir, err := d.migrationDir()
	if err != nil {
		return err
	}
	if err := d.migrateFS(ctx, log, lockID, dir, 0); err != nil {
		return err
	}
	return d.migrateRiver(ctx, log, lockID)
}

// migrationDir is the embedded migrations of d's dialect.
func (d *DB) migrationDir() (fs.FS, error) {
	return fs.Sub(migrationFiles, "migrations/"+string(d.Dialect))
}

// migrateFS applies the migrations in dir, up to version upTo (0: all).
func (d *DB) migrateFS(ctx context.Context, log *slog.Logger, lockID int64, dir fs.FS, upTo int64) error {
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true)}
	dialect := goose.DialectSQLite3
	if d.Dialect == SQLite {
		var file string
		if err := d.SQL.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
			return err
		}
		unlock, err := lockSQLiteMigrations(file)
		if err != nil {
			return fmt.Errorf("lock migrations: %w", err)
		}
		defer unlock()
	}
	if d.Dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, d.SQL, dir, opts...)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	var results []*goose.MigrationResult
	if upTo > 0 {
		results, err = p.UpTo(ctx, upTo)
	} else {
		results, err = p.Up(ctx)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		if log != nil {
			log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
		}
	}
	return nil
}

// MigrateWithLockID is Migrate with a caller-chosen advisory lock, so tests
// that each own a schema do not queue behind one another.
func (d *DB) MigrateWithLockID(ctx context.Context, log *slog.Logger, lockID int64) error {
	return d.migrate(ctx, log, lockID)
}
