package transport_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

type seatFill struct {
	Date    string     `json:"date"`
	Today   fillWindow `json:"today"`
	Weekend fillWindow `json:"weekend"`
}

type fillWindow struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Trips       int    `json:"trips"`
	Capacity    int    `json:"capacity"`
	SeatsBooked int    `json:"seats_booked"`
	Items       []struct {
		TripID      string    `json:"trip_id"`
		RouteName   string    `json:"route_name"`
		Mode        string    `json:"mode"`
		DepartsAt   time.Time `json:"departs_at"`
		Capacity    int       `json:"capacity"`
		SeatsBooked int       `json:"seats_booked"`
	} `json:"items"`
}

func (w *world) tripAt(t *testing.T, route string, dep time.Time, capacity int) string {
	t.Helper()
	var out struct{ ID string }
	w.api.Send(http.MethodPost, "/api/v1/transport/trips", map[string]any{
		"route_id": route, "departs_at": dep.Format(time.RFC3339), "arrives_at": dep.Add(time.Hour).Format(time.RFC3339),
		"capacity": capacity, "fare_idr": 50000,
	}, w.staff).Expect(http.StatusCreated).JSON(&out)
	return out.ID
}

// The dashboard sums today's and this weekend's bookable trips in Asia/Jakarta:
// cancelled trips, trips of modes that take no bookings and trips outside
// the days are left out; seats booked follow bookings and their cancelling.
func TestSeatFillSummary(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	friday := time.Date(2027, 1, 8, 10, 0, 0, 0, wib)
	w.frozen(friday)
	sari, budi := w.api.User("sari"), w.api.User("budi")

	a := w.tripAt(t, w.route, time.Date(2027, 1, 8, 14, 0, 0, 0, wib), 10)
	w.tripAt(t, w.route, time.Date(2027, 1, 8, 23, 59, 0, 0, wib), 8)
	cancelled := w.tripAt(t, w.route, time.Date(2027, 1, 8, 16, 0, 0, 0, wib), 20)
	w.tripAt(t, w.busRoute, time.Date(2027, 1, 8, 12, 0, 0, 0, wib), 30) // not bookable
	sat := w.tripAt(t, w.route, time.Date(2027, 1, 9, 9, 0, 0, 0, wib), 20)
	w.tripAt(t, w.route, time.Date(2027, 1, 10, 23, 30, 0, 0, wib), 10)
	w.tripAt(t, w.route, time.Date(2027, 1, 11, 0, 30, 0, 0, wib), 40) // Monday
	w.book(a, 4, sari, "").Expect(http.StatusCreated)
	w.book(sat, 3, sari, "").Expect(http.StatusCreated)
	var gone struct{ ID string }
	w.book(sat, 2, budi, "").Expect(http.StatusCreated).JSON(&gone)
	w.book(cancelled, 5, budi, "").Expect(http.StatusCreated)
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+cancelled, map[string]any{"status": "cancelled"}, w.staff).Expect(http.StatusOK)
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+gone.ID+"/cancel", nil, budi).Expect(http.StatusOK)

	var got seatFill
	w.api.Get("/api/v1/staff/summary/transport?lang=en", w.staff).Expect(http.StatusOK).JSON(&got)
	if got.Date != "2027-01-08" || got.Today.From != "2027-01-08" || got.Today.To != "2027-01-08" ||
		got.Weekend.From != "2027-01-09" || got.Weekend.To != "2027-01-10" {
		t.Fatalf("days: %+v", got)
	}
	if got.Today.Trips != 2 || got.Today.Capacity != 18 || got.Today.SeatsBooked != 4 || len(got.Today.Items) != 2 {
		t.Errorf("today: %+v", got.Today)
	}
	if it := got.Today.Items[0]; it.TripID != a || it.SeatsBooked != 4 || it.Capacity != 10 || it.Mode != "steam_train" || it.RouteName == "" {
		t.Errorf("today's first trip: %+v", it)
	}
	if got.Weekend.Trips != 2 || got.Weekend.Capacity != 30 || got.Weekend.SeatsBooked != 3 {
		t.Errorf("weekend: %+v", got.Weekend)
	}
	if !got.Weekend.Items[0].DepartsAt.Before(got.Weekend.Items[1].DepartsAt) {
		t.Error("weekend trips are not in departure order")
	}

	// On a Sunday the weekend is the current one.
	w.frozen(time.Date(2027, 1, 10, 8, 0, 0, 0, wib))
	w.api.Get("/api/v1/staff/summary/transport", w.staff).Expect(http.StatusOK).JSON(&got)
	if got.Weekend.From != "2027-01-09" || got.Weekend.To != "2027-01-10" || got.Today.Trips != 1 || got.Today.Capacity != 10 {
		t.Errorf("on Sunday: %+v", got)
	}
}

func TestSeatFillSummaryIsForTransportStaff(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	path := "/api/v1/staff/summary/transport"
	api.Get(path, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Get(path, api.User("sari")).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Get(path, api.Staff(identity.DeptRevenue)).ExpectProblem(http.StatusForbidden, "forbidden")
	var got seatFill
	api.Get(path, api.Admin()).Expect(http.StatusOK).JSON(&got)
	if got.Today.Trips != 0 || got.Today.Items == nil || got.Weekend.Items == nil {
		t.Errorf("an empty network: %+v", got)
	}
}
