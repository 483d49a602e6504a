package database_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// WithPgx hands out a pgx connection of the pool on PostgreSQL, counted as
// a statement like the rest, and declines SQLite and transactions, whose
// statements must stay on their own connection.
func TestWithPgxRunsOnThePoolOnly(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	answer := func(c *pgx.Conn) (n int, err error) {
		return n, c.QueryRow(ctx, "SELECT $1::int + 1", 41).Scan(&n)
	}

	var got int
	db.Queries.Reset()
	ok, err := database.WithPgx(ctx, db.DB.PublicRead(ctx), func(c *pgx.Conn) (err error) {
		got, err = answer(c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if ok != testdb.IsPostgres() {
		t.Fatalf("WithPgx ran = %v on %s", ok, db.DB.Dialect)
	}
	if ok && (got != 42 || db.Queries.Count() != 1) {
		t.Fatalf("got %d with %d statements counted, want 42 and 1", got, db.Queries.Count())
	}

	err = db.DB.InTx(ctx, func(tx *gorm.DB) error {
		ok, err := database.WithPgx(ctx, tx, func(*pgx.Conn) error { return nil })
		if ok {
			t.Error("WithPgx ran outside the transaction it was given")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
