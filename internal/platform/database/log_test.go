package database_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// A failing statement is logged with its SQL but never with the values bound
// to it: they are e-mail addresses, names, phone numbers and password hashes.
func TestFailedStatementsAreLoggedWithoutValues(t *testing.T) {
	t.Parallel()
	var (
		mu  sync.Mutex
		buf bytes.Buffer
	)
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	db, err := database.Open(context.Background(), database.Options{
		URL: os.Getenv(testdb.EnvURL), DataDir: t.TempDir(), Logger: log, MaxConns: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	const secret = "citizen-secret-0812345678"
	if err := db.Exec("INSERT INTO no_such_table (email, phone) VALUES (?, ?)", secret+"@example.org", secret).Error; err == nil {
		t.Fatal("insert into a missing table succeeded")
	}
	if db.Dialect == database.Postgres {
		// PostgreSQL refuses NUL in text, the way a hostile form value fails.
		if err := db.Exec("SELECT CAST(? AS text)", secret+"\x00").Error; err == nil {
			t.Fatal("NUL in text accepted")
		}
	}

	mu.Lock()
	logged := buf.String()
	mu.Unlock()
	if !strings.Contains(logged, "no_such_table") {
		t.Fatalf("the failed statement was not logged:\n%s", logged)
	}
	if strings.Contains(logged, secret) {
		t.Fatalf("a bound value reached the log:\n%s", logged)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A failed multi-row statement is logged cut short: its text is mostly
// placeholders, and a log line must stay a line whatever the batch size.
func TestLoggedStatementsAreBounded(t *testing.T) {
	t.Parallel()
	var (
		mu  sync.Mutex
		buf bytes.Buffer
	)
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	db, err := database.Open(context.Background(), database.Options{
		URL: os.Getenv(testdb.EnvURL), DataDir: t.TempDir(), Logger: log, MaxConns: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	rows := strings.Repeat("(?, ?),", 2000)
	args := make([]any, 0, 4000)
	for i := range 4000 {
		args = append(args, i)
	}
	if err := db.Exec("INSERT INTO no_such_table (a, b) VALUES "+rows[:len(rows)-1], args...).Error; err == nil {
		t.Fatal("insert into a missing table succeeded")
	}
	mu.Lock()
	logged := buf.String()
	mu.Unlock()
	if !strings.Contains(logged, "no_such_table") || !strings.Contains(logged, "bytes)") {
		t.Fatalf("the statement was not logged cut short:\n%.500s", logged)
	}
	if len(logged) > 4000 {
		t.Fatalf("a %d-byte log line for one statement", len(logged))
	}
}
