package permit_test

import (
	"net/http"
	"testing"
)

// The licensing queue is read from the database on scrape, at most every
// 10 s by the service's clock.
func TestQueueMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if n := w.api.Metric(`permit_queue_open{status="submitted"}`); n != 0 {
		t.Fatalf("submitted before any submission: %v", n)
	}
	owner := w.api.User("sari")
	a := w.simple(t, owner)
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK)
	if n := w.api.Metric(`permit_queue_open{status="submitted"}`); n != 0 {
		t.Fatalf("the reading within its 10 s changed: %v", n)
	}
	w.at(t, "2026-12-07T12:01")
	for series, want := range map[string]float64{
		`permit_queue_open{status="submitted"}`: 1,
		`permit_queue_by_age{days="0-2"}`:       1,
		`permit_queue_overdue`:                  0,
		`permit_queue_oldest_age_seconds`:       60,
	} {
		if n := w.api.Metric(series); n != want {
			t.Errorf("%s = %v, want %v", series, n, want)
		}
	}
	// Past its SLA of five working days it is overdue.
	w.at(t, "2026-12-21T12:00")
	if n := w.api.Metric("permit_queue_overdue"); n != 1 {
		t.Fatalf("overdue two weeks later: %v", n)
	}
}
