package transport_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
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

	// The demo tourist sees her bookings and their confirmations.
	sari := api.Login("user@example.com", identity.DemoPassword)
	if n := len(api.All("/api/v1/me/bookings", sari)); n != 3 {
		t.Fatalf("the demo tourist has %d bookings, want 3", n)
	}
	if n := (&world{api: api}).notifications(t, sari, "booking_confirmed"); n != 3 {
		t.Fatalf("%d booking confirmations, want 3", n)
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
