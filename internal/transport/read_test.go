package transport_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
)

func TestModesAreLocalisedAndCacheable(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var list struct {
		Data []struct {
			Code     string `json:"code"`
			Name     any    `json:"name"`
			Bookable bool   `json:"bookable"`
			Fares    []struct {
				Category  string `json:"category"`
				AmountIDR int64  `json:"amount_idr"`
			} `json:"fares"`
			OperatingHours []map[string]any `json:"operating_hours"`
		} `json:"data"`
	}
	res := w.api.Get("/api/v1/transport/modes?lang=en", apitest.Anonymous).Expect(http.StatusOK)
	res.JSON(&list)
	if len(list.Data) != 2 || list.Data[1].Code != "steam_train" || list.Data[1].Name != "Steam train" ||
		!list.Data[1].Bookable || len(list.Data[1].Fares) != 2 || list.Data[1].Fares[0].AmountIDR != 50000 ||
		len(list.Data[1].OperatingHours) != 1 {
		t.Fatalf("modes %+v", list.Data)
	}
	if list.Data[0].Name != "Batik Solo Trans" { // no English name: Indonesian
		t.Fatalf("fallback name %v", list.Data[0].Name)
	}
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/modes?lang=en",
		Header: map[string]string{"If-None-Match": res.Header.Get("ETag")}}).Expect(http.StatusNotModified)
	w.api.Get("/api/v1/transport/modes?lang=all", apitest.Anonymous).Expect(http.StatusOK).JSON(&list)
	if m, ok := list.Data[1].Name.(map[string]any); !ok || m["id"] != "Kereta uap" {
		t.Fatalf("lang=all name %v", list.Data[1].Name)
	}
	w.api.Send(http.MethodPatch, "/api/v1/transport/modes/city_bus", map[string]any{
		"fares": []map[string]any{{"category": "student", "label": "Pelajar", "amount_idr": 2000}}}, w.staff).Expect(http.StatusOK)
	w.api.Send(http.MethodPatch, "/api/v1/transport/modes/city_bus", map[string]any{
		"fares": []map[string]any{{"category": "pirate", "amount_idr": 1}}}, w.staff).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	w.api.Send(http.MethodPatch, "/api/v1/transport/modes/city_bus", map[string]any{"name": map[string]string{"id": " "}}, w.staff).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	w.api.Send(http.MethodPatch, "/api/v1/transport/modes/nope", map[string]any{"bookable": true}, w.staff).ExpectProblem(http.StatusNotFound, "not_found")
}

func TestRoutesHaveOrderedStopsAndAPath(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var r struct {
		Mode  string `json:"mode"`
		Stops []struct {
			ID    string `json:"id"`
			Name  string `json:"name"`
			Order int    `json:"order"`
		} `json:"stops"`
		Path struct {
			Type        string      `json:"type"`
			Coordinates [][]float64 `json:"coordinates"`
		} `json:"path"`
	}
	w.api.Get("/api/v1/transport/routes/"+w.route, apitest.Anonymous).Expect(http.StatusOK).JSON(&r)
	if r.Mode != "steam_train" || len(r.Stops) != 3 || r.Stops[0].ID != w.stops[0] || r.Stops[2].Order != 3 ||
		r.Stops[0].Name != "Stasiun Purwosari" || r.Path.Type != "LineString" || len(r.Path.Coordinates) != 3 ||
		r.Path.Coordinates[0][0] != 110.7958 {
		t.Fatalf("route %+v", r)
	}
	// A loop repeats its first stop; a drawn path replaces the straight lines.
	loop := append(append([]string{}, w.stops...), w.stops[0])
	path := [][]float64{{110.7958, -7.5613}, {110.80, -7.563}, {110.8137, -7.5676}}
	w.api.Send(http.MethodPatch, "/api/v1/transport/routes/"+w.route, map[string]any{"stop_ids": loop, "path": path}, w.staff).
		Expect(http.StatusOK)
	w.api.Get("/api/v1/transport/routes/"+w.route, apitest.Anonymous).Expect(http.StatusOK).JSON(&r)
	if len(r.Stops) != 4 || r.Stops[3].ID != w.stops[0] || len(r.Path.Coordinates) != 3 || r.Path.Coordinates[1][1] != -7.563 {
		t.Fatalf("loop route %+v", r)
	}
	if got := w.api.All(apitest.PageLimit("/api/v1/transport/routes", 1), apitest.Anonymous); len(got) != 2 {
		t.Fatalf("walked %d routes, want 2", len(got))
	}
	if got := w.api.All("/api/v1/transport/routes?mode=city_bus", apitest.Anonymous); len(got) != 1 {
		t.Fatalf("%d city bus routes, want 1", len(got))
	}
	w.api.Send(http.MethodPost, "/api/v1/transport/routes", map[string]any{"mode": "ufo", "name": map[string]string{"id": "X"},
		"stop_ids": w.stops}, w.staff).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	w.api.Send(http.MethodPost, "/api/v1/transport/routes", map[string]any{"mode": "city_bus", "name": map[string]string{"id": "X"},
		"stop_ids": w.stops[:1]}, w.staff).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	w.api.Get("/api/v1/transport/routes/0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60", apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
}

func TestStopsNearestFirstWithModes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	type stop struct {
		ID        string   `json:"id"`
		Modes     []string `json:"modes"`
		DistanceM *float64 `json:"distance_m"`
	}
	// From Purwosari station: Purwosari, then Loji Gandrung (about 2 km),
	// then Solo Kota (about 4.6 km), which a 3 km radius leaves out.
	raw := w.api.All(apitest.PageLimit("/api/v1/transport/stops?near=-7.5613,110.7958&radius_m=3000", 1), apitest.Anonymous)
	var got []stop
	for _, r := range raw {
		var s stop
		json.Unmarshal(r, &s)
		got = append(got, s)
	}
	if len(got) != 2 || got[0].ID != w.stops[0] || *got[0].DistanceM != 0 || got[1].ID != w.stops[1] ||
		*got[1].DistanceM < 1500 || *got[1].DistanceM > 2500 {
		t.Fatalf("near stops %+v", got)
	}
	if len(got[0].Modes) != 1 || got[0].Modes[0] != "steam_train" || len(got[1].Modes) != 2 {
		t.Fatalf("modes %v and %v", got[0].Modes, got[1].Modes)
	}
	if all := w.api.All(apitest.PageLimit("/api/v1/transport/stops", 2), apitest.Anonymous); len(all) != 3 {
		t.Fatalf("walked %d stops, want 3", len(all))
	}
	var first struct {
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	w.api.Get("/api/v1/transport/stops?limit=1", apitest.Anonymous).Expect(http.StatusOK).JSON(&first)
	w.api.Get("/api/v1/transport/stops?near=-7.5613,110.7958&cursor="+*first.Meta.NextCursor, apitest.Anonymous).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	for _, bad := range []string{"near=1", "near=91,0", "near=-7.5,110.8&radius_m=0", "near=-7.5,110.8&radius_m=50001", "radius_m=10"} {
		w.api.Get("/api/v1/transport/stops?"+bad, apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
}

func TestTripsByRouteAndDate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Three trips tomorrow (WIB) on the train route, one on the bus route.
	wib := time.FixedZone("WIB", 7*3600)
	tomorrow := time.Now().In(wib).AddDate(0, 0, 1)
	day := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 0, 0, 0, 0, wib)
	for _, h := range []int{15, 9, 12} {
		dep := day.Add(time.Duration(h) * time.Hour)
		w.api.Send(http.MethodPost, "/api/v1/transport/trips", map[string]any{"route_id": w.route,
			"departs_at": dep.Format(time.RFC3339), "arrives_at": dep.Add(2 * time.Hour).Format(time.RFC3339),
			"capacity": 43, "fare_idr": 20000}, w.staff).Expect(http.StatusCreated)
	}
	w.trip(t, w.busRoute, 30*time.Hour, 40)

	path := "/api/v1/transport/trips?route_id=" + w.route + "&date=" + day.Format(time.DateOnly)
	raw := w.api.All(apitest.PageLimit(path, 2), apitest.Anonymous)
	if len(raw) != 3 {
		t.Fatalf("%d trips that day, want 3", len(raw))
	}
	var prev time.Time
	for _, r := range raw {
		var tr struct {
			DepartsAt      time.Time `json:"departs_at"`
			SeatsAvailable int       `json:"seats_available"`
			Status         string    `json:"status"`
			Mode           string    `json:"mode"`
		}
		json.Unmarshal(r, &tr)
		if tr.DepartsAt.Before(prev) || tr.SeatsAvailable != 43 || tr.Status != "scheduled" || tr.Mode != "steam_train" {
			t.Fatalf("trip %+v after %v", tr, prev)
		}
		prev = tr.DepartsAt
	}
	if n := len(w.api.All("/api/v1/transport/trips?date="+day.AddDate(0, 0, 2).Format(time.DateOnly), apitest.Anonymous)); n != 0 {
		t.Fatalf("%d trips on an empty day", n)
	}
	for _, bad := range []string{"date=tomorrow", "route_id=nope", "date=2026-13-01"} {
		w.api.Get("/api/v1/transport/trips?"+bad, apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
	w.api.Send(http.MethodPost, "/api/v1/transport/trips", map[string]any{"route_id": w.route,
		"departs_at": time.Now().Add(-time.Hour).Format(time.RFC3339), "arrives_at": time.Now().Format(time.RFC3339),
		"capacity": 5, "fare_idr": 1}, w.staff).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	w.api.Send(http.MethodPost, "/api/v1/transport/trips", map[string]any{"route_id": w.route,
		"departs_at": time.Now().Add(time.Hour).Format(time.RFC3339), "arrives_at": time.Now().Format(time.RFC3339),
		"capacity": 0, "fare_idr": -1}, w.staff).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
}

// Lists load their joined data in one query per page, not per item.
func TestListsQueryCountDoesNotGrowWithItems(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari := w.api.User("sari")
	for range 6 {
		tr := w.trip(t, w.route, 2*time.Hour, 10)
		w.book(tr, 1, sari, "").Expect(http.StatusCreated)
	}
	for _, c := range []struct {
		path string
		as   apitest.Actor
		max  int64
	}{
		// One to authenticate, one for the page, one for the trips.
		{"/api/v1/me/bookings", sari, 3},
		// The routes, then all their stops.
		{"/api/v1/transport/routes", apitest.Anonymous, 2},
		// The stops, then the modes serving them.
		{"/api/v1/transport/stops?near=-7.5613,110.7958", apitest.Anonymous, 2},
		{"/api/v1/transport/trips", apitest.Anonymous, 1},
	} {
		w.api.DB.Queries.Reset()
		w.api.Get(c.path, c.as).Expect(http.StatusOK)
		if n := w.api.DB.Queries.Count(); n > c.max {
			t.Errorf("%s ran %d queries, want at most %d", c.path, n, c.max)
		}
	}
}
