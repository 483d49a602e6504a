package transport_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// Every transport route, allowed and denied: public reads for anyone,
// bookings for signed-in users (anonymous 401), staff writes for the
// transport department only (a user or another department 403).
func TestTransportAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	user := w.api.User("sari")
	tourism := w.api.Staff(identity.DeptTourism)
	tr := w.trip(t, w.route, 2*time.Hour, 10)
	var b booking
	w.book(tr, 1, user, "").Expect(http.StatusCreated).JSON(&b)

	stop := map[string]any{"name": map[string]string{"id": "Halte"}, "location": map[string]float64{"lat": -7.57, "lng": 110.82}}
	mode := map[string]any{"code": "andong", "name": map[string]string{"id": "Andong"}}
	route := map[string]any{"mode": "steam_train", "name": map[string]string{"id": "R"}, "stop_ids": w.stops[:2]}
	tripBody := map[string]any{"route_id": w.route, "departs_at": time.Now().Add(time.Hour).Format(time.RFC3339),
		"arrives_at": time.Now().Add(2 * time.Hour).Format(time.RFC3339), "capacity": 5, "fare_idr": 1000}
	const missing = "0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"

	public := []string{"/api/v1/transport/modes", "/api/v1/transport/routes", "/api/v1/transport/routes/" + w.route,
		"/api/v1/transport/stops", "/api/v1/transport/stops?near=-7.56,110.80", "/api/v1/transport/trips",
		"/api/v1/transport/trips?route_id=" + w.route + "&date=" + time.Now().Format(time.DateOnly), "/api/v1/transport/trips/" + tr}
	for _, p := range public {
		w.api.Get(p, apitest.Anonymous).Expect(http.StatusOK)
	}

	owner := []apitest.Req{
		{Method: http.MethodPost, Path: "/api/v1/transport/trips/" + tr + "/bookings", Body: map[string]any{"seats": 1, "passenger_name": "A"}},
		{Method: http.MethodGet, Path: "/api/v1/me/bookings"},
		{Method: http.MethodGet, Path: "/api/v1/me/bookings/" + b.ID},
		{Method: http.MethodPost, Path: "/api/v1/me/bookings/" + b.ID + "/cancel"},
	}
	for _, r := range owner {
		r.As = apitest.Anonymous
		w.api.Do(r).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	}

	staff := []apitest.Req{
		{Method: http.MethodPost, Path: "/api/v1/transport/modes", Body: mode},
		{Method: http.MethodPatch, Path: "/api/v1/transport/modes/andong", Body: map[string]any{"bookable": true}},
		{Method: http.MethodDelete, Path: "/api/v1/transport/modes/andong"},
		{Method: http.MethodPost, Path: "/api/v1/transport/stops", Body: stop},
		{Method: http.MethodPatch, Path: "/api/v1/transport/stops/" + w.stops[0], Body: map[string]any{"name": map[string]string{"id": "Purwosari"}}},
		{Method: http.MethodDelete, Path: "/api/v1/transport/stops/" + missing},
		{Method: http.MethodPost, Path: "/api/v1/transport/routes", Body: route},
		{Method: http.MethodPatch, Path: "/api/v1/transport/routes/" + w.route, Body: map[string]any{"description": map[string]string{"id": "Jalur"}}},
		{Method: http.MethodDelete, Path: "/api/v1/transport/routes/" + w.busRoute},
		{Method: http.MethodPost, Path: "/api/v1/transport/trips", Body: tripBody},
		{Method: http.MethodPatch, Path: "/api/v1/transport/trips/" + tr, Body: map[string]any{"status": "cancelled"}},
		{Method: http.MethodDelete, Path: "/api/v1/transport/trips/" + missing},
	}
	want := []int{201, 200, 204, 201, 200, 404, 201, 200, 204, 201, 200, 404}
	for i, r := range staff {
		for _, denied := range []struct {
			as     apitest.Actor
			status int
			code   string
		}{{apitest.Anonymous, 401, "unauthorized"}, {user, 403, "forbidden"}, {tourism, 403, "forbidden"}} {
			d := r
			d.As = denied.as
			w.api.Do(d).ExpectProblem(denied.status, denied.code)
		}
		r.As = w.staff
		w.api.Do(r).Expect(want[i])
	}
	// Admins may do what transport staff do.
	w.api.Send(http.MethodPost, "/api/v1/transport/stops", stop, w.api.Admin()).Expect(http.StatusCreated)
	if n := count(t, w.api, "SELECT COUNT(*) FROM audit_log WHERE entity LIKE 'transport_%'"); n < 10 {
		t.Fatalf("%d transport audit entries, want every staff write", n)
	}
	// In use: a mode with routes, a stop on a route, a route with trips, a
	// trip with bookings.
	w.api.Send(http.MethodDelete, "/api/v1/transport/modes/steam_train", nil, w.staff).ExpectProblem(http.StatusConflict, "in_use")
	w.api.Send(http.MethodDelete, "/api/v1/transport/stops/"+w.stops[0], nil, w.staff).ExpectProblem(http.StatusConflict, "in_use")
	w.api.Send(http.MethodDelete, "/api/v1/transport/routes/"+w.route, nil, w.staff).ExpectProblem(http.StatusConflict, "in_use")
	w.api.Send(http.MethodDelete, "/api/v1/transport/trips/"+tr, nil, w.staff).ExpectProblem(http.StatusConflict, "in_use")
	w.api.Send(http.MethodPost, "/api/v1/transport/modes", map[string]any{"code": "steam_train", "name": map[string]string{"id": "Lagi"}}, w.staff).
		ExpectProblem(http.StatusConflict, "conflict")
}
