package catalog

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/solodestination/api/internal/platform/database"
)

// rowScanner is one row of a result: *sql.Rows or pgx.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// eachRow runs the read b and calls each for every row, in order. On
// PostgreSQL the rows are scanned by pgx itself (database.WithPgx), which
// skips database/sql's conversion of every value and GORM's statement
// pipeline; on SQLite, or with an argument only GORM knows how to expand,
// the statement runs through GORM. restart, when set, is called before
// every attempt: a standby that fails mid-way is retried on the primary.
func (s store) eachRow(ctx context.Context, b sqlBuf, restart func(), each func(rowScanner) error) error {
	if s.pg() {
		if q, ok := dollarPlaceholders(b.b.String(), b.args); ok {
			handled, err := database.WithPgx(ctx, s.read(ctx), func(c *pgx.Conn) error {
				if restart != nil {
					restart()
				}
				rows, err := c.Query(ctx, q, b.args...)
				if err != nil {
					return err
				}
				defer rows.Close()
				return drain(rows, each)
			})
			if handled {
				return err
			}
		}
	}
	if restart != nil {
		restart()
	}
	rows, err := s.read(ctx).Raw(b.b.String(), b.args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	return drain(rows, each)
}

// drain calls each for every row of rows (pgx.Rows or *sql.Rows).
func drain(rows interface {
	rowScanner
	Next() bool
	Err() error
}, each func(rowScanner) error) error {
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// dollarPlaceholders numbers the ? placeholders of q ($1, $2, …) as GORM
// would for args of plain types. ok is false when an argument is of a kind
// GORM expands (a slice, say) or the counts differ.
func dollarPlaceholders(q string, args []any) (string, bool) {
	for _, a := range args {
		switch a.(type) {
		case string, int, int64, float64, bool, time.Time:
		default:
			return "", false
		}
	}
	var out strings.Builder
	out.Grow(len(q) + 2*len(args))
	n := 0
	for {
		i := strings.IndexByte(q, '?')
		if i < 0 {
			out.WriteString(q)
			break
		}
		n++
		out.WriteString(q[:i])
		out.WriteByte('$')
		out.WriteString(strconv.Itoa(n))
		q = q[i+1:]
	}
	return out.String(), n == len(args)
}
