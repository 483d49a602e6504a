package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver of the standbys' pools
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"
)

// Read replicas. Every query runs on the primary unless its caller asks for
// PublicRead: the reads that no caller's own write has to show (anonymous
// catalog and transport pages, reference data). Those go to a PostgreSQL
// standby that a checker has found reachable, in recovery and within the lag
// bound a moment ago, else to the primary. Nothing is routed by guessing
// from the SQL, so a read after a write, a staff view or anything in a
// transaction cannot land on a standby by accident.

// ReplicaOptions say which standbys answer public reads.
type ReplicaOptions struct {
	URLs []string // postgres:// URLs of standbys of the primary
	// MaxLag is how far a standby's replay may trail the primary before it
	// is skipped; 0 picks DefaultReplicaMaxLag.
	MaxLag time.Duration
	// CheckEvery is how often each standby is checked; 0 picks one second.
	CheckEvery     time.Duration
	Logger         *slog.Logger
	MaxConns       int           // pool size per standby; 0 picks 20
	ConnectTimeout time.Duration // 0 picks DefaultConnectTimeout
}

// DefaultReplicaMaxLag is the lag bound when ReplicaOptions leave it unset.
const DefaultReplicaMaxLag = 5 * time.Second

// PrimaryTarget is the target label of public reads the primary answered.
const PrimaryTarget = "primary"

// router spreads public reads over the healthy standbys.
type router struct {
	primary  *sql.DB
	standbys []*standby
	next     atomic.Uint64
	maxLag   time.Duration
	every    time.Duration
	log      *slog.Logger

	reads   *prometheus.CounterVec // by target: a standby's name or "primary"
	up      *prometheus.GaugeVec
	lag     *prometheus.GaugeVec
	samples []walSample // the primary's WAL position over the last moments; checker only

	stop chan struct{}
	done chan struct{}
}

// standby is one replica: its own pool and the checker's verdict.
type standby struct {
	name  string // host:port, never the URL (it may hold a password)
	db    *sql.DB
	up    atomic.Bool
	state string // last state logged; checker only
}

type walSample struct {
	at  time.Time
	lsn int64
}

// UseReplicas opens a pool per standby, checks them once and keeps checking
// them in the background until Close. A standby that is down at start is
// not an error: it is skipped until it answers.
func (d *DB) UseReplicas(ctx context.Context, o ReplicaOptions) error {
	if len(o.URLs) == 0 {
		return nil
	}
	if d.Dialect != Postgres {
		return errors.New("read replicas need PostgreSQL")
	}
	if d.replicas != nil {
		return errors.New("read replicas are already set up")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	r := &router{
		primary: d.SQL, maxLag: o.MaxLag, every: o.CheckEvery, log: o.Logger,
		stop: make(chan struct{}), done: make(chan struct{}),
		reads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "db_public_reads_total",
			Help: "Statements of public reads by the database that answered them: a standby (host:port) or primary.",
		}, []string{"target"}),
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "db_replica_up",
			Help: "1 while a standby answers public reads: reachable, in recovery and within DATABASE_REPLICA_MAX_LAG.",
		}, []string{"replica"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "db_replica_lag_seconds",
			Help: "How long the oldest change a standby has not replayed has been on the primary, at the last check.",
		}, []string{"replica"}),
	}
	if r.maxLag <= 0 {
		r.maxLag = DefaultReplicaMaxLag
	}
	if r.every <= 0 {
		r.every = time.Second
	}
	conns := o.MaxConns
	if conns <= 0 {
		conns = 20
	}
	for i, raw := range o.URLs {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			r.closeStandbys()
			return fmt.Errorf("replica %d is not a postgres:// URL", i+1)
		}
		dsn, err := connectionURL(raw, o.ConnectTimeout)
		if err != nil {
			r.closeStandbys()
			return fmt.Errorf("replica %d: %w", i+1, err)
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			r.closeStandbys()
			return fmt.Errorf("replica %d: %w", i+1, err)
		}
		db.SetMaxOpenConns(conns)
		db.SetMaxIdleConns(conns)
		db.SetConnMaxIdleTime(5 * time.Minute)
		name := u.Host
		for _, s := range r.standbys {
			if s.name == name {
				name = fmt.Sprintf("%s#%d", u.Host, i+1) // the same server twice: still two label values
			}
		}
		r.standbys = append(r.standbys, &standby{name: name, db: db, state: "unknown"})
		r.up.WithLabelValues(name).Set(0)
		r.reads.WithLabelValues(name)
	}
	r.reads.WithLabelValues(PrimaryTarget)
	r.check(ctx)
	go r.run()
	d.replicas = r
	return nil
}

// PublicRead is the handle of reads that may be a moment old: public,
// anonymous, showing nobody's own write. It answers from a healthy standby
// when there is one, else from the primary; a standby that fails a
// statement for want of a connection is taken out at once and the
// statement runs on the primary. Without replicas, or on a DB wrapping a
// transaction, it is the primary's handle. Statements that bypass the
// model layer use it too: Raw(…).Rows() or Row() run on the same pool.
// Writes through it go to the primary.
func (d *DB) PublicRead(ctx context.Context) *gorm.DB {
	tx := d.DB.WithContext(ctx)
	r := d.replicas
	if r == nil {
		return tx
	}
	if _, inTx := d.DB.Statement.ConnPool.(gorm.TxCommitter); inTx {
		return tx
	}
	tx.Statement.ConnPool = &publicPool{r: r, s: r.pick()}
	return tx
}

// ReplicaCollectors are the metrics of the read router (none without
// replicas), for the service's Prometheus registry.
func (d *DB) ReplicaCollectors() []prometheus.Collector {
	if d.replicas == nil {
		return nil
	}
	return []prometheus.Collector{d.replicas.reads, d.replicas.up, d.replicas.lag}
}

// ReplicaHealth reports, by standby name (host:port), whether each one
// answers public reads now.
func (d *DB) ReplicaHealth() map[string]bool {
	if d.replicas == nil {
		return nil
	}
	out := make(map[string]bool, len(d.replicas.standbys))
	for _, s := range d.replicas.standbys {
		out[s.name] = s.up.Load()
	}
	return out
}

// pick returns the next healthy standby, round robin, or nil when none is.
func (r *router) pick() *standby {
	n := len(r.standbys)
	start := int(r.next.Add(1))
	for i := range n {
		if s := r.standbys[(start+i)%n]; s.up.Load() {
			return s
		}
	}
	return nil
}

func (r *router) close() {
	close(r.stop)
	<-r.done
	r.closeStandbys()
}

func (r *router) closeStandbys() {
	for _, s := range r.standbys {
		s.db.Close()
	}
}

func (r *router) run() {
	defer close(r.done)
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.check(context.Background())
		}
	}
}

// check samples the primary's WAL position, then asks every standby, at
// once, whether it is in recovery and how far it has replayed.
func (r *router) check(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, max(r.every, time.Second))
	defer cancel()
	var lsn int64
	if err := r.primary.QueryRowContext(ctx, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").Scan(&lsn); err == nil {
		now := time.Now()
		r.samples = append(r.samples, walSample{at: now, lsn: lsn})
		// Samples older than the bound (and two checks) say no more than
		// that a standby is too far behind: the oldest kept one says it.
		keepFrom := now.Add(-r.maxLag - 2*r.every)
		for len(r.samples) > 1 && r.samples[0].at.Before(keepFrom) {
			r.samples = r.samples[1:]
		}
	}
	var wg sync.WaitGroup
	verdicts := make([]verdict, len(r.standbys))
	for i, s := range r.standbys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			verdicts[i] = r.ask(ctx, s)
		}()
	}
	wg.Wait()
	for i, s := range r.standbys {
		r.apply(s, verdicts[i])
	}
}

type verdict struct {
	state string // "healthy", "unreachable", "not a standby", "lagging"
	lag   time.Duration
	err   error
}

func (r *router) ask(ctx context.Context, s *standby) verdict {
	var (
		recovering bool
		replayed   int64
	)
	err := s.db.QueryRowContext(ctx,
		"SELECT pg_is_in_recovery(), COALESCE(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, -1)").
		Scan(&recovering, &replayed)
	switch {
	case err != nil:
		return verdict{state: "unreachable", err: err}
	case !recovering:
		// A promoted standby, or a URL naming a primary: not a replica of ours.
		return verdict{state: "not a standby"}
	}
	lag := r.lagOf(replayed, time.Now())
	if lag > r.maxLag {
		return verdict{state: "lagging", lag: lag}
	}
	return verdict{state: "healthy", lag: lag}
}

// lagOf is how long ago the primary had already written WAL the standby has
// not replayed: the age of the oldest sample past its replay position. An
// idle primary, whose position the standby has reached, means no lag.
func (r *router) lagOf(replayed int64, now time.Time) time.Duration {
	for _, p := range r.samples {
		if p.lsn > replayed {
			return now.Sub(p.at)
		}
	}
	return 0
}

// apply records a verdict, logging only changes of state.
func (r *router) apply(s *standby, v verdict) {
	s.up.Store(v.state == "healthy")
	r.lag.WithLabelValues(s.name).Set(v.lag.Seconds())
	r.up.WithLabelValues(s.name).Set(boolGauge(v.state == "healthy"))
	if v.state == s.state {
		return
	}
	s.state = v.state
	switch {
	case v.state == "healthy":
		r.log.Info("read replica answers public reads", "replica", s.name, "lag", v.lag.Round(time.Millisecond))
	case v.err != nil:
		r.log.Warn("read replica skipped", "replica", s.name, "state", v.state, "err", v.err)
	default:
		r.log.Warn("read replica skipped", "replica", s.name, "state", v.state,
			"lag", v.lag.Round(time.Millisecond), "max_lag", r.maxLag)
	}
}

// fail takes a standby out after a statement found it unreachable, until
// the next check finds it healthy again.
func (r *router) fail(s *standby, err error) {
	if s.up.CompareAndSwap(true, false) {
		r.up.WithLabelValues(s.name).Set(0)
		r.log.Warn("read replica failed a read; reading from the primary until it recovers", "replica", s.name, "err", err)
	}
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// publicPool is the connection pool of one PublicRead handle: the chosen
// standby (nil: none healthy) with the primary behind it.
type publicPool struct {
	r *router
	s *standby
}

// fallBack reports whether a statement that failed on the standby should run
// on the primary: the standby could not answer, and the caller still waits.
func (p *publicPool) fallBack(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil || !IsUnavailable(err) {
		return false
	}
	p.r.fail(p.s, err)
	return true
}

func (p *publicPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if p.s != nil {
		rows, err := p.s.db.QueryContext(ctx, query, args...)
		if !p.fallBack(ctx, err) {
			p.r.reads.WithLabelValues(p.s.name).Inc()
			return rows, err
		}
	}
	p.r.reads.WithLabelValues(PrimaryTarget).Inc()
	return p.r.primary.QueryContext(ctx, query, args...)
}

func (p *publicPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if p.s != nil {
		row := p.s.db.QueryRowContext(ctx, query, args...)
		if !p.fallBack(ctx, row.Err()) {
			p.r.reads.WithLabelValues(p.s.name).Inc()
			return row
		}
	}
	p.r.reads.WithLabelValues(PrimaryTarget).Inc()
	return p.r.primary.QueryRowContext(ctx, query, args...)
}

// ExecContext runs on the primary: a standby takes no writes.
func (p *publicPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.r.primary.ExecContext(ctx, query, args...)
}

// PrepareContext prepares on the primary, where a prepared statement may
// also write.
func (p *publicPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.r.primary.PrepareContext(ctx, query)
}

// GetDBConn is the pool this handle reads from (gorm's DB()), for code that
// scans with database/sql directly.
func (p *publicPool) GetDBConn() (*sql.DB, error) {
	if p.s != nil {
		return p.s.db, nil
	}
	return p.r.primary, nil
}
