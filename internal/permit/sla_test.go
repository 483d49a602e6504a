package permit_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// dueOn is the end of a day in WIB, the SLA due time.
func dueOn(t *testing.T, day string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, wib)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(23*time.Hour + 59*time.Minute)
}

func expectDue(t *testing.T, a application, day string) {
	t.Helper()
	if a.SLADueAt == nil || !a.SLADueAt.Equal(dueOn(t, day)) {
		t.Fatalf("sla_due_at %v, want end of %s WIB", a.SLADueAt, day)
	}
}

// The SLA counts working days in Asia/Jakarta from the day after
// submission, skipping weekends, national holidays and cuti bersama (the
// reference calendar of internal/holiday).
func TestSLADueDates(t *testing.T) {
	cases := []struct {
		name, submit string
		sla          int
		due          string
	}{
		{"plain week", "2026-12-07T10:00", 5, "2026-12-14"},
		{"Idul Fitri 2026 and Nyepi", "2026-03-16T10:00", 5, "2026-03-30"},
		{"Christmas 2025", "2025-12-23T09:00", 3, "2025-12-30"},
		{"into the new year 2026", "2025-12-23T09:00", 5, "2026-01-02"},
		{"Thursday late evening WIB is still Thursday", "2026-12-17T23:30", 5, "2026-12-28"},
		{"after midnight WIB is Friday (still Thursday in UTC)", "2026-12-18T00:30", 5, "2026-12-29"},
		{"submitted on a Saturday", "2026-12-19T10:00", 1, "2026-12-21"},
		{"submitted on a holiday", "2026-12-25T10:00", 2, "2026-12-29"},
	}
	w := newWorld(t)
	owner := w.api.User("sari")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code := "sla_" + string(rune('a'+c.sla))
			// 201 the first time, 409 permit_type_exists after.
			w.api.Send(http.MethodPost, "/api/v1/permits/types", simpleType(code, c.sla), w.licensing)
			w.at(t, c.submit)
			a := w.apply(t, owner, code, map[string]any{"holder_name": "Sari"})
			w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK).JSON(&a)
			expectDue(t, a, c.due)
		})
	}
}

// needs_revision stops the clock; the resubmission gets the working days
// that were left.
func TestSLAPausesDuringRevision(t *testing.T) {
	w := newWorld(t) // izin_uji: 5 working days
	owner := w.api.User("sari")
	w.at(t, "2026-03-02T09:00") // Monday
	a := w.simple(t, owner)
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK).JSON(&a)
	expectDue(t, a, "2026-03-09")
	w.move(t, a, "in_review", "", w.licensing).Expect(http.StatusOK)
	w.at(t, "2026-03-04T15:00") // two working days used: 3 and 4 March
	w.move(t, a, "needs_revision", "Jumlah salah.", w.licensing).Expect(http.StatusOK).JSON(&a)
	if a.SLADueAt != nil || a.Overdue {
		t.Fatalf("paused clock shows %v", a.SLADueAt)
	}
	// Back on Monday 16 March: three days left, and Idul Fitri between.
	w.at(t, "2026-03-16T10:00")
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK).JSON(&a)
	expectDue(t, a, "2026-03-26")
	if a.SubmittedAt == nil || !a.SubmittedAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, wib)) {
		t.Fatalf("submitted_at %v: the first submission counts", a.SubmittedAt)
	}
	w.at(t, "2026-03-26T23:58")
	w.api.Get(path(a, ""), owner).Expect(http.StatusOK).JSON(&a)
	if a.Overdue {
		t.Fatal("overdue before its due time")
	}
	w.at(t, "2026-03-27T08:00")
	w.api.Get(path(a, ""), owner).Expect(http.StatusOK).JSON(&a)
	if !a.Overdue {
		t.Fatal("not overdue after its due time")
	}
}

func queueIDs(t *testing.T, w *world, url string, as apitest.Actor) ([]string, map[string]application) {
	t.Helper()
	var ids []string
	byID := map[string]application{}
	for _, raw := range w.api.All(url, as) {
		var a application
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
		byID[a.ID] = a
	}
	return ids, byID
}

func TestQueue(t *testing.T) {
	w := newWorld(t)
	w.api.Send(http.MethodPost, "/api/v1/permits/types", simpleType("izin_kilat", 1), w.licensing).Expect(http.StatusCreated)
	owner := w.api.User("sari")
	submit := func(typ, when string) application {
		w.at(t, when)
		a := w.apply(t, owner, typ, map[string]any{"holder_name": "Sari"})
		w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK).JSON(&a)
		return a
	}
	a := submit("izin_uji", "2026-12-01T09:00")   // due 12-08
	b := submit("izin_kilat", "2026-12-02T09:00") // due 12-03
	c := submit("izin_uji", "2026-12-03T09:00")   // due 12-10
	d := submit("izin_kilat", "2026-12-07T09:00") // due 12-08, later id than a
	w.simple(t, owner)                            // a draft: never in the queue
	w.move(t, c, "in_review", "", w.licensing).Expect(http.StatusOK)
	w.at(t, "2026-12-08T12:00")

	ids, byID := queueIDs(t, w, apitest.PageLimit("/api/v1/staff/permit-applications", 1), w.licensing)
	if want := []string{a.ID, b.ID, c.ID, d.ID}; !equal(ids, want) {
		t.Fatalf("oldest first: %v, want %v", ids, want)
	}
	if !byID[b.ID].Overdue || byID[a.ID].Overdue || byID[c.ID].Overdue {
		t.Fatalf("overdue flags %+v", byID)
	}
	ids, _ = queueIDs(t, w, apitest.PageLimit("/api/v1/staff/permit-applications?sort=sla_due_at", 3), w.licensing)
	if want := []string{b.ID, a.ID, d.ID, c.ID}; !equal(ids, want) {
		t.Fatalf("most urgent first: %v, want %v", ids, want)
	}
	ids, _ = queueIDs(t, w, "/api/v1/staff/permit-applications?status=in_review", w.api.Admin())
	if !equal(ids, []string{c.ID}) {
		t.Fatalf("in_review: %v", ids)
	}
	// Denied and bad requests.
	w.api.Get("/api/v1/staff/permit-applications", owner).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get("/api/v1/staff/permit-applications", w.api.Staff(identity.DeptTransport)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get("/api/v1/staff/permit-applications", apitest.Anonymous).Expect(http.StatusUnauthorized)
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/staff/permit-applications?status=draft", As: w.licensing, Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/staff/permit-applications?sort=name", As: w.licensing, Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	var page struct {
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	w.api.Get(apitest.PageLimit("/api/v1/staff/permit-applications", 1), w.licensing).Expect(http.StatusOK).JSON(&page)
	w.api.Get("/api/v1/staff/permit-applications?sort=sla_due_at&cursor="+*page.Meta.NextCursor, w.licensing).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	// One page costs a bounded number of queries, whatever its size.
	w.api.DB.Queries.Reset()
	w.api.Get("/api/v1/staff/permit-applications?limit=100", w.licensing).Expect(http.StatusOK)
	if n := w.api.DB.Queries.Count(); n > 6 {
		t.Fatalf("%d queries for one page", n)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
