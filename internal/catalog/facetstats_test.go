package catalog

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/catalog/kind"
)

// TestStaleFacetStatsAnswerWhileOneRefreshRuns: once a kind's statistics
// are stale, requests go on with them at once while a single refresh runs
// behind; its result then answers, and a failed refresh keeps the stale
// ones for a while instead of making every request try again.
func TestStaleFacetStatsAnswerWhileOneRefreshRuns(t *testing.T) {
	release := make(chan struct{})
	var reads atomic.Int32
	fresh := &lexemeStats{rows: 2, read: time.Now()}
	f := newFacetStats(nil)
	f.read = func(ctx context.Context, _ *gorm.DB, _ kind.Kind, _ bool) (*lexemeStats, error) {
		reads.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return fresh, nil
	}
	stale := &lexemeStats{rows: 1, read: time.Now().Add(-facetStatsTTL - time.Second)}
	f.byKind[kind.Attraction] = stale

	ctx, cancel := context.WithCancel(context.Background())
	for range 5 {
		done := make(chan *lexemeStats)
		go func() {
			st, _ := f.of(ctx, nil, kind.Attraction)
			done <- st
		}()
		select {
		case st := <-done:
			if st != stale {
				t.Fatalf("got %+v, want the stale statistics while the refresh runs", st)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("a request waited for the refresh of stale statistics")
		}
	}
	// The request that started the refresh has ended; the refresh goes on.
	cancel()
	close(release)
	waitFor(t, func() bool { st, _ := f.of(context.Background(), nil, kind.Attraction); return st == fresh })
	if n := reads.Load(); n != 1 {
		t.Errorf("%d refreshes for one stale entry, want 1", n)
	}

	// A failed refresh: the stale statistics stay and are not read again
	// by the next requests.
	f.read = func(context.Context, *gorm.DB, kind.Kind, bool) (*lexemeStats, error) {
		reads.Add(1)
		return nil, errors.New("database away")
	}
	f.mu.Lock()
	fresh.read = time.Now().Add(-facetStatsTTL - time.Second)
	f.mu.Unlock()
	before := reads.Load()
	if st, _ := f.of(context.Background(), nil, kind.Attraction); st != fresh {
		t.Fatalf("got %+v, want the stale statistics", st)
	}
	waitFor(t, func() bool { f.mu.Lock(); defer f.mu.Unlock(); return !f.refreshing[kind.Attraction] })
	for range 3 {
		st, _ := f.of(context.Background(), nil, kind.Attraction)
		if st.rows != fresh.rows {
			t.Fatalf("got %+v after a failed refresh, want the stale statistics", st)
		}
	}
	if n := reads.Load() - before; n != 1 {
		t.Errorf("%d reads after a failed refresh, want 1 until facetStatsRetry", n)
	}
}

// TestFirstFacetStatsAreReadInTheRequest: with nothing cached there is
// nothing to answer with, so the first request reads them itself, without
// the categories' sample. A query of words in a category asks for that,
// and a refresh behind it reads it; other queries never do.
func TestFirstFacetStatsAreReadInTheRequest(t *testing.T) {
	var samples atomic.Int32
	f := newFacetStats(nil)
	f.read = func(_ context.Context, _ *gorm.DB, _ kind.Kind, sample bool) (*lexemeStats, error) {
		st := &lexemeStats{rows: 3, read: time.Now()}
		if sample {
			samples.Add(1)
			st.categories = map[string]*categorySample{"market": {rows: minCategorySample}}
		}
		return st, nil
	}
	for range 3 {
		st, err := f.of(context.Background(), nil, kind.Event)
		if err != nil || st.rows != 3 || st.categories != nil {
			t.Fatalf("got %+v, %v; want the index's statistics alone", st, err)
		}
	}
	if n := samples.Load(); n != 0 {
		t.Fatalf("the categories were sampled %d times before a query asked, want 0", n)
	}
	if st, err := f.withSample(context.Background(), nil, kind.Event); err != nil || st.categories != nil {
		t.Fatalf("got %+v, %v; want the statistics at hand while the sample is read behind", st, err)
	}
	waitFor(t, func() bool {
		st, _ := f.of(context.Background(), nil, kind.Event)
		return st.categorySample("market") != nil
	})
	if n := samples.Load(); n != 1 {
		t.Errorf("%d category samples, want 1", n)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
