package catalog_test

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
)

// nearCatalog fills a catalog for the radius strategies: attractions and
// events around the Keraton from a few metres to 1.8 km away, a few far
// outside the city, with rating and name ties, two categories, a tag, a
// search word in names or descriptions, and opening hours open all of
// today or none of it.
func nearCatalog(t *testing.T, api *apitest.API) {
	t.Helper()
	staff := tourismStaff(api)
	const mPerDegLat = 6371008.8 * math.Pi / 180
	at := func(d, angle float64) point {
		c := keraton
		return point{c.Lat + d*math.Sin(angle)/mPerDegLat, c.Lng + d*math.Cos(angle)/(mPerDegLat*math.Cos(c.Lat*math.Pi/180))}
	}
	today := int(time.Now().In(catalog.Jakarta).Weekday())
	names := []string{"Candi Sewu", "candi sewu", "Batik Danar", "Omah Lawas", "Pendapa", "Museum Radya", "taman Balekambang", "Benteng"}
	start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Hour)
	for i := range 56 {
		d := 25 * float64(i)
		if i >= 50 {
			d = 20000 + 3000*float64(i-50) // outside the city, inside 50 km
		}
		p := at(d, float64(i)*2.4)
		name := fmt.Sprintf("%s %d", names[i%len(names)], i%5) // repeats: name ties broken by id
		en := ""
		if i%3 == 0 {
			en = "Site " + name
		}
		desc := "Tempat bersejarah."
		if i%4 == 1 {
			desc = "Pameran batik tulis."
		}
		mods := []func(map[string]any){
			set("name", map[string]any{"id": name, "en": en}), set("location", p.json()),
			set("description", map[string]any{"id": desc, "en": "A historic place."}),
		}
		if i%3 == 0 {
			mods = append(mods, set("opening_hours", []map[string]any{{"day": today, "open": "00:00", "close": "24:00"}}))
		}
		if i%2 == 0 {
			mods = append(mods, set("tags", []string{"heritage"}))
		}
		cat := "museum"
		if i%3 == 1 {
			cat = "market"
		}
		a := create(t, api, staff, "attractions", body("attractions", name, append(mods, set("category", cat))...))
		setRating(t, api, a.ID, []float64{4.5, 3.0, 4.5, 5.0, 0, 4.0}[i%6], 4)
		if i%2 == 0 {
			s := start.Add(time.Duration(i%7) * 24 * time.Hour) // start ties broken by id
			e := create(t, api, staff, "events", body("events", name, append(mods,
				set("category", []string{"festival", "music"}[i%4/2]),
				set("starts_at", s.Format(time.RFC3339)), set("ends_at", s.Add(5*time.Hour).Format(time.RFC3339)))...))
			setRating(t, api, e.ID, []float64{4.5, 3.0, 4.5, 5.0, 0}[i%5], 2)
		}
	}
}

// pages walks every page of a list, each page as its ids and its
// next_cursor.
func pages(t *testing.T, api *apitest.API, path string, v url.Values) []string {
	t.Helper()
	var out []string
	w := url.Values{}
	for k, vs := range v {
		w[k] = vs
	}
	for range 100 {
		p := list(t, api, path, w)
		next := "<end>"
		if p.Meta.NextCursor != nil {
			next = *p.Meta.NextCursor
		}
		for _, l := range p.Data {
			if v.Has("near") && l.DistanceM == nil {
				t.Fatalf("%v: %s has no distance", v, l.ID)
			}
		}
		out = append(out, strings.Join(ids(p), ",")+" → "+next)
		if p.Meta.NextCursor == nil {
			return out
		}
		w.Set("cursor", next)
	}
	t.Fatal("cursor walk did not end")
	return nil
}

// searchPages is pages for /search.
func searchPages(t *testing.T, api *apitest.API, v url.Values) []string {
	t.Helper()
	var out []string
	w := url.Values{}
	for k, vs := range v {
		w[k] = vs
	}
	for range 100 {
		h := search(t, api, "/api/v1/search", w)
		next := "<end>"
		if h.Meta.NextCursor != nil {
			next = *h.Meta.NextCursor
		}
		out = append(out, strings.Join(hitIDs(h), ",")+" → "+next)
		if h.Meta.NextCursor == nil {
			return out
		}
		w.Set("cursor", next)
	}
	t.Fatal("search walk did not end")
	return nil
}

// TestNearStrategiesAgree runs every radius query, and every search
// without one, under each strategy a request may take (collect the radius
// and order it; walk the sort's index and filter, with a walk long enough
// for a page and with one so short that the planner takes over; and the
// automatic choice) and requires exactly the pages of the straightforward
// query: same items, same order, same cursors. Sorted by distance, the
// straightforward query is the nearest-first walk that checks the filters
// of ever more candidates; the others collect the radius and filter it in
// SQL, or walk nearest-first with the filters in the scan.
func TestNearStrategiesAgree(t *testing.T) {
	if raceDetector {
		t.Skip("sequential page comparisons: the passes without the race detector run them")
	}
	t.Parallel()
	api := apitest.New(t)
	nearCatalog(t, api)
	svc := api.App.Catalog

	type tc struct {
		path string
		v    url.Values
	}
	var cases []tc
	radii := []string{"150", "700", "50000"}
	filters := []url.Values{
		{}, {"category": {"museum"}}, {"q": {"batik"}}, {"min_rating": {"4"}}, {"open_now": {"true"}},
		{"tag": {"heritage"}}, {"q": {"candi"}, "category": {"market"}},
		{"q": {"sewu pameran"}}, // seven listings, one in eight of them from 175 m
	}
	for _, r := range radii {
		for _, f := range filters {
			sorts := []string{"rating", "name", "newest", "distance"}
			if f.Has("q") {
				sorts = append(sorts, "relevance")
			}
			for _, s := range sorts {
				v := url.Values{"near": {keraton.near()}, "radius_m": {r}, "sort": {s}, "limit": {"4"}}
				for k, vs := range f {
					v[k] = vs
				}
				cases = append(cases, tc{"/api/v1/attractions", v})
				if s == "name" {
					w := url.Values{"lang": {"en"}}
					for k, vs := range v {
						w[k] = vs
					}
					cases = append(cases, tc{"/api/v1/attractions", w})
				}
			}
		}
		for _, s := range []string{"starts_at", "rating", "name", "newest", "distance"} {
			cases = append(cases,
				tc{"/api/v1/events", url.Values{"near": {keraton.near()}, "radius_m": {r}, "sort": {s}, "limit": {"3"}}},
				tc{"/api/v1/events", url.Values{"near": {keraton.near()}, "radius_m": {r}, "sort": {s}, "limit": {"3"},
					"from": {time.Now().Add(96 * time.Hour).UTC().Format(time.RFC3339)}, "to": {time.Now().Add(150 * time.Hour).UTC().Format(time.RFC3339)}}},
				tc{"/api/v1/events", url.Values{"near": {keraton.near()}, "radius_m": {r}, "sort": {s}, "limit": {"3"}, "category": {"music"}}},
				// A window holding the last events only, and one past them.
				tc{"/api/v1/events", url.Values{"near": {keraton.near()}, "radius_m": {r}, "sort": {s}, "limit": {"3"},
					"from": {time.Now().Add(200 * time.Hour).UTC().Format(time.RFC3339)}, "to": {time.Now().Add(400 * time.Hour).UTC().Format(time.RFC3339)}}},
				tc{"/api/v1/events", url.Values{"near": {keraton.near()}, "radius_m": {r}, "sort": {s}, "limit": {"3"},
					"from": {time.Now().Add(400 * time.Hour).UTC().Format(time.RFC3339)}, "to": {time.Now().Add(600 * time.Hour).UTC().Format(time.RFC3339)}}},
			)
		}
	}

	// Search words and tags without a radius: the walk comes first on
	// PostgreSQL.
	for _, words := range []string{"batik", "candi", "sewu pameran", "zzz"} {
		for _, s := range []string{"relevance", "rating", "name", "newest"} {
			cases = append(cases,
				tc{"/api/v1/attractions", url.Values{"q": {words}, "sort": {s}, "limit": {"4"}}},
				tc{"/api/v1/attractions", url.Values{"q": {words}, "sort": {s}, "limit": {"4"}, "category": {"market"}}},
				tc{"/api/v1/events", url.Values{"q": {words}, "sort": {s}, "limit": {"3"}}})
		}
	}
	for _, s := range []string{"rating", "name", "newest"} {
		cases = append(cases,
			tc{"/api/v1/attractions", url.Values{"tag": {"heritage"}, "sort": {s}, "limit": {"4"}}},
			tc{"/api/v1/attractions", url.Values{"tag": {"heritage"}, "category": {"market"}, "sort": {s}, "limit": {"4"}}},
			tc{"/api/v1/attractions", url.Values{"tag": {"nowhere"}, "sort": {s}, "limit": {"4"}}})
	}
	for _, r := range radii {
		for _, words := range []string{"batik", "candi", "sewu pameran"} {
			for _, types := range []string{"", "attraction", "event,attraction"} {
				v := url.Values{"q": {words}, "near": {keraton.near()}, "radius_m": {r}, "limit": {"3"}}
				if types != "" {
					v.Set("types", types)
				}
				cases = append(cases, tc{"/api/v1/search", v})
			}
		}
	}
	get := func(c tc) []string {
		if c.path == "/api/v1/search" {
			return searchPages(t, api, c.v)
		}
		return pages(t, api, c.path, c.v)
	}

	want := make([][]string, len(cases))
	catalog.ForceNearStrategy(svc, "plain", 0)
	nonEmpty := 0
	for i, c := range cases {
		want[i] = get(c)
		if !strings.HasPrefix(want[i][0], " → ") {
			nonEmpty++
		}
	}
	if nonEmpty < len(cases)*3/4 {
		t.Fatalf("only %d of %d queries found anything: the catalog does not test much", nonEmpty, len(cases))
	}
	// A walk of 3 rows holds no page of a filtered radius: then the words
	// or tags are collected, or (past a collect cap of 1) walked longer.
	// "auto" reads words through the facets index (the cells around the
	// point, nearest first, or those covering the radius); past a cap of
	// 1 it gives way to the walks, which the last run takes without it.
	for _, st := range []struct {
		name      string
		rows, cap int
		noFacets  bool
		blocks    string
		wholeRows bool
	}{{"collect", 0, 0, false, "auto", false}, {"walk", 0, 0, false, "auto", false}, {"walk", 3, 0, false, "auto", false}, {"walk", 3, 1, false, "auto", false},
		{"walk", 0, 0, false, "auto", true}, {"walk", 3, 0, false, "auto", true}, {"walk", 3, 1, false, "auto", true}, // words walked in whole rows, as in a radius holding most listings
		{"auto", 0, 0, false, "auto", false}, {"auto", 0, 1, false, "auto", false}, {"auto", 0, 0, true, "auto", false},
		{"auto", 0, 0, false, "first", false},                                                // by name: the words' block and their matches outside it, in the radius
		{"auto", 0, 0, false, "sample", false}, {"auto", 0, 0, false, "small-sample", false}, // by name: blocks from a sample of the matches
		{"auto", 0, 0, false, "window", false}, {"auto", 0, 1, false, "window", false}, {"auto", 0, 0, false, "narrow-window", false}} { // by name: windows of the name order
		catalog.ForceNearStrategy(svc, st.name, st.rows)
		catalog.SetCollectCap(svc, st.cap)
		catalog.SetFacets(svc, !st.noFacets)
		catalog.SetNameBlocks(svc, st.blocks)
		catalog.SetWholeRowWalks(svc, st.wholeRows)
		for i, c := range cases {
			got := get(c)
			if strings.Join(got, "\n") != strings.Join(want[i], "\n") {
				t.Errorf("%s (walk rows %d, collect cap %d, no facets %v, name blocks %s, whole rows %v) %s?%s:\n got %q\nwant %q",
					st.name, st.rows, st.cap, st.noFacets, st.blocks, st.wholeRows, c.path, c.v.Encode(), got, want[i])
			}
		}
	}
	catalog.SetWholeRowWalks(svc, false)
	catalog.ForceNearStrategy(svc, "auto", 0)
	catalog.SetCollectCap(svc, 0)
	catalog.SetFacets(svc, true)
	catalog.SetNameBlocks(svc, "auto")
}
