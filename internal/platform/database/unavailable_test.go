package database_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/solodestination/api/internal/platform/database"
)

func TestIsUnavailable(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("list attractions: %w", err) }
	for _, code := range []string{"08006", "08001", "53300", "57P01", "57P02", "57P03", "25006", "57014"} {
		if !database.IsUnavailable(wrap(&pgconn.PgError{Code: code})) {
			t.Errorf("SQLSTATE %s is not unavailable", code)
		}
	}
	for _, code := range []string{"23505", "23503", "22021", "42P01", "40001"} {
		if database.IsUnavailable(wrap(&pgconn.PgError{Code: code})) {
			t.Errorf("SQLSTATE %s counted as unavailable", code)
		}
	}
	for _, err := range []error{
		context.DeadlineExceeded,
		&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		syscall.ECONNRESET,
		pgconn.ErrConnClosed,
	} {
		if !database.IsUnavailable(wrap(err)) {
			t.Errorf("%v is not unavailable", err)
		}
	}
	for _, err := range []error{nil, errors.New("boom"), context.Canceled} {
		if database.IsUnavailable(err) {
			t.Errorf("%v counted as unavailable", err)
		}
	}
}
