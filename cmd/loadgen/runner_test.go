package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunnerCountsWhatTheServerSaw(t *testing.T) {
	t.Parallel()
	var ok, failed, bytes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding = %q", r.Header.Get("Accept-Encoding"))
		}
		if strings.HasPrefix(r.URL.Path, "/fail") {
			failed.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		time.Sleep(2 * time.Millisecond)
		n, _ := w.Write([]byte(`{"data":[]}`))
		ok.Add(1)
		bytes.Add(int64(n))
	}))
	defer srv.Close()

	w := Workload{ID: "T", TargetRPS: 1, Next: func(r *rand.Rand) string {
		if r.IntN(4) == 0 {
			return "/fail"
		}
		return "/ok"
	}}
	r := &Runner{Client: NewClient(4, 5*time.Second), Base: srv.URL, Concurrency: 4, Duration: 300 * time.Millisecond, Seed: 1}
	res := r.Run(context.Background(), w)

	if res.Requests == 0 || res.Requests != ok.Load()+failed.Load() {
		t.Fatalf("requests %d, server saw %d ok + %d failed", res.Requests, ok.Load(), failed.Load())
	}
	if res.Errors != failed.Load() || res.Errors == 0 {
		t.Fatalf("errors %d, server failed %d", res.Errors, failed.Load())
	}
	if res.Status["200"] != ok.Load() || res.Status["500"] != failed.Load() {
		t.Fatalf("status counts %v", res.Status)
	}
	if res.Bytes != bytes.Load() {
		t.Fatalf("bytes %d, server wrote %d", res.Bytes, bytes.Load())
	}
	if res.ElapsedS < 0.3 || res.RPS <= 0 || res.RPS > float64(res.Requests)/0.3 {
		t.Fatalf("elapsed %.3f s, %.0f req/s", res.ElapsedS, res.RPS)
	}
	if !(res.P50MS <= res.P90MS && res.P90MS <= res.P99MS && res.P99MS <= res.MaxMS) || res.P99MS < 2 {
		t.Fatalf("percentiles p50 %.2f p90 %.2f p99 %.2f max %.2f", res.P50MS, res.P90MS, res.P99MS, res.MaxMS)
	}
	if len(res.ErrorSample) == 0 || !strings.Contains(res.ErrorSample[0], "500") {
		t.Fatalf("error sample %v", res.ErrorSample)
	}
	if okRes, _ := Verdict(res); okRes {
		t.Fatal("a run with errors met its targets")
	}
}

func TestRunnerCountsTransportErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // no response at all
		}
	}))
	defer srv.Close()
	w := Workload{ID: "T", Next: func(*rand.Rand) string { return "/" }}
	r := &Runner{Client: NewClient(2, time.Second), Base: srv.URL, Concurrency: 2, Duration: 100 * time.Millisecond, Seed: 1}
	res := r.Run(context.Background(), w)
	if res.Requests == 0 || res.Errors != res.Requests || res.Status["transport_error"] != res.Requests {
		t.Fatalf("requests %d errors %d status %v", res.Requests, res.Errors, res.Status)
	}
}

func TestRunnerStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	r := &Runner{Client: NewClient(2, time.Second), Base: srv.URL, Concurrency: 2, Duration: time.Hour, Seed: 1}
	start := time.Now()
	r.Run(ctx, Workload{ID: "T", Next: func(*rand.Rand) string { return "/" }})
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("a cancelled run took %s", took)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	t.Parallel()
	s := make([]int64, 100)
	for i := range s {
		s[i] = int64(i + 1)
	}
	for _, c := range []struct {
		p    float64
		want int64
	}{{0.5, 50}, {0.9, 90}, {0.99, 99}, {1, 100}, {0.001, 1}} {
		if got := Percentile(s, c.p); got != c.want {
			t.Errorf("Percentile(1..100, %v) = %d, want %d", c.p, got, c.want)
		}
	}
	if Percentile(nil, 0.5) != 0 || Percentile([]int64{7}, 0.99) != 7 {
		t.Error("edge cases")
	}
}

func TestCheckLoopback(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"http://127.0.0.1:18080", "http://localhost:8080", "http://[::1]:80", "http://127.0.0.2"} {
		if err := CheckLoopback(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:8080", "http://example.com", "ftp://127.0.0.1", "127.0.0.1:8080"} {
		if err := CheckLoopback(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestWaitReady(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" || calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	c := NewClient(1, time.Second)
	if err := WaitReady(context.Background(), c, srv.URL, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d calls", calls.Load())
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer down.Close()
	if err := WaitReady(context.Background(), c, down.URL, 600*time.Millisecond); err == nil {
		t.Fatal("never-ready server reported ready")
	}
}

func TestParseProcStat(t *testing.T) {
	t.Parallel()
	line := "4242 (my proc) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 100 0 0"
	d, name := parseProcStat(line)
	if name != "my proc" || d != 3*time.Second {
		t.Fatalf("got %v %q, want 3s \"my proc\"", d, name)
	}
}

func TestCacheBustMakesEveryURLUnique(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("category") != "museum" || r.URL.Query().Get(CacheBustParam) == "" {
			w.WriteHeader(http.StatusBadRequest)
		}
		mu.Lock()
		seen[r.URL.RawQuery]++
		mu.Unlock()
	}))
	defer srv.Close()
	w := Workload{ID: "T", Next: func(*rand.Rand) string { return "/api/v1/attractions?category=museum" }}
	r := &Runner{Client: NewClient(2, time.Second), Base: srv.URL, Concurrency: 2, Duration: 100 * time.Millisecond, Seed: 1, CacheBust: true}
	res := r.Run(context.Background(), w)
	if res.Errors != 0 || res.Requests < 2 {
		t.Fatalf("requests %d errors %d", res.Requests, res.Errors)
	}
	for q, n := range seen {
		if n > 1 {
			t.Fatalf("%q sent %d times", q, n)
		}
	}
	if got := bust("/api/v1/search/suggest", rand.New(rand.NewPCG(1, 1))); !strings.HasPrefix(got, "/api/v1/search/suggest?"+CacheBustParam+"=") {
		t.Fatalf("bust without a query: %s", got)
	}
}

func TestParseProcStatus(t *testing.T) {
	m := parseProcStatus("Name:\tapi\nVmPeak:\t 1300000 kB\nVmHWM:\t   81920 kB\nVmRSS:\t   40960 kB\nThreads:\t9\n")
	if m == nil || m.RSSMiB != 40 || m.PeakMiB != 80 {
		t.Fatalf("got %+v, want RSS 40 MiB, peak 80 MiB", m)
	}
	if m := parseProcStatus("Name:\tapi\nVmRSS:\t 40960 kB\n"); m != nil {
		t.Fatalf("without VmHWM: got %+v, want nil", m)
	}
	if procMemory(os.Getpid()) == nil {
		t.Fatal("own process: no memory figures")
	}
}
