package transport_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
)

var bookingCode = regexp.MustCompile(`^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$`)

func TestBookCancelAndSeeBookings(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari, budi := w.api.User("sari"), w.api.User("budi")
	tr := w.trip(t, w.route, 2*time.Hour, 5)

	var b booking
	res := w.book(tr, 2, sari, "").Expect(http.StatusCreated)
	res.JSON(&b)
	if !bookingCode.MatchString(b.Code) || b.Status != "confirmed" || b.Seats != 2 || b.TotalIDR != 100000 {
		t.Fatalf("booking %+v", b)
	}
	if got := w.seats(t, tr).SeatsAvailable; got != 3 {
		t.Fatalf("seats_available %d after booking 2 of 5, want 3", got)
	}
	w.book(tr, 4, budi, "").ExpectProblem(http.StatusConflict, "insufficient_seats")
	for _, bad := range []any{0, -1, 1e12, 11} {
		w.book(tr, bad, budi, "").ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	}
	w.book(tr, "two", budi, "").ExpectProblem(http.StatusBadRequest, "bad_request")
	bad := w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+tr+"/bookings",
		map[string]any{"seats": 1, "passenger_name": "Sari\nWulan"}, budi).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	if len(bad.Errors) != 1 || bad.Errors[0].Field != "passenger_name" {
		t.Fatalf("errors %+v, want passenger_name", bad.Errors)
	}
	w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+tr+"/bookings", map[string]any{"seats": 1}, budi).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")

	// Mine to see; someone else's is 404.
	if all := w.api.All("/api/v1/me/bookings", sari); len(all) != 1 {
		t.Fatalf("sari lists %d bookings, want 1", len(all))
	}
	if all := w.api.All("/api/v1/me/bookings", budi); len(all) != 0 {
		t.Fatalf("budi lists %d bookings, want 0", len(all))
	}
	w.api.Get("/api/v1/me/bookings/"+b.ID, sari).Expect(http.StatusOK)
	w.api.Get("/api/v1/me/bookings/"+b.ID, budi).ExpectProblem(http.StatusNotFound, "not_found")
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b.ID+"/cancel", nil, budi).ExpectProblem(http.StatusNotFound, "not_found")

	// Cancelling frees the seats once, however often it is asked.
	for range 3 {
		var c booking
		w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b.ID+"/cancel", nil, sari).Expect(http.StatusOK).JSON(&c)
		if c.Status != "cancelled" {
			t.Fatalf("status %q after cancel", c.Status)
		}
	}
	if got := w.seats(t, tr).SeatsAvailable; got != 5 {
		t.Fatalf("seats_available %d after cancelling, want 5", got)
	}
	if n := w.notifications(t, sari, "booking_confirmed"); n != 1 {
		t.Fatalf("%d booking_confirmed notifications, want 1", n)
	}
	if n := w.notifications(t, sari, "booking_cancelled"); n != 1 {
		t.Fatalf("%d booking_cancelled notifications, want 1", n)
	}
}

func TestBookingRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari := w.api.User("sari")

	bus := w.trip(t, w.busRoute, 2*time.Hour, 40)
	w.book(bus, 1, sari, "").ExpectProblem(http.StatusUnprocessableEntity, "not_bookable")

	cancelled := w.trip(t, w.route, 2*time.Hour, 10)
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+cancelled, map[string]any{"status": "cancelled"}, w.staff).Expect(http.StatusOK)
	w.book(cancelled, 1, sari, "").ExpectProblem(http.StatusConflict, "trip_cancelled")
	w.book("0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60", 1, sari, "").ExpectProblem(http.StatusNotFound, "not_found")

	// Time passes the departure: the trip reads departed and takes no
	// bookings, and a booking on it can no longer be cancelled.
	soon := w.trip(t, w.route, time.Hour, 10)
	var b booking
	w.book(soon, 1, sari, "").Expect(http.StatusCreated).JSON(&b)
	w.api.App.Transport.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	if st := w.seats(t, soon).Status; st != "departed" {
		t.Fatalf("status %q after departure time, want departed", st)
	}
	w.book(soon, 1, sari, "").ExpectProblem(http.StatusConflict, "trip_departed")
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b.ID+"/cancel", nil, sari).ExpectProblem(http.StatusConflict, "trip_departed")
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+soon, map[string]any{"status": "cancelled"}, w.staff).
		ExpectProblem(http.StatusConflict, "trip_departed")
}

// Cancelling a trip cancels its bookings in the same transaction and
// notifies each owner exactly once, even when asked twice.
func TestTripCancelNotifiesEachOwnerOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari, budi, ani := w.api.User("sari"), w.api.User("budi"), w.api.User("ani")
	tr := w.trip(t, w.route, 3*time.Hour, 20)
	w.book(tr, 2, sari, "").Expect(http.StatusCreated)
	w.book(tr, 1, sari, "").Expect(http.StatusCreated)
	w.book(tr, 3, budi, "").Expect(http.StatusCreated)
	var gone booking
	w.book(tr, 1, ani, "").Expect(http.StatusCreated).JSON(&gone)
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+gone.ID+"/cancel", nil, ani).Expect(http.StatusOK)

	for range 2 {
		var out trip
		w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+tr, map[string]any{"status": "cancelled"}, w.staff).
			Expect(http.StatusOK).JSON(&out)
		if out.Status != "cancelled" {
			t.Fatalf("status %q", out.Status)
		}
	}
	for _, c := range []struct {
		who  apitest.Actor
		want int
	}{{sari, 1}, {budi, 1}, {ani, 0}} {
		if n := w.notifications(t, c.who, "trip_cancelled"); n != c.want {
			t.Errorf("%s got %d trip_cancelled notifications, want %d", c.who.Email, n, c.want)
		}
	}
	if n := count(t, w.api, "SELECT COUNT(*) FROM transport_bookings WHERE trip_id = ? AND status = 'confirmed'", tr); n != 0 {
		t.Fatalf("%d bookings still confirmed", n)
	}
	if n := count(t, w.api, "SELECT COUNT(*) FROM audit_log WHERE action = 'transport_trip.cancel' AND entity_id = ?", tr); n != 1 {
		t.Fatalf("%d audit entries for the cancel, want 1", n)
	}
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+tr, map[string]any{"status": "scheduled"}, w.staff).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
}

// A booking refused before any seat is touched (the trip shows too few
// seats) is stored under its Idempotency-Key like any other answer: the
// retry replays the same 409 even after seats were freed, and a new key
// books them.
func TestRefusedBookingReplaysByKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari, budi := w.api.User("sari"), w.api.User("budi")
	tr := w.trip(t, w.route, 2*time.Hour, 2)
	var b booking
	w.book(tr, 2, sari, "").Expect(http.StatusCreated).JSON(&b)

	first := w.book(tr, 1, budi, "budi-1")
	p := first.ExpectProblem(http.StatusConflict, "insufficient_seats")
	if p.Detail != "Only 0 seats are left on this trip." {
		t.Fatalf("detail %q", p.Detail)
	}
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b.ID+"/cancel", nil, sari).Expect(http.StatusOK)
	again := w.book(tr, 1, budi, "budi-1")
	again.ExpectProblem(http.StatusConflict, "insufficient_seats")
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("retry answered %q with %s, want the stored 409 %s", again.Header.Get("Idempotent-Replayed"), again.Body, first.Body)
	}
	if got := w.seats(t, tr).SeatsAvailable; got != 2 {
		t.Fatalf("seats_available %d, want 2", got)
	}
	w.book(tr, 1, budi, "budi-2").Expect(http.StatusCreated)

	// A cancelled trip is refused the same way, and so is its replay.
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+tr, map[string]any{"status": "cancelled"}, w.staff).Expect(http.StatusOK)
	w.book(tr, 1, sari, "sari-1").ExpectProblem(http.StatusConflict, "trip_cancelled")
	if r := w.book(tr, 1, sari, "sari-1"); r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the refused request's retry was not replayed")
	}
}
