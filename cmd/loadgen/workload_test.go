package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

func testFixture() *fixture.Set {
	return &fixture.Set{
		PerKind: 100,
		Centre:  fixture.Point{Lat: -7.5666, Lng: 110.8167},
		Categories: map[string][]string{
			"attraction": {"museum", "park"}, "culinary": {"soup"}, "event": {"music"},
		},
		Slugs: map[string][]string{"attraction": {"museum-batik-laweyan-1", "taman-kauman-2"}},
		NameWords: map[string][]string{
			"attraction": {"Museum", "Batik", "Laweyan"},
			"culinary":   {"Warung", "Soto"},
			"event":      {"Festival", "Batik"},
		},
	}
}

func haversineM(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371000.0
	dp, dl := (lat2-lat1)*math.Pi/180, (lng2-lng1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(lat1*math.Pi/180)*math.Cos(lat2*math.Pi/180)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

func TestWorkloadsDrawFromTheDataSet(t *testing.T) {
	t.Parallel()
	fx := testFixture()
	ws, err := Workloads(fx)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(RunFile{Results: resultsOf(ws)}); !slices.Equal(got, []string{"W1", "W2", "W3", "W4", "W5"}) {
		t.Fatalf("workloads %v", got)
	}
	targets := map[string]float64{"W1": 4000, "W2": 10000, "W3": 4000, "W4": 2000, "W5": 2000}
	rng := rand.New(rand.NewPCG(1, 2))
	allWords := []string{"museum", "batik", "laweyan", "warung", "soto", "festival"}
	for _, w := range ws {
		if w.TargetRPS != targets[w.ID] {
			t.Errorf("%s target %v", w.ID, w.TargetRPS)
		}
		for range 200 {
			u, err := url.Parse(w.Next(rng))
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			switch w.ID {
			case "W1":
				if u.Path != "/api/v1/attractions" || !slices.Contains(fx.Categories["attraction"], q.Get("category")) ||
					q.Get("sort") != "rating" || q.Get("limit") != "20" {
					t.Fatalf("W1 %s", u)
				}
			case "W2":
				slug, ok := strings.CutPrefix(u.Path, "/api/v1/attractions/")
				if !ok || !slices.Contains(fx.Slugs["attraction"], slug) {
					t.Fatalf("W2 %s", u)
				}
			case "W3":
				parts := strings.Split(q.Get("near"), ",")
				if u.Path != "/api/v1/culinary" || len(parts) != 2 || q.Get("radius_m") != "3000" || q.Get("sort") != "distance" {
					t.Fatalf("W3 %s", u)
				}
				lat, _ := strconv.ParseFloat(parts[0], 64)
				lng, _ := strconv.ParseFloat(parts[1], 64)
				if d := haversineM(fx.Centre.Lat, fx.Centre.Lng, lat, lng); d > nearRadiusM+5 {
					t.Fatalf("W3 point %.0f m from the centre", d)
				}
			case "W4":
				if u.Path != "/api/v1/attractions" || !slices.Contains(fx.NameWords["attraction"], q.Get("q")) || q.Get("limit") != "20" {
					t.Fatalf("W4 %s", u)
				}
			case "W5":
				p := q.Get("q")
				if u.Path != "/api/v1/search/suggest" || len(p) < 3 || len(p) > 6 ||
					!slices.ContainsFunc(allWords, func(w string) bool { return strings.HasPrefix(w, p) }) {
					t.Fatalf("W5 %s", u)
				}
			}
		}
	}
}

func resultsOf(ws []Workload) []Result {
	var out []Result
	for _, w := range ws {
		out = append(out, Result{ID: w.ID})
	}
	return out
}

func TestSuggestWordsAreDistinct(t *testing.T) {
	t.Parallel()
	ws, _ := Workloads(testFixture())
	w5, _ := Select(ws, "W5")
	// Museum Batik Laweyan Warung Soto Festival: Batik is in two kinds.
	if !strings.Contains(w5[0].Random, "one of the 6 distinct words") {
		t.Fatalf("W5 draws from %q", w5[0].Random)
	}
}

func TestWorkloadsNeedAWholeDataSet(t *testing.T) {
	t.Parallel()
	fx := testFixture()
	fx.Slugs = nil
	if _, err := Workloads(fx); err == nil || !strings.Contains(err.Error(), "slugs") {
		t.Fatalf("err = %v", err)
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	ws, _ := Workloads(testFixture())
	got, err := Select(ws, "w3, W1")
	if err != nil || len(got) != 2 || got[0].ID != "W3" || got[1].ID != "W1" {
		t.Fatalf("Select = %v, %v", got, err)
	}
	if _, err := Select(ws, "W9"); err == nil {
		t.Fatal("unknown workload accepted")
	}
}

func TestPrefixLength(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	seen := map[int]bool{}
	for range 500 {
		p := Prefix(rng, "Keroncong")
		if !strings.HasPrefix("keroncong", p) {
			t.Fatalf("prefix %q", p)
		}
		seen[len(p)] = true
	}
	for n := 3; n <= 6; n++ {
		if !seen[n] {
			t.Errorf("no prefix of length %d", n)
		}
	}
	if p := Prefix(rng, "Mie"); p != "mie" {
		t.Errorf("Prefix(Mie) = %q", p)
	}
}

func TestDiscoverFollowsCursors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := strings.TrimPrefix(r.URL.Path, "/api/v1/")
		page := r.URL.Query().Get("cursor")
		var next any
		if page == "" {
			next = "p2"
		}
		json.NewEncoder(w).Encode(map[string]any{
			"data": []map[string]string{{
				"slug": fmt.Sprintf("%s-%s", kind, page), "name": "Museum Batik " + page, "category": "museum",
			}},
			"meta": map[string]any{"limit": 100, "next_cursor": next},
		})
	}))
	defer srv.Close()
	fx, err := Discover(context.Background(), NewClient(1, 0), srv.URL, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got := fx.Slugs["attraction"]; !slices.Equal(got, []string{"attractions-", "attractions-p2"}) {
		t.Fatalf("slugs %v", got)
	}
	if !slices.Equal(fx.Categories["culinary"], []string{"museum"}) || !slices.Contains(fx.NameWords["event"], "Batik") {
		t.Fatalf("fixture %+v", fx)
	}
	if _, err := Workloads(fx); err != nil {
		t.Fatalf("discovered set does not build workloads: %v", err)
	}
}
