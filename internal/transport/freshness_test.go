package transport_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
)

// The public reads revalidate with ETags; a trip's seats are never answered
// stale: after a booking, the ETag held from before no longer matches and the
// answer carries the new count at once (trips are not micro-cached).
func TestTripSeatsNeverStale(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setClock(departure.Add(-time.Hour))
	tr := w.tripOn(t, departure, 10)
	day := "/api/v1/transport/trips?route_id=" + w.route + "&date=" + departure.Format(time.DateOnly)

	for _, p := range []string{"/api/v1/transport/modes", "/api/v1/transport/routes", "/api/v1/transport/routes/" + w.route,
		"/api/v1/transport/stops", "/api/v1/transport/tickets/public-key", "/api/v1/transport/trips/" + tr, day} {
		res := w.api.Get(p, apitest.Anonymous).Expect(http.StatusOK)
		etag := res.Header.Get("ETag")
		if etag == "" || res.Header.Get("Cache-Control") == "" {
			t.Fatalf("GET %s: ETag %q, Cache-Control %q", p, etag, res.Header.Get("Cache-Control"))
		}
		w.api.Do(apitest.Req{Method: http.MethodGet, Path: p, As: apitest.Anonymous,
			Header: map[string]string{"If-None-Match": etag}}).Expect(http.StatusNotModified)
	}

	before := w.api.Get("/api/v1/transport/trips/"+tr, apitest.Anonymous).Expect(http.StatusOK)
	beforeList := w.api.Get(day, apitest.Anonymous).Expect(http.StatusOK)
	w.book(tr, 3, w.api.User("sari"), "").Expect(http.StatusCreated)

	var one trip
	after := w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/trips/" + tr, As: apitest.Anonymous,
		Header: map[string]string{"If-None-Match": before.Header.Get("ETag")}}).Expect(http.StatusOK)
	after.JSON(&one)
	if one.SeatsAvailable != 7 || after.Header.Get("ETag") == before.Header.Get("ETag") {
		t.Fatalf("after booking: %d seats, ETag %q (was %q)", one.SeatsAvailable, after.Header.Get("ETag"), before.Header.Get("ETag"))
	}
	var list struct{ Data []trip }
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: day, As: apitest.Anonymous,
		Header: map[string]string{"If-None-Match": beforeList.Header.Get("ETag")}}).Expect(http.StatusOK).JSON(&list)
	if len(list.Data) != 1 || list.Data[0].SeatsAvailable != 7 {
		t.Fatalf("day list after booking: %+v", list.Data)
	}
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/trips/" + tr, As: apitest.Anonymous,
		Header: map[string]string{"If-None-Match": after.Header.Get("ETag")}}).Expect(http.StatusNotModified)
}
