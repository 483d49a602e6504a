package transport_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/testdb"
)

// While the database is unreachable every transport and notification
// endpoint answers 503 with Retry-After, and booking works again, once,
// when it is back.
func TestTransportDuringADatabaseCut(t *testing.T) {
	t.Parallel()
	if !testdb.IsPostgres() {
		t.Skip("network faults need PostgreSQL; SQLite is a file")
	}
	w := newWorld(t)
	direct := w.api
	tr := w.trip(t, w.route, 4*time.Hour, 10)
	sari := direct.User("sari")
	proxy := testdb.NewFaultProxy(t, direct.DB.URL)
	cut := direct.ReplicaVia(proxy.URL(direct.DB.URL))
	bookReq := apitest.Req{Method: http.MethodPost, Path: "/api/v1/transport/trips/" + tr + "/bookings", As: sari,
		Body: map[string]any{"seats": 2, "passenger_name": "Sari"}, Header: map[string]string{"Idempotency-Key": "outage"}}

	proxy.Refuse()
	for _, r := range []apitest.Req{
		{Method: http.MethodGet, Path: "/api/v1/transport/modes"},
		{Method: http.MethodGet, Path: "/api/v1/transport/routes"},
		{Method: http.MethodGet, Path: "/api/v1/transport/stops?near=-7.56,110.80"},
		{Method: http.MethodGet, Path: "/api/v1/transport/trips?route_id=" + w.route},
		{Method: http.MethodGet, Path: "/api/v1/transport/trips/" + tr},
		{Method: http.MethodGet, Path: "/api/v1/me/bookings", As: sari},
		{Method: http.MethodGet, Path: "/api/v1/me/notifications", As: sari},
		bookReq,
	} {
		res := cut.Do(r)
		if res.Code != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s during the cut: %d (Retry-After %q); %s", r.Method, r.Path, res.Code, res.Header.Get("Retry-After"), res.Body)
		}
	}
	proxy.Heal()
	deadline := time.Now().Add(5 * time.Second)
	var res *apitest.Response
	for {
		if res = cut.Do(bookReq); res.Code != http.StatusServiceUnavailable || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	res.Expect(http.StatusCreated)
	cut.Do(bookReq).Expect(http.StatusCreated)
	if n := count(t, direct, "SELECT COUNT(*) FROM transport_bookings WHERE trip_id = ?", tr); n != 1 {
		t.Fatalf("%d bookings after the cut, want 1", n)
	}
}
