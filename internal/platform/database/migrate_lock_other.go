//go:build !unix

package database

// lockSQLiteMigrations is a no-op where flock is unavailable; run one
// process per DATA_DIR there.
func lockSQLiteMigrations(string) (func(), error) { return func() {}, nil }
