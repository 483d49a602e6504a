package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestMatrixWorkloads(t *testing.T) {
	ws, err := MatrixWorkloads(testFixture())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	shapes := map[string]bool{}
	r := rand.New(rand.NewPCG(1, 2))
	for _, w := range ws {
		if seen[w.ID] || shapes[w.Shape] {
			t.Errorf("%s %s: repeated", w.ID, w.Shape)
		}
		seen[w.ID], shapes[w.Shape] = true, true
		u, err := url.Parse(w.Next(r))
		if err != nil {
			t.Fatal(err)
		}
		v := u.Query()
		s := v.Get("sort")
		switch {
		case s == "distance" && !v.Has("near"), s == "relevance" && !v.Has("q"),
			s == "starts_at" && !strings.HasSuffix(u.Path, "/events"):
			t.Errorf("%s: sort %s not allowed in %s", w.ID, s, u)
		case v.Has("near") && v.Get("radius_m") != "200" && v.Get("radius_m") != "50000":
			t.Errorf("%s: radius %s", w.ID, v.Get("radius_m"))
		case v.Get("limit") != "20":
			t.Errorf("%s: limit %s", w.ID, v.Get("limit"))
		}
	}
	for _, want := range []string{
		"near (200 m), sort=rating", "near (50 km), sort=distance", "near + q (200 m), sort=relevance",
		"near + category (50 km), sort=newest", "near + open_now (200 m), sort=name", "near + min_rating (50 km), sort=rating",
		"q + category, sort=name", "category + min_rating, sort=rating", "events from/to + near (50 km), sort=starts_at",
		"tag, sort=newest", "q, sort=relevance", "open_now, sort=rating",
	} {
		found := false
		for _, w := range ws {
			found = found || w.Title == want
		}
		if !found {
			t.Errorf("no combination %q", want)
		}
	}
}

func TestMatrixVerdicts(t *testing.T) {
	mf := MatrixFile{PerKind: 10000, DurationS: 1, Rows: []MatrixRow{
		{ID: "M01", Title: "a", P50MS: 1, P99MS: 2, StaticP50: 0.1, StaticP99: 0.2},
		{ID: "M02", Title: "b", P50MS: 1, P99MS: 25, StaticP50: 0.1, StaticP99: 0.2},
		{ID: "M03", Title: "c", P50MS: 1, P99MS: 2, StaticP50: 0.1, StaticP99: 0.2},
	}}
	ex := &Explained{Workloads: map[string][]ExplainedRequest{
		"M01": {{Statements: []Statement{{Plan: "Limit  (cost=0.42..1.00 rows=21 width=8) (actual time=0.01..0.02 rows=21 loops=1)\n  ->  Index Scan using listings_rating_idx on listings l  (cost=0.42..9.00 rows=100 width=8) (actual time=0.01..0.02 rows=21 loops=1)"}}}},
		"M03": {{Statements: []Statement{{Plan: "Sort  (cost=1.00..2.00 rows=21 width=8) (actual time=1..2 rows=21 loops=1)\n  ->  Bitmap Heap Scan on listings l  (cost=1.00..2.00 rows=93 width=8) (actual time=1.0..160.0 rows=44120 loops=1)"}}}},
	}}
	md := RenderMatrix(mf, ex, "make bench")
	lines := strings.Split(md, "\n")
	verdict := func(id string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, "| "+id+" ") {
				return l
			}
		}
		return ""
	}
	if l := verdict("M01"); !strings.HasSuffix(l, "| ok |") || !strings.Contains(l, "listings_rating_idx") {
		t.Errorf("M01: %s", l)
	}
	if l := verdict("M02"); !strings.HasSuffix(l, "| **fails** |") {
		t.Errorf("M02 (p99 25 ms): %s", l)
	}
	if l := verdict("M03"); !strings.HasSuffix(l, "| **fails** |") || !strings.Contains(l, "not index-driven") {
		t.Errorf("M03 (44 120 rows): %s", l)
	}
	if !strings.Contains(md, "2 of 3 combinations fail") {
		t.Error("no failure count")
	}
}

func TestStaticBound(t *testing.T) {
	body := []byte(`{"data":[{"id":"a"}],"meta":{"limit":20,"next_cursor":null}}`)
	var hits atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer api.Close()
	r := &Runner{Client: NewClient(2, 5*time.Second), Base: api.URL, Concurrency: 2, Duration: 200 * time.Millisecond, Seed: 1}
	w := Workload{ID: "W1", Next: func(*rand.Rand) string { return "/api/v1/attractions?limit=20" }}
	st, err := staticBound(context.Background(), r, w)
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 1 {
		t.Errorf("the API answered %d requests, want the one recorded", hits.Load())
	}
	if st.RPS <= 0 || st.Bytes != len(body) {
		t.Errorf("static bound %+v", st)
	}
	rf := RunFile{Concurrency: 2, Results: []Result{{ID: "W1", RPS: st.RPS / 4, Static: st}}}
	var b strings.Builder
	renderResults(&b, rf)
	if !strings.Contains(b.String(), "| W1 | ") || !strings.Contains(b.String(), "| 0.25 |") {
		t.Errorf("no bound in the results:\n%s", b.String())
	}
}

func TestRenderMatrixGrowth(t *testing.T) {
	small := MatrixFile{PerKind: 10000, Rows: []MatrixRow{
		{ID: "M01", Title: "category, sort=rating", P50MS: 1, P99MS: 3, StaticP50: 0.03},
		{ID: "M02", Title: "q, sort=name", P50MS: 2, P99MS: 5, StaticP50: 0.03},
	}}
	large := MatrixFile{PerKind: 1000000, Rows: []MatrixRow{
		{ID: "M01", Title: "category, sort=rating", P50MS: 1.5, P99MS: 4, StaticP50: 0.04},
		{ID: "M02", Title: "q, sort=name", P50MS: 5, P99MS: 9, StaticP50: 0.04},
	}}
	out := RenderMatrixGrowth(small, large)
	for _, want := range []string{
		"| M01 | category, sort=rating | 1.00 | 1.50 | 1.50 | 3.00 | 4.00 | 0.03 / 0.04 | met |",
		"| M02 | q, sort=name | 2.00 | 5.00 | 2.50 | 5.00 | 9.00 | 0.03 / 0.04 | **not met** |",
		"1 of 2 combinations more than 2× slower; the largest growth is 2.50× (M02).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("growth table lacks %q:\n%s", want, out)
		}
	}
}
