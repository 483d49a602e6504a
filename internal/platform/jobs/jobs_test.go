package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/jobs"
	"github.com/solodestination/api/internal/platform/testdb"
)

type tick struct{}

func (tick) Kind() string { return "test.tick" }

type note struct {
	Text string `json:"text"`
}

func (note) Kind() string { return "test.note" }

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
}

// A periodic job runs at start and again every interval, on the test's
// engine, with the service's own connection pool.
func TestPeriodicJobRuns(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	q := jobs.New(db.DB, jobs.Options{PollInterval: 50 * time.Millisecond})
	var runs atomic.Int32
	jobs.Every[tick](q, 200*time.Millisecond, func(context.Context) error { runs.Add(1); return nil })
	start(t, q)
	eventually(t, "three runs", func() bool { return runs.Load() >= 3 })
}

// A job enqueued in a transaction exists only if it commits; it is then
// worked with its arguments.
func TestEnqueueTxFollowsTheTransaction(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	q := jobs.New(db.DB, jobs.Options{PollInterval: 50 * time.Millisecond})
	got := make(chan string, 4)
	jobs.Handle(q, func(_ context.Context, n note) error { got <- n.Text; return nil })
	ctx := context.Background()
	rollback := errors.New("roll back")
	err := db.InTx(ctx, func(tx *gorm.DB) error {
		if err := q.EnqueueTx(ctx, tx, note{Text: "rolled back"}); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *gorm.DB) error { return q.EnqueueTx(ctx, tx, note{Text: "committed"}) }); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'test.note'").Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("%d jobs (%v), want 1", n, err)
	}
	start(t, q)
	select {
	case s := <-got:
		if s != "committed" {
			t.Fatalf("worked %q", s)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("job not worked")
	}
	select {
	case s := <-got:
		t.Fatalf("a second job ran: %q", s)
	case <-time.After(300 * time.Millisecond):
	}
}

// RunNow works a job synchronously without the queue; an unknown kind is
// an error.
func TestRunNow(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	q := jobs.New(db.DB, jobs.Options{})
	var got string
	jobs.Handle(q, func(_ context.Context, n note) error { got = n.Text; return nil })
	if err := jobs.RunNow(context.Background(), q, note{Text: "now"}); err != nil || got != "now" {
		t.Fatalf("got %q, %v", got, err)
	}
	if err := jobs.RunNow(context.Background(), q, tick{}); err == nil {
		t.Fatal("unknown kind ran")
	}
}
