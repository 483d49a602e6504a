package transport_test

import (
	"net/http"
	"testing"
	"time"
)

// Bookings are counted on /metrics once they commit; a refused one is not.
func TestBookingMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari := w.api.User("Sari")
	trip := w.trip(t, w.route, 48*time.Hour, 2)
	if n := w.api.Metric("transport_bookings_confirmed_total"); n != 0 {
		t.Fatalf("confirmed before any booking: %v", n)
	}

	var b booking
	w.book(trip, 2, sari, "").Expect(http.StatusCreated).JSON(&b)
	w.book(trip, 1, sari, "").ExpectProblem(http.StatusConflict, "insufficient_seats")
	if n := w.api.Metric("transport_bookings_confirmed_total"); n != 1 {
		t.Fatalf("confirmed after one booking and one refusal: %v", n)
	}
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b.ID+"/cancel", nil, sari).Expect(http.StatusOK)
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b.ID+"/cancel", nil, sari).Expect(http.StatusOK) // unchanged
	if n := w.api.Metric(`transport_bookings_cancelled_total{reason="passenger"}`); n != 1 {
		t.Fatalf("cancelled by the passenger: %v", n)
	}

	// Cancelling the trip cancels its bookings: counted by reason.
	w.book(trip, 1, sari, "").Expect(http.StatusCreated)
	w.book(trip, 1, w.api.User("Budi"), "").Expect(http.StatusCreated)
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+trip, map[string]any{"status": "cancelled"}, w.staff).Expect(http.StatusOK)
	if n := w.api.Metric(`transport_bookings_cancelled_total{reason="staff"}`); n != 2 {
		t.Fatalf("cancelled with their trip: %v", n)
	}
	if n := w.api.Metric("transport_bookings_confirmed_total"); n != 3 {
		t.Fatalf("confirmed: %v", n)
	}
}
