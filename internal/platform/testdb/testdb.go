// Package testdb gives each test its own migrated database: an SQLite file
// by default, or a fresh PostgreSQL schema when TEST_DATABASE_URL is set.
// Tests using it may run in parallel.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/solodestination/api/internal/platform/database"
)

// EnvURL names the variable that selects PostgreSQL for tests.
const EnvURL = "TEST_DATABASE_URL"

// Extensions are created once per PostgreSQL database, in schema public, so
// per-test schemas can be dropped without taking shared extensions along.
var Extensions = []string{"pg_trgm", "unaccent"}

// DB is a test database with a statement counter.
type DB struct {
	*database.DB
	Queries *database.QueryCounter
	// URL connects to this database on PostgreSQL (its schema first on the
	// search path); empty on SQLite.
	URL string
}

// New returns an empty, migrated database owned by t and removed after it.
func New(t testing.TB) DB {
	t.Helper()
	var (
		db  *database.DB
		dsn string
		err error
	)
	if url := os.Getenv(EnvURL); url != "" {
		db, dsn, err = newPostgres(t, url)
	} else {
		db, err = newSQLite(t)
	}
	if err != nil {
		t.Fatalf("test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	q, err := database.CountQueries(db.DB)
	if err != nil {
		t.Fatal(err)
	}
	return DB{DB: db, Queries: q, URL: dsn}
}

// IsPostgres reports whether tests run against PostgreSQL.
func IsPostgres() bool { return os.Getenv(EnvURL) != "" }

var (
	sqliteOnce     sync.Once
	sqliteTemplate string
	sqliteErr      error
)

// newSQLite copies a database migrated once per test binary, which is much
// faster than migrating for every test.
func newSQLite(t testing.TB) (*database.DB, error) {
	sqliteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "solo-testdb-")
		if err != nil {
			sqliteErr = err
			return
		}
		ctx := context.Background()
		db, err := database.Open(ctx, database.Options{DataDir: dir})
		if err != nil {
			sqliteErr = err
			return
		}
		if sqliteErr = db.Migrate(ctx, nil); sqliteErr != nil {
			return
		}
		// Fold the WAL into the main file so one file is the whole database.
		if sqliteErr = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; sqliteErr != nil {
			return
		}
		sqliteErr = db.Close()
		sqliteTemplate = filepath.Join(dir, database.SQLiteFile)
	})
	if sqliteErr != nil {
		return nil, sqliteErr
	}
	dir := t.TempDir()
	if err := copyFile(sqliteTemplate, filepath.Join(dir, database.SQLiteFile)); err != nil {
		return nil, err
	}
	return database.Open(context.Background(), database.Options{DataDir: dir, MaxConns: 4})
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// Unmigrated creates an empty database for t and returns a function that
// opens a new, independent connection pool to it each time it is called, as
// separate processes would. Nothing is migrated.
func Unmigrated(t testing.TB) func() *database.DB {
	t.Helper()
	ctx := context.Background()
	opts := database.Options{DataDir: t.TempDir(), MaxConns: 4}
	if raw := os.Getenv(EnvURL); raw != "" {
		admin, err := database.Open(ctx, database.Options{URL: raw, MaxConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		schema := "t_" + randomHex(8)
		if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
		if opts.URL, err = withSearchPath(raw, schema); err != nil {
			t.Fatal(err)
		}
	}
	return func() *database.DB {
		db, err := database.Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

func withSearchPath(rawURL, schema string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

var (
	extOnce sync.Once
	extErr  error
)

func newPostgres(t testing.TB, rawURL string) (*database.DB, string, error) {
	ctx := context.Background()
	admin, err := database.Open(ctx, database.Options{URL: rawURL, MaxConns: 2})
	if err != nil {
		return nil, "", err
	}
	defer admin.Close()
	extOnce.Do(func() { extErr = createExtensions(ctx, admin) })
	if extErr != nil {
		return nil, "", extErr
	}

	schema := "t_" + randomHex(8)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		return nil, "", err
	}
	t.Cleanup(func() {
		cleanup, err := database.Open(context.Background(), database.Options{URL: rawURL, MaxConns: 1})
		if err == nil {
			cleanup.Exec("DROP SCHEMA " + schema + " CASCADE")
			cleanup.Close()
		}
	})

	dsn, err := withSearchPath(rawURL, schema)
	if err != nil {
		return nil, "", err
	}
	db, err := database.Open(ctx, database.Options{URL: dsn, MaxConns: 8})
	if err != nil {
		return nil, "", err
	}
	// A lock per schema, so parallel tests do not queue for one another.
	h := fnv.New64a()
	h.Write([]byte(schema))
	if err := db.MigrateWithLockID(ctx, nil, int64(h.Sum64()>>1)); err != nil {
		db.Close()
		return nil, "", err
	}
	return db, dsn, nil
}

// createExtensions runs under an advisory lock because test binaries of
// several packages start at once and CREATE EXTENSION is not race-safe.
func createExtensions(ctx context.Context, db *database.DB) error {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7100001)"); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(7100001)")
	for _, ext := range Extensions {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA public", ext)); err != nil {
			return fmt.Errorf("create extension %s: %w", ext, err)
		}
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
