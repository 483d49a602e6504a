// Package jobs runs background work on a queue kept in the service's own
// database, so work survives restarts and replicas share it: River
// (github.com/riverqueue/river) over database/sql on both engines —
// riverdatabasesql on PostgreSQL, riversqlite on SQLite. River's tables are
// created by database.Migrate.
//
// Domains register what they run in app.New: Every for a periodic pass
// (River's leader enqueues it, one replica works each run), Handle plus
// EnqueueTx for a job written in the caller's transaction, so it exists
// exactly when the change that asked for it committed. A job may still run
// twice (a crash after its work, before River records it), so every handler
// must be idempotent: decide each row with one conditional UPDATE.
//
// Both drivers work on the pool the service already has; riverdatabasesql
// rather than riverpgxv5 so that both engines share one client type and a
// job can be inserted in a gorm transaction. Through database/sql River gets
// no LISTEN/NOTIFY (and SQLite has none), so workers poll for new jobs
// (PollInterval). River's SQLite driver suggests a single connection; ours
// has several in WAL mode with a busy timeout and BEGIN IMMEDIATE, so
// River's writes queue for the write lock like every request's — the tests
// run it that way, also under -race — and no separate runner is needed for
// SQLite, which serves one node anyway.
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
)

// Args is a job's arguments: a JSON-encodable struct whose Kind names the
// job ("transport.ridership"), unique across the service.
type Args = river.JobArgs

// Options tune the queue.
type Options struct {
	// PollInterval is how often an idle worker looks for new jobs; 0 picks
	// DefaultPollInterval.
	PollInterval time.Duration
	// MaxWorkers is how many jobs one process works at once; 0 picks 4,
	// a small share of the connection pool.
	MaxWorkers int
	Log        *slog.Logger
}

// DefaultPollInterval bounds how late an enqueued job starts.
const DefaultPollInterval = time.Second

// Queue is the service's job queue. Register jobs before Start.
type Queue struct {
	db   *database.DB
	opts Options

	mu       sync.Mutex
	workers  *river.Workers
	direct   map[string]func(context.Context, []byte) error
	periodic []*river.PeriodicJob
	client   *river.Client[*sql.Tx] // the working client, between Start and Stop
	inserter *river.Client[*sql.Tx] // insert-only, for EnqueueTx
}

// New returns an empty queue over db; nothing runs until Start.
func New(db *database.DB, opts Options) *Queue {
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.MaxWorkers <= 0 {
		opts.MaxWorkers = 4
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	// River reports its routine (client started, job counts every few
	// seconds) at info; the service's log keeps only its warnings and errors.
	opts.Log = slog.New(atLeast{opts.Log.Handler(), slog.LevelWarn})
	return &Queue{db: db, opts: opts, workers: river.NewWorkers(), direct: map[string]func(context.Context, []byte) error{}}
}

// Handle registers fn as the worker of jobs of T's kind.
func Handle[T Args](q *Queue, fn func(ctx context.Context, args T) error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	river.AddWorker(q.workers, river.WorkFunc(func(ctx context.Context, j *river.Job[T]) error { return fn(ctx, j.Args) }))
	var zero T
	q.direct[zero.Kind()] = func(ctx context.Context, raw []byte) error {
		var args T
		if err := json.Unmarshal(raw, &args); err != nil {
			return err
		}
		return fn(ctx, args)
	}
}

// Every registers fn to run every interval (and once at Start) as a job of
// T's kind. River's leader enqueues it, so with many replicas each run is
// worked once; fn must still be idempotent.
func Every[T Args](q *Queue, interval time.Duration, fn func(ctx context.Context) error) {
	Handle(q, func(ctx context.Context, _ T) error { return fn(ctx) })
	q.mu.Lock()
	defer q.mu.Unlock()
	var zero T
	q.periodic = append(q.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return zero, nil },
		&river.PeriodicJobOpts{ID: zero.Kind(), RunOnStart: true}))
}

// RunNow works a job of args' kind in the caller's goroutine, bypassing the
// queue: tests run a pass at a chosen clock this way, and operators could
// expose it. It fails for a kind nobody registered.
func RunNow(ctx context.Context, q *Queue, args Args) error {
	q.mu.Lock()
	fn := q.direct[args.Kind()]
	q.mu.Unlock()
	if fn == nil {
		return fmt.Errorf("jobs: no worker for kind %q", args.Kind())
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return err
	}
	return fn(ctx, raw)
}

// EnqueueTx writes a job into tx, the caller's gorm transaction (inside
// database.InTx), so the job exists exactly when the caller's change commits.
// It works whether or not this process works jobs.
func (q *Queue) EnqueueTx(ctx context.Context, tx *gorm.DB, args Args) error {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return errors.New("jobs: EnqueueTx needs a transaction (database.InTx)")
	}
	c, err := q.insertClient()
	if err != nil {
		return err
	}
	if _, err := c.InsertTx(ctx, sqlTx, args, nil); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

func (q *Queue) insertClient() (*river.Client[*sql.Tx], error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.inserter != nil {
		return q.inserter, nil
	}
	c, err := river.NewClient(q.driver(), &river.Config{Logger: q.opts.Log})
	if err != nil {
		return nil, err
	}
	q.inserter = c
	return c, nil
}

func (q *Queue) driver() riverdriver.Driver[*sql.Tx] {
	if q.db.Dialect == database.SQLite {
		return riversqlite.New(q.db.SQL)
	}
	return riverdatabasesql.New(q.db.SQL)
}

// Start begins working jobs and enqueueing the periodic ones in the
// background; it returns at once. Stop ends it.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client != nil {
		return errors.New("jobs: already started")
	}
	c, err := river.NewClient(q.driver(), &river.Config{
		Logger:            q.opts.Log,
		Workers:           q.workers,
		PeriodicJobs:      q.periodic,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: q.opts.MaxWorkers}},
		FetchPollInterval: q.opts.PollInterval,
		FetchCooldown:     min(q.opts.PollInterval, 100*time.Millisecond),
		// A pass that has not finished in a minute is stuck (a lock, a
		// partition): cancel it; the next run decides what is left.
		JobTimeout: time.Minute,
	})
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.client = c
	return nil
}

// Stop lets running jobs finish until ctx ends, then cancels them, and
// returns once the workers are gone. Without Start it does nothing.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	c := q.client
	q.client = nil
	q.mu.Unlock()
	if c == nil {
		return nil
	}
	err := c.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return c.StopAndCancel(hard)
	}
	return err
}

// atLeast passes on records of level min and above.
type atLeast struct {
	slog.Handler
	min slog.Level
}

func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h atLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return atLeast{h.Handler.WithAttrs(attrs), h.min}
}

func (h atLeast) WithGroup(name string) slog.Handler {
	return atLeast{h.Handler.WithGroup(name), h.min}
}
