package transport_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// world is a small transport network made through the staff API.
type world struct {
	api      *apitest.API
	staff    apitest.Actor
	stops    []string
	route    string // a steam_train route (bookable)
	busRoute string // a city_bus route (not bookable)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldOn(t, apitest.New(t))
}

// newWorldOn builds the network on an API the test configured itself.
func newWorldOn(t *testing.T, api *apitest.API) *world {
	t.Helper()
	w := &world{api: api, staff: api.Staff(identity.DeptTransport)}
	api.Send(http.MethodPost, "/api/v1/transport/modes", map[string]any{
		"code": "steam_train", "name": map[string]string{"id": "Kereta uap", "en": "Steam train"},
		"description": map[string]string{"id": "Kereta wisata.\nBerangkat dari Purwosari.", "en": "A tourist train."},
		"bookable":    true,
		"fares": []map[string]any{{"category": "adult", "label": "Dewasa / Adult", "amount_idr": 50000},
			{"category": "child", "label": "Anak / Child", "amount_idr": 25000}},
		"operating_hours": []map[string]any{{"day": 0, "open": "09:00", "close": "12:00"}},
	}, w.staff).Expect(http.StatusCreated)
	api.Send(http.MethodPost, "/api/v1/transport/modes", map[string]any{
		"code": "city_bus", "name": map[string]string{"id": "Batik Solo Trans"}, "bookable": false,
	}, w.staff).Expect(http.StatusCreated)
	for _, s := range []struct {
		name     string
		lat, lng float64
	}{{"Stasiun Purwosari", -7.5613, 110.7958}, {"Loji Gandrung", -7.5676, 110.8137}, {"Stasiun Solo Kota", -7.5822, 110.8352}} {
		var out struct{ ID string }
		api.Send(http.MethodPost, "/api/v1/transport/stops", map[string]any{
			"name": map[string]string{"id": s.name}, "location": map[string]float64{"lat": s.lat, "lng": s.lng},
		}, w.staff).Expect(http.StatusCreated).JSON(&out)
		w.stops = append(w.stops, out.ID)
	}
	w.route = w.newRoute(t, "steam_train", w.stops)
	w.busRoute = w.newRoute(t, "city_bus", w.stops[1:])
	return w
}

func (w *world) newRoute(t *testing.T, mode string, stops []string) string {
	t.Helper()
	var out struct{ ID string }
	w.api.Send(http.MethodPost, "/api/v1/transport/routes", map[string]any{
		"mode": mode, "name": map[string]string{"id": "Rute " + mode, "en": "Route " + mode}, "stop_ids": stops,
	}, w.staff).Expect(http.StatusCreated).JSON(&out)
	return out.ID
}

// trip creates a trip of route departing in `in` with capacity seats at
// 50 000 rupiah.
func (w *world) trip(t *testing.T, route string, in time.Duration, capacity int) string {
	t.Helper()
	dep := time.Now().Add(in).Truncate(time.Minute)
	var out struct{ ID string }
	w.api.Send(http.MethodPost, "/api/v1/transport/trips", map[string]any{
		"route_id": route, "departs_at": dep.Format(time.RFC3339), "arrives_at": dep.Add(3 * time.Hour).Format(time.RFC3339),
		"capacity": capacity, "fare_idr": 50000,
	}, w.staff).Expect(http.StatusCreated).JSON(&out)
	return out.ID
}

type booking struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Status   string `json:"status"`
	Seats    int    `json:"seats"`
	TotalIDR int64  `json:"total_idr"`
	Trip     trip   `json:"trip"`
}

type trip struct {
	ID             string `json:"id"`
	Mode           string `json:"mode"`
	Capacity       int    `json:"capacity"`
	SeatsAvailable int    `json:"seats_available"`
	Status         string `json:"status"`
}

func (w *world) book(tripID string, seats any, as apitest.Actor, key string) *apitest.Response {
	h := map[string]string{}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/transport/trips/" + tripID + "/bookings",
		Body: map[string]any{"seats": seats, "passenger_name": "Sari"}, As: as, Header: h})
}

func (w *world) seats(t *testing.T, tripID string) trip {
	t.Helper()
	var out trip
	w.api.Get("/api/v1/transport/trips/"+tripID, apitest.Anonymous).Expect(http.StatusOK).JSON(&out)
	return out
}

func (w *world) notifications(t *testing.T, as apitest.Actor, kind string) int {
	t.Helper()
	var page struct {
		Data []struct {
			Kind string `json:"kind"`
		} `json:"data"`
	}
	w.api.Get("/api/v1/me/notifications?limit=100", as).Expect(http.StatusOK).JSON(&page)
	n := 0
	for _, d := range page.Data {
		if d.Kind == kind {
			n++
		}
	}
	return n
}

func count(t *testing.T, api *apitest.API, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := api.DB.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

var _ = fmt.Sprint
