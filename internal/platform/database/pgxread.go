package database

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// WithPgx runs fn on a pgx connection taken from the pool behind db, for
// hot reads that scan their rows with pgx itself: database/sql's
// conversion of every value to a driver.Value and back, and GORM's
// statement pipeline, were a large share of a catalog page's CPU.
//
// The connection comes from the same place db's statements would run: the
// primary's pool, or for a PublicRead handle its standby, with the same
// fall-back to the primary when the standby cannot answer. So fn must be a
// read that may run twice, and one statement (a test's QueryCounter counts
// each call as one). ok is false when db has no PostgreSQL pool of
// its own (SQLite, a transaction); the caller then runs the statement
// through db.
func WithPgx(ctx context.Context, db *gorm.DB, fn func(*pgx.Conn) error) (ok bool, err error) {
	if db.Dialector.Name() != string(Postgres) {
		return false, nil
	}
	switch p := db.Statement.ConnPool.(type) {
	case *sql.DB:
		countPgx(db)
		return true, onPgxConn(ctx, p, fn)
	case *publicPool:
		countPgx(db)
		if p.s != nil {
			err := onPgxConn(ctx, p.s.db, fn)
			if !p.fallBack(ctx, err) {
				p.r.reads.WithLabelValues(p.s.name).Inc()
				return true, err
			}
		}
		p.r.reads.WithLabelValues(PrimaryTarget).Inc()
		return true, onPgxConn(ctx, p.r.primary, fn)
	}
	return false, nil
}

var errNotPgx = errors.New("database: the pool's driver is not pgx")

func onPgxConn(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) error) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close() // back to the pool; database/sql drops it if pgx closed it
	return c.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errNotPgx
		}
		return fn(pc.Conn())
	})
}
