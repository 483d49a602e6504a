package database

import (
	"context"
	"io/fs"
)

// MigrateFSForTest applies the migrations in dir up to version upTo (0: all)
// under the advisory lock lockID.
func (d *DB) MigrateFSForTest(ctx context.Context, lockID int64, dir fs.FS, upTo int64) error {
	return d.migrateFS(ctx, nil, lockID, dir, upTo)
}

// MigrationDirForTest is the embedded migrations of d's dialect.
func (d *DB) MigrationDirForTest() (fs.FS, error) { return d.migrationDir() }

// MigrationFiles is the embedded migrations of every dialect.
var MigrationFiles = migrationFiles
