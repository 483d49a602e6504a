//go:build unix

package database

import (
	"os"
	"path/filepath"
	"syscall"
)

// lockSQLiteMigrations takes an exclusive file lock beside the SQLite file so
// two processes started on one DATA_DIR migrate one after the other.
func lockSQLiteMigrations(dataFile string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(filepath.Dir(dataFile), ".migrate.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
