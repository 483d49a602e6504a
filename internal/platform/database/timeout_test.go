package database_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// A transaction under a deadline makes PostgreSQL stop its statements at that
// deadline even if the client cannot cancel them (a partition); work without
// a deadline, such as migrations and seeding, stays unlimited.
func TestTransactionsUnderDeadlineCarryStatementTimeout(t *testing.T) {
	t.Parallel()
	if !testdb.IsPostgres() {
		t.Skip("statement_timeout is PostgreSQL's")
	}
	db := testdb.New(t)
	show := func(ctx context.Context) string {
		var v string
		if err := db.InTx(ctx, func(tx *gorm.DB) error { return tx.Raw("SHOW statement_timeout").Scan(&v).Error }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if got := show(ctx); !strings.HasSuffix(got, "ms") && got != "2s" {
		t.Fatalf("statement_timeout under a 2s deadline = %q", got)
	}
	if got := show(context.Background()); got != "0" {
		t.Fatalf("statement_timeout without a deadline = %q, want 0 (none)", got)
	}

	// The limit is the server's: a statement longer than the deadline stops
	// there even when the client would wait.
	short, cancelShort := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelShort()
	start := time.Now()
	err := db.InTx(short, func(tx *gorm.DB) error { return tx.WithContext(context.Background()).Exec("SELECT pg_sleep(5)").Error })
	if err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("a 5 s statement under a 300 ms deadline: err %v after %v", err, time.Since(start))
	}
}

// A new connection into a partition gives up after the connect timeout
// instead of hanging for as long as the partition lasts.
func TestConnectTimeoutBoundsDialsIntoAPartition(t *testing.T) {
	t.Parallel()
	raw := os.Getenv(testdb.EnvURL)
	if raw == "" {
		t.Skip("dialling is PostgreSQL's")
	}
	proxy := testdb.NewFaultProxy(t, raw)
	proxy.Blackhole()
	start := time.Now()
	opened := make(chan error, 1)
	go func() {
		db, err := database.Open(context.Background(), database.Options{URL: proxy.URL(raw), ConnectTimeout: time.Second})
		if err == nil {
			db.Close()
		}
		opened <- err
	}()
	var err error
	select {
	case err = <-opened:
	case <-time.After(5 * time.Second):
		t.Fatal("opening a database behind a partition hangs")
	}
	if err == nil {
		t.Fatal("opened a database behind a partition")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("gave up after %v, want about 1s", took)
	}
	if !database.IsUnavailable(err) {
		t.Errorf("%v is not classified unavailable", err)
	}
}

// Connections run without parallel workers, which run ahead of a page's
// LIMIT (see parallelWorkers); a URL that chooses otherwise keeps its choice.
func TestConnectionsRunWithoutParallelWorkers(t *testing.T) {
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL)")
	}
	ctx := context.Background()
	show := func(url string) string {
		t.Helper()
		db, err := database.Open(ctx, database.Options{URL: url, MaxConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v string
		if err := db.Raw("SHOW max_parallel_workers_per_gather").Scan(&v).Error; err != nil {
			t.Fatal(err)
		}
		// The pgx connections of hot reads come from the same pool.
		var viaPgx string
		if _, err := database.WithPgx(ctx, db.DB, func(c *pgx.Conn) error {
			return c.QueryRow(ctx, "SHOW max_parallel_workers_per_gather").Scan(&viaPgx)
		}); err != nil {
			t.Fatal(err)
		}
		if viaPgx != v {
			t.Fatalf("pgx connection: %q, pool: %q", viaPgx, v)
		}
		return v
	}
	if got := show(raw); got != "0" {
		t.Fatalf("max_parallel_workers_per_gather = %q, want 0", got)
	}
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
	}
	if got := show(raw + sep + "max_parallel_workers_per_gather=1"); got != "1" {
		t.Fatalf("with the URL's own setting: %q, want 1", got)
	}
}
