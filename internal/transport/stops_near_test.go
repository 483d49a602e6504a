package transport_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/pkg/geo"
)

// Walking ?near= pages of every size gives exactly the stops a brute-force
// ordering of every stop gives: within the radius, by distance_m then id,
// none twice, none missing. The stops are random, with exact ties
// (duplicates, and pairs mirrored across the point's meridian), a crowd at
// one spot larger than a page, stops a few centimetres either side of the
// radius, and a few across the antimeridian.
func TestNearStopPagesMatchBruteForce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// A stop that two routes of different modes and one route of the same
	// mode serve lists each mode once.
	w.newRoute(t, "city_bus", w.stops[1:])
	rng := rand.New(rand.NewPCG(7, 10))
	center := [2]float64{-7.5700, 110.8200}
	const edgeR = 1500.0
	var pts [][2]float64
	for range 120 { // about 3 km around the centre
		pts = append(pts, [2]float64{center[0] + (rng.Float64()-0.5)*0.06, center[1] + (rng.Float64()-0.5)*0.06})
	}
	for i := range 12 { // the same place twice
		pts = append(pts, pts[i*7])
	}
	for range 8 { // mirrored across the centre's meridian: the same distance
		dLat, dLng := (rng.Float64()-0.5)*0.02, rng.Float64()*0.01
		pts = append(pts, [2]float64{center[0] + dLat, center[1] + dLng}, [2]float64{center[0] + dLat, center[1] - dLng})
	}
	crowd := [2]float64{center[0] + 0.004, center[1] - 0.003}
	for range 25 { // more at one spot than a page holds
		pts = append(pts, crowd)
	}
	for i := range 40 { // within a few centimetres of edgeR from the centre
		pts = append(pts, destination(center, rng.Float64()*360, edgeR+float64(i%8-4)*0.02))
	}
	pts = append(pts, [2]float64{0.001, 179.9995}, [2]float64{-0.001, -179.9995}, [2]float64{0, 179.98})
	for i, p := range pts {
		w.api.Send(http.MethodPost, "/api/v1/transport/stops", map[string]any{
			"name": map[string]string{"id": fmt.Sprintf("Halte %d", i)}, "location": map[string]float64{"lat": p[0], "lng": p[1]},
		}, w.staff).Expect(http.StatusCreated)
	}

	type stop struct {
		ID       uuid.UUID `json:"id"`
		Location struct {
			Lat float64 `json:"lat"`
			Lng float64 `json:"lng"`
		} `json:"location"`
		DistanceM *float64 `json:"distance_m"`
		Modes     []string `json:"modes"`
	}
	decode := func(raw []json.RawMessage) []stop {
		out := make([]stop, len(raw))
		for i, r := range raw {
			if err := json.Unmarshal(r, &out[i]); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	every := decode(w.api.All(apitest.PageLimit("/api/v1/transport/stops", 100), apitest.Anonymous))
	if len(every) != len(pts)+3 {
		t.Fatalf("%d stops, want %d", len(every), len(pts)+3)
	}
	loji := decode(w.api.All("/api/v1/transport/stops?near=-7.5676,110.8137&radius_m=1", apitest.Anonymous))
	if len(loji) != 1 || loji[0].ID.String() != w.stops[1] || !slices.Equal(loji[0].Modes, []string{"city_bus", "steam_train"}) {
		t.Fatalf("stops at Loji Gandrung: %+v", loji)
	}

	for _, c := range []struct {
		lat, lng, r float64
	}{
		{center[0], center[1], edgeR},
		{center[0], center[1], 2000},
		{crowd[0], crowd[1], 800},
		{center[0] + 0.02, center[1] - 0.025, 3000},
		{center[0], center[1], 50000},
		{0, 180, 5000},
		{-60, 20, 1000}, // no stop at all
	} {
		type ranked struct {
			id uuid.UUID
			d  float64
		}
		var want []ranked
		for _, s := range every {
			d := geo.RoundM(geo.DistanceM(c.lat, c.lng, s.Location.Lat, s.Location.Lng))
			if d <= c.r {
				want = append(want, ranked{s.ID, d})
			}
		}
		slices.SortFunc(want, func(a, b ranked) int { return cmp.Or(cmp.Compare(a.d, b.d), bytes.Compare(a.id[:], b.id[:])) })
		for _, limit := range []int{1, 3, 7, 20, 100} {
			path := apitest.PageLimit(fmt.Sprintf("/api/v1/transport/stops?near=%v,%v&radius_m=%v", c.lat, c.lng, c.r), limit)
			got := decode(w.api.All(path, apitest.Anonymous))
			if len(got) != len(want) {
				t.Fatalf("%s: %d stops, want %d", path, len(got), len(want))
			}
			for i := range want {
				if got[i].ID != want[i].id || got[i].DistanceM == nil || *got[i].DistanceM != want[i].d || got[i].Modes == nil {
					t.Fatalf("%s: stop %d is %v at %v m, want %v at %v m", path, i, got[i].ID, got[i].DistanceM, want[i].id, want[i].d)
				}
			}
		}
	}
}

// destination is the point d metres from p on the bearing (degrees).
func destination(p [2]float64, bearing, d float64) [2]float64 {
	const rad = math.Pi / 180
	a := d / geo.EarthRadiusM
	lat1, b := p[0]*rad, bearing*rad
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(a) + math.Cos(lat1)*math.Sin(a)*math.Cos(b))
	lng2 := p[1]*rad + math.Atan2(math.Sin(b)*math.Sin(a)*math.Cos(lat1), math.Cos(a)-math.Sin(lat1)*math.Sin(lat2))
	return [2]float64{lat2 / rad, lng2 / rad}
}
