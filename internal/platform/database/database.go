// Package database opens the service's database — PostgreSQL in production,
// the embedded pure-Go SQLite by default — and applies the migrations.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL flavour behind a DB.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is the GORM handle plus what callers need to know about the engine.
type DB struct {
	*gorm.DB
	Dialect Dialect
	SQL     *sql.DB
	dsn     string // PostgreSQL's, for connections outside the pool
	// replicas answers PublicRead from standbys; nil without replicas
	// (UseReplicas).
	replicas *router
}

// Connect opens a PostgreSQL connection of its own, outside the pool (a
// LISTEN that waits on it indefinitely must not hold a pooled one). The
// caller closes it.
func (d *DB) Connect(ctx context.Context) (*pgx.Conn, error) {
	if d.Dialect != Postgres {
		return nil, fmt.Errorf("connect: %s has no separate connections", d.Dialect)
	}
	return pgx.Connect(ctx, d.dsn)
}

// Options say which database to open.
type Options struct {
	URL      string // postgres://…; empty selects SQLite in DataDir
	DataDir  string
	Logger   *slog.Logger
	MaxConns int // pool size; 0 picks a default per engine
	// ConnectTimeout bounds dialling PostgreSQL when the URL does not set
	// connect_timeout, so a partition cannot hang new connections; 0 picks
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// BusyTimeout is how long an SQLite statement waits for another
	// writer's lock; 0 picks DefaultBusyTimeout. SQLite waits for it without
	// watching the context, so a server sets it to its request deadline.
	BusyTimeout time.Duration
}

// DefaultBusyTimeout is the SQLite lock wait when Options leave it unset.
const DefaultBusyTimeout = 15 * time.Second

// DefaultConnectTimeout is the dial timeout of PostgreSQL connections.
const DefaultConnectTimeout = 5 * time.Second

// SQLiteFile is the file name of the embedded database inside DATA_DIR.
const SQLiteFile = "solo.db"

// Open connects to the configured database. It does not migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	gcfg := &gorm.Config{
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
		Logger: expectedErrorsQuiet{logger.NewSlogLogger(o.Logger, logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true, // never write citizens' data into logs
		})},
	}
	var (
		d   = &DB{}
		err error
	)
	if o.URL != "" {
		d.Dialect = Postgres
		dsn, err := connectionURL(o.URL, o.ConnectTimeout)
		if err != nil {
			return nil, err
		}
		d.dsn = dsn
		d.DB, err = gorm.Open(postgres.Open(dsn), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open %s database: %w", d.Dialect, err)
		}
	} else {
		d.Dialect = SQLite
		if err := os.MkdirAll(o.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		busy := o.BusyTimeout
		if busy <= 0 {
			busy = DefaultBusyTimeout
		}
		d.DB, err = gorm.Open(sqlite.Open(sqliteDSN(filepath.Join(o.DataDir, SQLiteFile), busy)), gcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.Dialect, err)
	}
	if d.SQL, err = d.DB.DB(); err != nil {
		return nil, err
	}
	max := o.MaxConns
	if max == 0 {
		max = 20
		if d.Dialect == SQLite {
			// WAL allows many readers; writers queue on busy_timeout.
			max = 8
		}
	}
	d.SQL.SetMaxOpenConns(max)
	d.SQL.SetMaxIdleConns(max)
	d.SQL.SetConnMaxIdleTime(5 * time.Minute)

	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.SQL.PingContext(pingCtx); err != nil {
		d.SQL.Close()
		return nil, fmt.Errorf("reach %s database: %w", d.Dialect, err)
	}
	return d, nil
}

// parallelWorkers is the session setting every PostgreSQL connection of
// the service gets as 0 unless its URL sets it (pgx sends a URL's unknown
// parameters as session settings).
//
// The service answers pages of a few rows to many clients at once, and a
// statement stopped by LIMIT is where parallel workers run ahead of it,
// each filling its queue with rows the page never needs. A radius of 200 m
// walked in the rating index at a million listings of a kind read 145 000
// entries in three processes for the 36 the page needed (55–65 ms, against
// 2 ms in one process), and under load the workers take cores that other
// requests wait for.
const parallelWorkers = "max_parallel_workers_per_gather"

// connectionURL adds connect_timeout (whole seconds, at least one) and
// parallelWorkers = 0 to a postgres:// URL that does not choose its own.
func connectionURL(rawURL string, timeout time.Duration) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", errors.New("DATABASE_URL is not a valid URL")
	}
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		if timeout <= 0 {
			timeout = DefaultConnectTimeout
		}
		q.Set("connect_timeout", fmt.Sprint(max(1, int((timeout+time.Second-1)/time.Second))))
	}
	if !q.Has(parallelWorkers) {
		q.Set(parallelWorkers, "0")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// sqliteDSN returns the connection string for an SQLite file with the pragmas
// the service relies on: WAL for concurrent readers, a busy timeout instead of
// instant "database is locked", foreign keys, and BEGIN IMMEDIATE so write
// transactions take the write lock up front rather than failing on upgrade.
func sqliteDSN(path string, busy time.Duration) string {
	return "file:" + path +
		fmt.Sprintf("?_pragma=journal_mode(WAL)&_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)", busy.Milliseconds()) +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// Close stops the replica checker and releases the pools.
func (d *DB) Close() error {
	if d.replicas != nil {
		d.replicas.close()
		d.replicas = nil
	}
	return d.SQL.Close()
}

// PingTimeout bounds a readiness check, so a load balancer sees an outage
// within two seconds of it starting.
const PingTimeout = 1500 * time.Millisecond

// Ping checks that the database answers, for readiness probes.
func (d *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, PingTimeout)
	defer cancel()
	return d.SQL.PingContext(ctx)
}

// limitStatements makes PostgreSQL itself stop the transaction's statements
// at the caller's deadline (SET LOCAL ends with the transaction), so a
// request's work does not run on in the server after the request gave up.
// Work without a deadline — migrations, seeding, bulk loads — is not limited.
func (d *DB) limitStatements(ctx context.Context, tx *gorm.DB) error {
	deadline, ok := ctx.Deadline()
	if !ok || d.Dialect != Postgres {
		return nil
	}
	left := time.Until(deadline)
	if left <= 0 {
		return context.DeadlineExceeded
	}
	ms := max(1, left.Milliseconds())
	return tx.Exec(fmt.Sprintf("SET LOCAL statement_timeout = %d", ms)).Error
}

// IsNotFound reports whether err means no row matched.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// IsDuplicate reports whether err is a unique-constraint violation.
func IsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

// expectedErrorsQuiet keeps unique-constraint violations out of the error
// log: services turn them into 409 answers, so they are not faults; nor is a
// statement abandoned because its client went away.
type expectedErrorsQuiet struct{ logger.Interface }

// ParamsFilter drops the bound values from every statement gorm logs (slow
// or failed), so citizens' data, password hashes and tokens never reach a log
// line. gorm looks for this method on the logger it is given, so a wrapper
// must define it itself. A multi-row insert can be tens of kilobytes of
// placeholders, so the statement is cut to its first maxLoggedSQL bytes: a
// log line stays a line.
func (l expectedErrorsQuiet) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	if len(sql) > maxLoggedSQL {
		sql = fmt.Sprintf("%s… (%d bytes)", strings.ToValidUTF8(sql[:maxLoggedSQL], ""), len(sql))
	}
	return sql, nil
}

// maxLoggedSQL bounds the statement text of a slow or failed query's log line.
const maxLoggedSQL = 2000

func (l expectedErrorsQuiet) LogMode(level logger.LogLevel) logger.Interface {
	return expectedErrorsQuiet{l.Interface.LogMode(level)}
}

func (l expectedErrorsQuiet) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, context.Canceled) {
		err = nil
	}
	l.Interface.Trace(ctx, begin, fc, err)
}
