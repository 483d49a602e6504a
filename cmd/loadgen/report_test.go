package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

const sampleLog = "2026-03-01 10:00:00.100 UTC [4242] postgres@bench LOG:  duration: 0.512 ms  plan:\n" +
	"\tQuery Text: SELECT * FROM listings\n" +
	"\t  WHERE kind = $1 AND status = 'published'\n" +
	"\tLimit  (cost=0.42..10.50 rows=20 width=100) (actual time=0.020..0.300 rows=20 loops=1)\n" +
	"\t  Buffers: shared hit=25\n" +
	"\t  ->  Index Scan using listings_category_rating_idx on listings  (cost=0.42..5000.00 rows=9000 width=100) (actual time=0.019..0.280 rows=20 loops=1)\n" +
	"2026-03-01 10:00:00.101 UTC [5151] root@test LOG:  duration: 9.000 ms  plan:\n" +
	"\tQuery Text: SELECT 1\n" +
	"\tResult  (cost=0.00..0.01 rows=1 width=4) (actual time=0.001..0.001 rows=1 loops=1)\n" +
	"2026-03-01 10:00:00.102 UTC [4243] postgres@bench LOG:  statement: SET x = 1\n" +
	"2026-03-01 10:00:00.103 UTC [4242] postgres@bench LOG:  duration: 1.250 ms  plan:\n" +
	"\tQuery Text: SELECT tag FROM listing_tags WHERE listing_id = ANY($1)\n" +
	"\tHash Join  (cost=1.00..2.00 rows=1 width=4) (actual time=1.0..1.2 rows=40 loops=1)\n" +
	"\t  ->  Seq Scan on listing_tags  (cost=0.00..1.00 rows=1 width=4) (actual time=0.5..0.9 rows=40 loops=1)\n" +
	"\t  ->  Bitmap Index Scan on listings_search_idx  (cost=0.00..1.00 rows=1 width=0) (actual time=0.1..0.1 rows=1 loops=1)\n"

func TestParseAutoExplain(t *testing.T) {
	t.Parallel()
	got := ParseAutoExplain(sampleLog, "bench")
	if len(got) != 2 {
		t.Fatalf("%d statements, want 2 (the other database's plan is not ours): %+v", len(got), got)
	}
	if got[0].DurationMS != 0.512 || got[0].Query != "SELECT * FROM listings\n  WHERE kind = $1 AND status = 'published'" {
		t.Fatalf("first statement %+v", got[0])
	}
	if !strings.HasPrefix(got[0].Plan, "Limit  (cost=") || !strings.Contains(got[0].Plan, "Buffers: shared hit=25") {
		t.Fatalf("first plan %q", got[0].Plan)
	}
	idx, seq := PlanAccess(got[0].Plan)
	if !slices.Equal(idx, []string{"listings_category_rating_idx"}) || len(seq) != 0 {
		t.Fatalf("access %v %v", idx, seq)
	}
	idx, seq = PlanAccess(got[1].Plan)
	if !slices.Equal(idx, []string{"listings_search_idx"}) || !slices.Equal(seq, []string{"listing_tags"}) {
		t.Fatalf("access %v %v", idx, seq)
	}
}

func TestCaptureExplainReadsWhatEachRequestLogged(t *testing.T) {
	t.Parallel()
	logFile := filepath.Join(t.TempDir(), "pg.log")
	if err := os.WriteFile(logFile, []byte("old entries\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The fake API appends one plan per request, as PostgreSQL would.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, _ := os.OpenFile(logFile, os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString("2026-03-01 10:00:00.100 UTC [1] postgres@bench LOG:  duration: 0.001 ms  plan:\n" +
			"\tQuery Text: SELECT '6378168'::float8\n\tResult  (cost=0.00..0.01 rows=1 width=8)\n" +
			"2026-03-01 10:00:00.100 UTC [1] postgres@bench LOG:  duration: 1.000 ms  plan:\n" +
			"\tQuery Text: SELECT * FROM listings WHERE slug = '" + r.URL.Path + "'\n" +
			"\tIndex Scan using listings_kind_slug_key on listings  (cost=0.42..8.44 rows=1 width=32)\n" +
			"\t  Index Cond: (slug = 'x')\n")
		f.Close()
	}))
	defer srv.Close()
	ws, _ := Workloads(testFixture())
	ws, _ = Select(ws, "W2,W5")
	ex, err := CaptureExplain(context.Background(), NewClient(1, time.Second), srv.URL, "",
		"postgres://postgres@127.0.0.1/bench", logFile, ws, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"W2", "W5"} {
		reqs := ex.Workloads[id]
		if len(reqs) != 2 {
			t.Fatalf("%s: %d requests", id, len(reqs))
		}
		for _, r := range reqs {
			path, _, _ := strings.Cut(r.Path, "?")
			if r.Status != 200 || len(r.Statements) != 1 || r.Helpers != 1 || !strings.Contains(r.Statements[0].Query, path) {
				t.Fatalf("%s request %+v", id, r)
			}
		}
	}
}

func result(id string, rps, p99 float64, errs int64, target float64) Result {
	return Result{ID: id, Title: id + " title", Requests: 1000, Errors: errs, RPS: rps, P50MS: p99 / 4, P90MS: p99 / 2,
		P99MS: p99, MaxMS: p99 * 2, TargetRPS: target, Bytes: 1 << 20, Status: map[string]int64{"200": 1000 - errs, "500": errs},
		ErrorSample: func() []string {
			if errs > 0 {
				return []string{"GET /x -> 500"}
			}
			return nil
		}(), CPU: &CPUUse{ServerCores: 1.1, PostgresCores: 0.5, LoadgenCores: 0.3, MachineBusy: 97}}
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	if ok, why := Verdict(result("W1", 4100, 40, 0, 4000)); !ok || len(why) != 0 {
		t.Fatalf("a passing result: %v", why)
	}
	ok, why := Verdict(result("W1", 3000, 60, 2, 4000))
	if ok || len(why) != 3 {
		t.Fatalf("a failing result: %v %v", ok, why)
	}
}

func TestRenderReport(t *testing.T) {
	t.Parallel()
	defs := []WorkloadDef{{"W1", "List", "GET /a", "category", 4000, ""}, {"W3", "Near", "GET /c", "point", 4000, ""}, {"W5", "Suggest", "GET /s", "prefix", 2000, ""}}
	small := RunFile{
		StartedAt: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Concurrency: 64, DurationS: 20, WarmupS: 3, PerKind: 10000,
		Env:       Env{Commit: "abc123", CPU: "Test CPU", Cores: 2, MemoryGiB: 23.4, GoVersion: "go1.26"},
		Workloads: defs,
		Results:   []Result{result("W1", 5000, 20, 0, 4000), result("W3", 5000, 20, 0, 4000), result("W5", 3000, 10, 0, 2000)},
	}
	large := small
	large.PerKind = 1000000
	large.DB = &DBInfo{Engine: "PostgreSQL", Version: "15.20", Counts: map[string]int64{"attraction/published": 930000, "attraction/draft": 60000, "listings": 3000000},
		Indexes: []string{"CREATE INDEX listings_rating_idx ON listings (kind, rating_avg DESC)"}}
	large.Results = []Result{result("W1", 4500, 30, 0, 4000), result("W3", 2000, 70, 3, 4000), result("W5", 2500, 12, 0, 2000)}
	ex := &Explained{Database: "bench", Workloads: map[string][]ExplainedRequest{
		"W1": {{Path: "/api/v1/attractions?category=museum", Status: 200, Statements: ParseAutoExplain(sampleLog, "bench")}},
	}}
	busted := large
	busted.CacheBust = true
	busted.Results = []Result{result("W1", 900, 40, 0, 4000)}
	md := RenderReport(ReportInput{Runs: []RunFile{small, large, busted}, Explained: ex, Notes: "The API is CPU bound."})

	for _, want := range []string{
		"abc123", "Test CPU, 2 cores", "PostgreSQL 15.20", "64 connections",
		"| attraction | 930 000 | 60 000 |",
		"## Results: 10 000 per kind, as shipped", "## Results: 1 000 000 per kind, as shipped",
		"## Results: 1 000 000 per kind, cache bypassed", "| 1 000 000 per kind, cache bypassed | not met: 900 req/s, p99 40.0 ms |",
		"From 10 000 to 1 000 000 listings per kind, as shipped",
		"**not met** (2000 req/s < 4000; p99 70.0 ms > 50 ms; 3 errors)",
		"| W3 | 5000 | 2000 | 20.00 | 70.00 | 2.50× | < 2×: **not met** |",
		"| W5 | 3000 | 2500 | 10.00 | 12.00 | 1.20× | < 2×: met |",
		"Indexes used: `listings_category_rating_idx`, `listings_search_idx`.", "Sequential scans: `listing_tags`.",
		"SELECT tag FROM listing_tags", "EXPLAIN (ANALYZE, BUFFERS)",
		"## Observations\n\nThe API is CPU bound.",
		"statuses 200 × 997, 500 × 3",
		"| W1 | 1.10 | 0.50 | 0.30 | 0.04 | 97 % |",
		"CREATE INDEX listings_rating_idx ON listings (kind, rating_avg DESC);",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(md, "Only one data-set size") || strings.Contains(md, "1 000 000 listings per kind, cache bypassed") {
		t.Error("wrong scaling comparisons: the bypassed mode has one size only")
	}
	if n := strings.Count(md, "## Data set: 1 000 000 listings per kind"); n != 1 {
		t.Errorf("the 1 000 000 data set is described %d times", n)
	}
	if strings.Count(md, "CREATE INDEX listings_rating_idx") != 1 {
		t.Error("the index list is not shown exactly once")
	}
	mid := large
	mid.PerKind = 100000
	partial := RenderReport(ReportInput{Runs: []RunFile{small, mid}})
	if !strings.Contains(partial, "| W3 | 5000 | 2000 | 20.00 | 70.00 | 2.50× | < 2× from 10k to 1M: not measured by this pair |") {
		t.Error("a 10k→100k pair was judged against the 10k→1M goal")
	}
	one := RenderReport(ReportInput{Runs: []RunFile{small}})
	if !strings.Contains(one, "SIZES=\"10000 1000000\"") || strings.Contains(one, "Query plans") {
		t.Error("single-size report without plans is wrong")
	}
}

// TestCommandsEndToEnd drives "run" and "report" the way bench/run.sh does,
// against a stand-in API.
func TestCommandsEndToEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var paths = make(chan string, 100000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case paths <- r.URL.Path:
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":[]}`)
	}))
	defer srv.Close()
	fxPath := filepath.Join(dir, "fx.json")
	if err := fixture.Write(fxPath, testFixture()); err != nil {
		t.Fatal(err)
	}
	results := filepath.Join(dir, "r.json")
	err := run(context.Background(), []string{"run", "-base", srv.URL, "-fixtures", fxPath, "-c", "2",
		"-duration", "100ms", "-warmup", "20ms", "-wait-ready", "2s", "-out", results}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var rf RunFile
	b, _ := os.ReadFile(results)
	if err := json.Unmarshal(b, &rf); err != nil {
		t.Fatal(err)
	}
	if len(rf.Results) != 5 || rf.PerKind != 100 || rf.Concurrency != 2 {
		t.Fatalf("results %+v", rf)
	}
	for _, r := range rf.Results {
		if r.Requests == 0 || r.Errors != 0 {
			t.Fatalf("%s: %d requests, %d errors", r.ID, r.Requests, r.Errors)
		}
	}
	close(paths)
	seen := map[string]bool{}
	for p := range paths {
		seen[strings.SplitN(strings.TrimPrefix(strings.TrimPrefix(p, "/api/v1"), "/"), "/", 2)[0]] = true
	}
	for _, want := range []string{"readyz", "attractions", "culinary", "search"} {
		if !seen[want] {
			t.Errorf("no request to %s (saw %v)", want, seen)
		}
	}
	out := filepath.Join(dir, "bench.md")
	if err := run(context.Background(), []string{"report", "-results", results, "-out", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(out)
	if !strings.Contains(string(md), "| W2 Detail by slug |") {
		t.Fatalf("report:\n%s", md)
	}
	if err := run(context.Background(), []string{"run", "-base", "http://192.0.2.1:80", "-fixtures", fxPath}, io.Discard, io.Discard); err == nil {
		t.Fatal("a non-loopback base was accepted")
	}
}
