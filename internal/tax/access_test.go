package tax_test

import (
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// Every tax route, allowed and denied: citizens' routes need a signed-in
// user (anonymous 401); staff routes are the revenue department's (a user
// or another department 403); a bill is its owner's and revenue staff's.
func TestTaxAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at(t, "2026-10-15")
	owner := w.citizen(t, "Sari", sariNIK, sariBorn, true)
	pending := w.citizen(t, "Budi", budiNIK, budiBorn, false)
	o := w.object(t, "33.72.010.001.002-0003.0", "pbb", "Sari Wulandari", sariNIK)
	b := w.bill(t, o.ID, "2026", 1_000_000, "2026-09-30")
	stranger := w.api.User("Joko")
	tourism := w.api.Staff(identity.DeptTourism)
	admin := w.api.Admin()

	citizenRoutes := []apitest.Req{
		{Method: http.MethodPut, Path: "/api/v1/me/citizen-profile", Body: map[string]any{"nik": budiNIK, "full_name": "Budi", "birth_date": budiBorn}},
		{Method: http.MethodGet, Path: "/api/v1/me/citizen-profile"},
		{Method: http.MethodGet, Path: "/api/v1/me/tax-objects"},
		{Method: http.MethodGet, Path: "/api/v1/me/tax-bills"},
		{Method: http.MethodGet, Path: "/api/v1/taxes/bills/lookup?nop=337201000100200030"},
		{Method: http.MethodGet, Path: "/api/v1/taxes/bills/" + b.ID},
	}
	for _, r := range citizenRoutes {
		r.As = apitest.Anonymous
		w.api.Do(r).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	}

	staffRoutes := []apitest.Req{
		{Method: http.MethodGet, Path: "/api/v1/staff/citizen-profiles"},
		{Method: http.MethodPost, Path: "/api/v1/staff/citizen-profiles/" + pending.ID.String() + "/verify"},
		{Method: http.MethodPost, Path: "/api/v1/staff/citizen-profiles/" + pending.ID.String() + "/reject", Body: map[string]any{"reason": "Blurred photo"}},
		{Method: http.MethodPost, Path: "/api/v1/taxes/objects", Body: map[string]any{"nop": "337201000100200040", "type": "pbb",
			"address": "Jl. Slamet Riyadi 1", "owner_name": "Budi", "owner_nik": budiNIK}},
		{Method: http.MethodPatch, Path: "/api/v1/taxes/objects/" + o.ID, Body: map[string]any{"address": "Jl. Slamet Riyadi 2"}},
		{Method: http.MethodPost, Path: "/api/v1/taxes/bills", Body: map[string]any{"object_id": o.ID, "period": "2025",
			"principal_idr": 1000, "due_date": "2025-09-30"}},
	}
	for _, r := range staffRoutes {
		r.As = apitest.Anonymous
		w.api.Do(r).ExpectProblem(http.StatusUnauthorized, "unauthorized")
		for _, as := range []apitest.Actor{owner, tourism} {
			r.As = as
			w.api.Do(r).ExpectProblem(http.StatusForbidden, "forbidden")
		}
	}
	var n int64
	w.api.DB.Raw("SELECT count(*) FROM tax_objects").Scan(&n)
	if n != 1 {
		t.Fatalf("%d objects after denied writes, want 1", n)
	}

	// Allowed: revenue staff and admins run the staff routes.
	w.api.Get("/api/v1/staff/citizen-profiles", w.revenue).Expect(http.StatusOK)
	w.api.Get("/api/v1/staff/citizen-profiles?status=verified", admin).Expect(http.StatusOK)
	w.api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+pending.ID.String()+"/reject",
		map[string]any{"reason": "Blurred photo"}, w.revenue).Expect(http.StatusOK)
	w.api.Send(http.MethodPatch, "/api/v1/taxes/objects/"+o.ID, map[string]any{"address": "Jl. Slamet Riyadi 2"}, admin).Expect(http.StatusOK)

	// The bill: its owner and revenue staff see it; anyone else gets 404.
	w.api.Get("/api/v1/taxes/bills/"+b.ID, owner).Expect(http.StatusOK)
	w.api.Get("/api/v1/taxes/bills/"+b.ID, w.revenue).Expect(http.StatusOK)
	for _, as := range []apitest.Actor{stranger, pending, tourism} {
		w.api.Get("/api/v1/taxes/bills/"+b.ID, as).ExpectProblem(http.StatusNotFound, "not_found")
	}
	// Anyone signed in may look a bill up by NOP (to pay it for someone).
	w.api.Get("/api/v1/taxes/bills/lookup?nop=33.72.010.001.002-0003.0", stranger).Expect(http.StatusOK)
	w.api.Get("/api/v1/me/citizen-profile", stranger).ExpectProblem(http.StatusNotFound, "not_found")
	// A stranger's lists are empty, not someone else's.
	for _, p := range []string{"/api/v1/me/tax-objects", "/api/v1/me/tax-bills"} {
		if got := w.api.All(p, stranger); len(got) != 0 {
			t.Fatalf("%s for a stranger: %d items", p, len(got))
		}
		if got := w.api.All(p, pending); len(got) != 0 {
			t.Fatalf("%s for an unverified citizen: %d items", p, len(got))
		}
	}
}
