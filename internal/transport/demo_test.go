package transport_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/transport"
)

// The demo network loads from a fixed "now" (Saturday 5 December 2026,
// 10:00 WIB), once, reads back in both languages, has eight weeks of trips
// with Christmas as a Werkudara holiday, and the next two Werkudara trips
// that await their cutoff are one over and one under the minimum.
func TestDemoNetwork(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	api.App.Transport.SetClock(func() time.Time { return at(2026, 12, 5, 10, 0) })
	start := time.Now()
	if err := api.App.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo seeded in %v", time.Since(start))
	if err := api.App.Seed(context.Background()); err != nil { // a second start seeds nothing
		t.Fatal(err)
	}
	var modes struct {
		Data []struct {
			Code     string `json:"code"`
			Name     string `json:"name"`
			Bookable bool   `json:"bookable"`
		} `json:"data"`
	}
	api.Get("/api/v1/transport/modes?lang=en", apitest.Anonymous).Expect(http.StatusOK).JSON(&modes)
	bookable := map[string]bool{}
	for _, m := range modes.Data {
		bookable[m.Code] = m.Bookable
	}
	if len(modes.Data) != 5 || bookable["city_bus"] || bookable["andong"] || !bookable["steam_train"] || !bookable["double_decker_bus"] {
		t.Fatalf("demo modes %+v", modes.Data)
	}
	var routes []struct {
		ID    string `json:"id"`
		Mode  string `json:"mode"`
		Name  string `json:"name"`
		Stops []any  `json:"stops"`
	}
	for _, raw := range api.All("/api/v1/transport/routes?lang=en&limit=100", apitest.Anonymous) {
		var r struct {
			ID    string `json:"id"`
			Mode  string `json:"mode"`
			Name  string `json:"name"`
			Stops []any  `json:"stops"`
		}
		json.Unmarshal(raw, &r)
		routes = append(routes, r)
	}
	perMode := map[string]int{}
	byName := map[string]string{}
	for _, r := range routes {
		perMode[r.Mode]++
		byName[r.Name] = r.ID
	}
	if len(routes) != 8 || perMode["city_bus"] != 2 || perMode["electric_car"] != 2 || perMode["andong"] != 2 || len(routes[0].Stops) < 2 {
		t.Fatalf("demo routes by mode %v", perMode)
	}
	if n := len(api.All("/api/v1/transport/schedules?limit=100", apitest.Anonymous)); n != 6 {
		t.Fatalf("%d demo schedules, want 6 (andong runs on demand)", n)
	}
	if n := count(t, api, "SELECT count(*) FROM transport_trips WHERE departs_at > ?", at(2027, 1, 29, 23, 59)); n != 0 {
		t.Fatalf("%d trips beyond eight weeks", n)
	}
	if n := count(t, api, "SELECT count(*) FROM transport_trips WHERE departs_at >= ?", at(2027, 1, 29, 0, 0)); n == 0 {
		t.Fatal("no trips in the eighth week")
	}

	werkudara := byName["Werkudara city loop"]
	var day struct{ Data []schedTrip }
	api.Get("/api/v1/transport/trips?route_id="+werkudara+"&date=2026-12-25", apitest.Anonymous).Expect(http.StatusOK).JSON(&day)
	if len(day.Data) != 3 {
		t.Fatalf("%d Werkudara trips on Christmas Day, want 3", len(day.Data))
	}
	api.Get("/api/v1/transport/trips?route_id="+werkudara+"&date=2026-12-05", apitest.Anonymous).Expect(http.StatusOK).JSON(&day)
	if len(day.Data) != 2 || day.Data[0].ConfirmBy != nil {
		t.Fatalf("today's Werkudara trips %+v: 12:00 and 15:00, their cutoff already past", day.Data)
	}
	api.Get("/api/v1/transport/trips?route_id="+werkudara+"&date=2026-12-06", apitest.Anonymous).Expect(http.StatusOK).JSON(&day)
	if len(day.Data) != 3 || day.Data[0].ConfirmBy == nil || !day.Data[0].ConfirmBy.Equal(at(2026, 12, 5, 18, 0)) {
		t.Fatalf("Sunday's Werkudara trips %+v", day.Data)
	}
	if booked := day.Data[0].Capacity - day.Data[0].Seats; booked < 15 {
		t.Fatalf("first pending Werkudara trip has %d passengers, want at least 15", booked)
	}
	if booked := day.Data[1].Capacity - day.Data[1].Seats; booked == 0 || booked >= 15 {
		t.Fatalf("second pending Werkudara trip has %d passengers, want some but under 15", booked)
	}

	// The demo tourist sees her bookings (two of them in the past week) and
	// their confirmations.
	sari := api.Login("user@example.com", identity.DemoPassword)
	if n := len(api.All("/api/v1/me/bookings", sari)); n != 5 {
		t.Fatalf("the demo tourist has %d bookings, want 5", n)
	}
	if n := (&world{api: api}).notifications(t, sari, "booking_confirmed"); n != 5 {
		t.Fatalf("%d booking confirmations, want 5", n)
	}
	// Rides can be booked; BST corridors cannot.
	api.Send(http.MethodPost, "/api/v1/transport/trips/"+day.Data[2].ID+"/bookings",
		map[string]any{"seats": 2, "passenger_name": "Sari"}, api.User("sari")).Expect(http.StatusCreated)
	api.Get("/api/v1/transport/trips?route_id="+byName["BST corridor 1: Adi Soemarmo airport – Palur"]+"&date=2026-12-07", apitest.Anonymous).
		Expect(http.StatusOK).JSON(&day)
	if len(day.Data) != 13 {
		t.Fatalf("%d BST corridor 1 trips on a Monday, want 13", len(day.Data))
	}
	api.Send(http.MethodPost, "/api/v1/transport/trips/"+day.Data[0].ID+"/bookings",
		map[string]any{"seats": 1, "passenger_name": "Sari"}, sari).ExpectProblem(http.StatusUnprocessableEntity, "not_bookable")
	if near := api.All("/api/v1/transport/stops?near=-7.5613,110.7958&radius_m=500", apitest.Anonymous); len(near) != 1 {
		t.Fatalf("%d stops within 500 m of Purwosari, want 1", len(near))
	}
}

// The demo's past week was played through the ridership pass: of the
// previous weekend's Werkudara departures the last was cancelled for too few
// passengers, its booking with it and its owner told once, and the others
// ran confirmed. Of the coming departures only the two left under the
// minimum on purpose are under it, and the passes at each coming cutoff
// cancel exactly those and confirm the rest.
func TestDemoRidershipOutcomes(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	now := at(2026, 12, 5, 10, 0) // a Saturday
	api.App.Transport.SetClock(func() time.Time { return now })
	start := time.Now()
	if err := api.App.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo seeded in %v", time.Since(start))
	if !api.App.Transport.Now().Equal(now) {
		t.Fatalf("seeding moved the clock to %v", api.App.Transport.Now())
	}
	w := &world{api: api}
	var werkudara string
	for _, raw := range api.All("/api/v1/transport/routes?lang=en&limit=100", apitest.Anonymous) {
		var r struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		json.Unmarshal(raw, &r)
		if r.Name == "Werkudara city loop" {
			werkudara = r.ID
		}
	}
	type listed struct {
		schedTrip
		Status string `json:"status"`
	}
	var sat, sun struct{ Data []listed }
	api.Get("/api/v1/transport/trips?route_id="+werkudara+"&date=2026-11-28", apitest.Anonymous).Expect(http.StatusOK).JSON(&sat)
	api.Get("/api/v1/transport/trips?route_id="+werkudara+"&date=2026-11-29", apitest.Anonymous).Expect(http.StatusOK).JSON(&sun)
	past := append(sat.Data, sun.Data...)
	if len(past) != 6 {
		t.Fatalf("%d Werkudara trips on the previous weekend, want 6", len(past))
	}
	for i, tr := range past {
		booked := tr.Capacity - tr.Seats
		switch {
		case i == 5 && (tr.Status != "cancelled" || tr.Confirmed):
			t.Fatalf("the previous Sunday's 15:00 trip is %s (confirmed %v), want cancelled", tr.Status, tr.Confirmed)
		case i < 5 && (tr.Status != "departed" || !tr.Confirmed || booked < 15):
			t.Fatalf("previous weekend trip %d: %s, confirmed %v, %d passengers; want departed and confirmed", i, tr.Status, tr.Confirmed, booked)
		}
	}
	cancelled := past[5].ID
	if n := count(t, api, "SELECT count(*) FROM transport_trips WHERE id = ? AND cancel_reason = 'min_passengers'", cancelled); n != 1 {
		t.Fatal("the previous weekend's trip was not cancelled for its minimum")
	}
	if n := count(t, api, "SELECT count(*) FROM transport_bookings WHERE trip_id = ? AND status = 'cancelled'", cancelled); n != 1 {
		t.Fatalf("%d cancelled bookings on the cancelled trip, want 1", n)
	}
	if n := count(t, api, "SELECT count(*) FROM transport_bookings WHERE trip_id = ? AND status = 'confirmed'", cancelled); n != 0 {
		t.Fatalf("%d bookings still confirmed on the cancelled trip", n)
	}
	if n := count(t, api, "SELECT count(*) FROM notifications WHERE kind = 'trip_cancelled'"); n != 1 {
		t.Fatalf("%d trip cancellations notified, want 1", n)
	}
	sari := api.Login("user@example.com", identity.DemoPassword)
	if n := w.notifications(t, sari, "trip_cancelled"); n != 1 {
		t.Fatalf("the demo tourist was told of %d cancelled trips, want 1", n)
	}

	// The coming departures that await their cutoff.
	var pending []struct {
		ID        string
		Booked    int
		ConfirmBy time.Time
	}
	if err := api.DB.Raw(`SELECT t.id, t.capacity - t.seats_available AS booked, t.confirm_by FROM transport_trips t
		JOIN transport_routes r ON r.id = t.route_id WHERE r.id = ? AND t.confirm_by IS NOT NULL AND t.status = 'scheduled'
		AND t.confirmed_at IS NULL AND t.departs_at > ? ORDER BY t.departs_at`, werkudara, now.UTC()).Scan(&pending).Error; err != nil {
		t.Fatal(err)
	}
	if len(pending) < 40 {
		t.Fatalf("%d coming Werkudara trips await a cutoff", len(pending))
	}
	var short []string
	for _, p := range pending {
		if p.Booked < 15 {
			short = append(short, p.ID)
		}
	}
	if len(short) != 2 || short[0] != pending[1].ID {
		t.Fatalf("coming trips under the minimum %v, want 2, the second trip first", short)
	}
	if n := count(t, api, `SELECT count(*) FROM transport_bookings WHERE seats > 10`); n != 0 {
		t.Fatalf("%d demo bookings of more than 10 seats", n)
	}

	// The job at each coming cutoff cancels just those two.
	var cutoffs []time.Time
	for _, p := range pending {
		if c := p.ConfirmBy.UTC(); !slices.ContainsFunc(cutoffs, c.Equal) {
			cutoffs = append(cutoffs, c)
		}
	}
	var total transport.RidershipOutcome
	for _, c := range cutoffs {
		api.App.Transport.SetClock(func() time.Time { return c.Add(time.Minute) })
		out := pass(t, api)
		total.Confirmed += out.Confirmed
		total.Cancelled += out.Cancelled
	}
	if total.Cancelled != 2 || total.Confirmed != len(pending)-2 {
		t.Fatalf("the coming cutoffs decided %+v of %d trips, want 2 cancelled", total, len(pending))
	}
	if again := pass(t, api); again != (transport.RidershipOutcome{}) {
		t.Fatalf("a second pass decided %+v", again)
	}
	var gone []string
	if err := api.DB.Raw(`SELECT id FROM transport_trips WHERE route_id = ? AND status = 'cancelled' AND departs_at > ? ORDER BY departs_at`,
		werkudara, now.UTC()).Scan(&gone).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gone, short) {
		t.Fatalf("cancelled coming trips %v, want %v", gone, short)
	}
	if n := w.notifications(t, sari, "trip_cancelled"); n != 2 {
		t.Fatalf("the demo tourist was told of %d cancelled trips, want 2", n)
	}
}
