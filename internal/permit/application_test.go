package permit_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

func fieldErrors(t *testing.T, r *apitest.Response) map[string]string {
	t.Helper()
	p := r.ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	out := map[string]string{}
	for _, e := range p.Errors {
		out[e.Field] = e.Message
	}
	return out
}

func TestCreateApplicationValidation(t *testing.T) {
	w := newWorld(t) // today is 2026-12-07
	owner := w.api.User("sari")
	send := func(typ string, data map[string]any) *apitest.Response {
		return w.api.Send(http.MethodPost, "/api/v1/permits/applications", map[string]any{"type": typ, "data": data}, owner)
	}
	// One entry per field: missing, wrong type, unknown option, out of
	// range, not a field.
	errs := fieldErrors(t, send("keramaian", map[string]any{
		"holder_name": "Sanggar", "event_name": 42, "scale": "galactic", "event_date": "2027-02-30",
		"expected_attendance": 0, "colour": "red",
	}))
	want := []string{"data.event_name", "data.scale", "data.event_date", "data.venue", "data.expected_attendance", "data.colour"}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for _, f := range want {
		if errs[f] == "" {
			t.Fatalf("no error on %s: %v", f, errs)
		}
	}
	// Lead time by scale: local 14, national 21, international 30 days.
	cases := []struct {
		scale, date string
		ok          bool
	}{
		{"local", "2026-12-21", true}, {"local", "2026-12-20", false},
		{"national", "2026-12-28", true}, {"national", "2026-12-27", false},
		{"international", "2027-01-06", true}, {"international", "2027-01-05", false},
	}
	for _, c := range cases {
		res := send("keramaian", keramaian(c.scale, c.date))
		if c.ok {
			res.Expect(http.StatusCreated)
			continue
		}
		if errs := fieldErrors(t, res); len(errs) != 1 || errs["data.event_date"] == "" {
			t.Fatalf("%s %s: %v", c.scale, c.date, errs)
		}
	}
	// Lead time is counted in Asia/Jakarta: at 23:30 WIB on 2026-12-07
	// (16:30 UTC) the local minimum is still the 21st.
	w.at(t, "2026-12-07T23:30")
	send("keramaian", keramaian("local", "2026-12-21")).Expect(http.StatusCreated)
	w.at(t, "2026-12-08T00:30")
	fieldErrors(t, send("keramaian", keramaian("local", "2026-12-21")))

	// An unknown type, no data.
	if errs := fieldErrors(t, send("izin_terbang", map[string]any{})); errs["type"] == "" {
		t.Fatalf("errors %v", errs)
	}
	if errs := fieldErrors(t, w.api.Send(http.MethodPost, "/api/v1/permits/applications", map[string]any{"type": "izin_uji"}, owner)); errs["data"] == "" {
		t.Fatalf("errors %v", errs)
	}
	w.api.Send(http.MethodPost, "/api/v1/permits/applications", map[string]any{"type": "izin_uji", "data": map[string]any{}},
		apitest.Anonymous).Expect(http.StatusUnauthorized)
}

func TestCreateIsIdempotent(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	body := map[string]any{"type": "izin_uji", "data": map[string]any{"holder_name": "Sari", "count": 1}}
	req := apitest.Req{Method: http.MethodPost, Path: "/api/v1/permits/applications", Body: body, As: owner,
		Header: map[string]string{"Idempotency-Key": "2f1c6b1e-6a4d-4c55-9d2f-permit-0001"}}
	var a, b application
	w.api.Do(req).Expect(http.StatusCreated).JSON(&a)
	second := w.api.Do(req).Expect(http.StatusCreated)
	second.JSON(&b)
	if a.ID != b.ID || second.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay gave %s (first %s)", b.ID, a.ID)
	}
	var n int64
	w.api.DB.Raw("SELECT count(*) FROM permit_applications WHERE user_id = ?", owner.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d applications", n)
	}
}

func TestReadAccess(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	a := w.simple(t, owner)
	for _, as := range []apitest.Actor{owner, w.licensing, w.api.Admin()} {
		var got application
		w.api.Get(path(a, ""), as).Expect(http.StatusOK).JSON(&got)
		if got.ID != a.ID || got.Data["holder_name"] != "Sari Wulandari" {
			t.Fatalf("got %+v", got)
		}
	}
	w.api.Get(path(a, ""), w.api.User("budi")).ExpectProblem(http.StatusNotFound, "not_found")
	w.api.Get(path(a, ""), w.api.Staff(identity.DeptRevenue)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get(path(a, ""), apitest.Anonymous).Expect(http.StatusUnauthorized)
	w.api.Get("/api/v1/permits/applications/0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60", owner).ExpectProblem(http.StatusNotFound, "not_found")
}

func TestEditDraft(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	a := w.simple(t, owner)
	edit := func(as apitest.Actor, data map[string]any) *apitest.Response {
		return w.api.Send(http.MethodPatch, path(a, ""), map[string]any{"data": data}, as)
	}
	var got application
	edit(owner, map[string]any{"holder_name": "  Sari W.  ", "count": 7}).Expect(http.StatusOK).JSON(&got)
	if got.Data["holder_name"] != "Sari W." || got.Data["count"] != float64(7) {
		t.Fatalf("data %v", got.Data)
	}
	if errs := fieldErrors(t, edit(owner, map[string]any{"holder_name": "Sari", "count": 11})); errs["data.count"] == "" {
		t.Fatalf("errors %v", errs)
	}
	edit(w.licensing, map[string]any{"holder_name": "X"}).ExpectProblem(http.StatusForbidden, "forbidden")
	edit(w.api.User("budi"), map[string]any{"holder_name": "X"}).ExpectProblem(http.StatusNotFound, "not_found")
	// A submitted application is not edited; one sent back for revision is.
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK)
	edit(owner, map[string]any{"holder_name": "Sari"}).ExpectProblem(http.StatusConflict, "not_editable")
	w.move(t, a, "in_review", "", w.licensing).Expect(http.StatusOK)
	w.move(t, a, "needs_revision", "Nama lengkap, mohon.", w.licensing).Expect(http.StatusOK)
	edit(owner, map[string]any{"holder_name": "Sari Wulandari"}).Expect(http.StatusOK)
}

func TestListMine(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	other := w.api.User("budi")
	w.simple(t, other)
	ids := map[string]bool{}
	for range 5 {
		ids[w.simple(t, owner).ID] = true
	}
	pages := w.api.All(apitest.PageLimit("/api/v1/me/permit-applications", 2), owner)
	if len(pages) != 5 {
		t.Fatalf("%d items, want 5", len(pages))
	}
	var prev string
	for _, raw := range pages {
		var a application
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		if !ids[a.ID] || (prev != "" && a.ID >= prev) {
			t.Fatalf("item %s (after %s)", a.ID, prev)
		}
		prev = a.ID
	}
	// Another list's cursor is refused.
	var page struct {
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	w.api.Get(apitest.PageLimit("/api/v1/me/permit-applications", 1), owner).Expect(http.StatusOK).JSON(&page)
	w.api.Get("/api/v1/me/permit-applications?cursor="+*page.Meta.NextCursor, other).ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Get("/api/v1/me/permit-applications", apitest.Anonymous).Expect(http.StatusUnauthorized)
}
