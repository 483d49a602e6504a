package permit_test

import (
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

type licensingSummary struct {
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
	Queue   []struct {
		MinDays       int  `json:"min_days"`
		MaxDays       *int `json:"max_days"`
		Submitted     int  `json:"submitted"`
		InReview      int  `json:"in_review"`
		NeedsRevision int  `json:"needs_revision"`
		Total         int  `json:"total"`
	} `json:"queue_by_age"`
	ByStatus []struct {
		Status string `json:"status"`
		Count  int    `json:"count"`
	} `json:"by_status"`
}

// The licensing dashboard counts open applications by whole days since
// their first submission, those past their SLA, and every status; it is
// for licensing staff and administrators only.
func TestLicensingSummary(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari, budi := w.api.User("sari"), w.api.User("budi")

	var empty licensingSummary
	w.api.Get("/api/v1/staff/summary/licensing", w.licensing).Expect(http.StatusOK).JSON(&empty)
	if empty.Open != 0 || empty.Overdue != 0 || len(empty.Queue) != 5 || len(empty.ByStatus) != 6 {
		t.Fatalf("empty dashboard: %+v", empty)
	}
	if q := empty.Queue; q[0].MinDays != 0 || *q[0].MaxDays != 2 || q[4].MinDays != 21 || q[4].MaxDays != nil {
		t.Fatalf("buckets: %+v", q)
	}

	w.at(t, "2026-12-01T09:00") // a Tuesday
	old := w.reach(t, sari, "in_review")
	w.reach(t, budi, "submitted")
	w.at(t, "2026-12-07T12:00")
	w.reach(t, sari, "submitted")
	w.reach(t, budi, "needs_revision")
	w.reach(t, sari, "approved")
	w.reach(t, budi, "draft")
	w.at(t, "2026-12-09T12:00")

	var got licensingSummary
	w.api.Get("/api/v1/staff/summary/licensing", w.licensing).Expect(http.StatusOK).JSON(&got)
	if got.Open != 4 {
		t.Errorf("open %d, want 4", got.Open)
	}
	// 2 days old: the first bucket; 8 days: 6–10.
	if q := got.Queue[0]; q.Submitted != 1 || q.InReview != 0 || q.NeedsRevision != 1 || q.Total != 2 {
		t.Errorf("0–2 days: %+v", q)
	}
	if q := got.Queue[2]; q.Submitted != 1 || q.InReview != 1 || q.NeedsRevision != 0 || q.Total != 2 {
		t.Errorf("6–10 days: %+v", q)
	}
	if got.Queue[1].Total != 0 || got.Queue[3].Total != 0 || got.Queue[4].Total != 0 {
		t.Errorf("other buckets: %+v", got.Queue)
	}
	want := map[string]int{"draft": 1, "submitted": 2, "in_review": 1, "needs_revision": 1, "approved": 1, "rejected": 0}
	for i, s := range got.ByStatus {
		if s.Status != []string{"draft", "submitted", "in_review", "needs_revision", "approved", "rejected"}[i] || s.Count != want[s.Status] {
			t.Errorf("by status: %+v", got.ByStatus)
			break
		}
	}
	// The two of December 1st are past their five working days; the
	// queue's flags agree.
	if got.Overdue != 2 {
		t.Errorf("overdue %d, want 2", got.Overdue)
	}
	var a application
	w.api.Get(path(old, ""), w.licensing).Expect(http.StatusOK).JSON(&a)
	if !a.Overdue {
		t.Errorf("the in_review application of December 1st is not overdue: %+v", a)
	}

	// Exactly three days after their submission, the two of December 7th
	// count in 3–5.
	w.at(t, "2026-12-10T12:00")
	w.api.Get("/api/v1/staff/summary/licensing", w.licensing).Expect(http.StatusOK).JSON(&got)
	if got.Queue[0].Total != 0 || got.Queue[1].Total != 2 || got.Queue[2].Total != 2 {
		t.Errorf("three days on: %+v", got.Queue)
	}

	// Three weeks on, every open one is in the last bucket.
	w.at(t, "2026-12-30T12:00")
	w.api.Get("/api/v1/staff/summary/licensing", w.licensing).Expect(http.StatusOK).JSON(&got)
	if got.Queue[4].Total != 4 || got.Queue[0].Total != 0 || got.Overdue != 3 {
		t.Errorf("later: %+v", got)
	}

	w.api.Get("/api/v1/staff/summary/licensing", w.api.Admin()).Expect(http.StatusOK)
	w.api.Get("/api/v1/staff/summary/licensing", w.api.Staff(identity.DeptRevenue)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get("/api/v1/staff/summary/licensing", sari).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get("/api/v1/staff/summary/licensing", apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
}
