package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Runner drives one workload at a time with a closed loop: Concurrency
// workers each send a request, wait for the whole response, and send the
// next, so throughput is what the server sustains at that concurrency.
type Runner struct {
	Client      *http.Client
	Base        string // http://127.0.0.1:18080
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	Seed        uint64
	// ServerPID, when set, is sampled for the CPU time the server used.
	ServerPID int
	// CacheBust appends a unique query parameter to every request, so no
	// response cache can answer it and each request reaches the database.
	CacheBust bool
	// Token, when set, is sent as the bearer token of every request.
	Token string
}

// CacheBustParam is the query parameter CacheBust adds; the API ignores
// parameters it does not know.
const CacheBustParam = "_bench"

// Result is what one workload measured.
type Result struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Example  string           `json:"example"`
	Requests int64            `json:"requests"`
	Errors   int64            `json:"errors"`
	Status   map[string]int64 `json:"status"`
	Bytes    int64            `json:"bytes"`
	ElapsedS float64          `json:"elapsed_s"`
	RPS      float64          `json:"rps"`
	P50MS    float64          `json:"p50_ms"`
	P90MS    float64          `json:"p90_ms"`
	P99MS    float64          `json:"p99_ms"`
	MaxMS    float64          `json:"max_ms"`
	// Slowest is the path of the slowest request (MaxMS), to replay it.
	Slowest     string   `json:"slowest,omitempty"`
	TargetRPS   float64  `json:"target_rps"`
	ErrorSample []string `json:"error_sample,omitempty"`
	CPU         *CPUUse  `json:"cpu,omitempty"`
	// Memory is the server's right after the measurement.
	Memory *Memory `json:"memory,omitempty"`
	// Static is the same loop against a static server answering the bytes
	// of one response of the workload, in the same run (loadgen run -static).
	Static *StaticBound `json:"static,omitempty"`
}

// StaticBound is a workload's static-server measurement.
type StaticBound struct {
	RPS   float64 `json:"rps"`
	P99MS float64 `json:"p99_ms"`
	Bytes int     `json:"bytes"`
}

// NewClient returns a keep-alive client sized for concurrency connections.
// Compression is negotiated by hand so bytes counted are bytes on the wire
// and the load generator does not spend CPU inflating bodies.
func NewClient(concurrency int, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        2 * concurrency,
			MaxIdleConnsPerHost: concurrency,
			MaxConnsPerHost:     concurrency,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// CheckLoopback refuses a base URL that is not on this machine: the
// harness is for local benchmarks only.
func CheckLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("base %q is not an http(s) URL", base)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("base %q is not a loopback address; the load generator only targets this machine", base)
}

type workerStats struct {
	lat      []int64 // nanoseconds
	requests int64
	errors   int64
	bytes    int64
	status   map[int]int64
	samples  []string
	slowest  string // path of the slowest request
	maxLat   int64
}

// Run warms up, then measures w for r.Duration.
func (r *Runner) Run(ctx context.Context, w Workload) Result {
	if r.Warmup > 0 {
		r.phase(ctx, w, r.Warmup, r.Seed^0xa5a5)
	}
	cpu0 := sampleCPU(r.ServerPID)
	start := time.Now()
	stats := r.phase(ctx, w, r.Duration, r.Seed)
	elapsed := time.Since(start)
	cpu := sampleCPU(r.ServerPID).since(cpu0, elapsed)

	res := Result{ID: w.ID, Title: w.Title, Status: map[string]int64{}, TargetRPS: w.TargetRPS, CPU: cpu, Memory: procMemory(r.ServerPID)}
	res.Example = w.Next(rand.New(rand.NewPCG(r.Seed, 0)))
	var (
		all     []int64
		slowest int64
	)
	for _, s := range stats {
		res.Requests += s.requests
		res.Errors += s.errors
		res.Bytes += s.bytes
		for code, n := range s.status {
			res.Status[statusKey(code)] += n
		}
		all = append(all, s.lat...)
		if s.maxLat > slowest {
			slowest, res.Slowest = s.maxLat, s.slowest
		}
		for _, m := range s.samples {
			if len(res.ErrorSample) < 5 && !slices.Contains(res.ErrorSample, m) {
				res.ErrorSample = append(res.ErrorSample, m)
			}
		}
	}
	res.ElapsedS = elapsed.Seconds()
	if res.ElapsedS > 0 {
		res.RPS = float64(res.Requests) / res.ElapsedS
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	res.P50MS = ms(Percentile(all, 0.50))
	res.P90MS = ms(Percentile(all, 0.90))
	res.P99MS = ms(Percentile(all, 0.99))
	if len(all) > 0 {
		res.MaxMS = ms(all[len(all)-1])
	}
	return res
}

func statusKey(code int) string {
	if code == 0 {
		return "transport_error"
	}
	return strconv.Itoa(code)
}

func ms(ns int64) float64 { return math.Round(float64(ns)/1e4) / 100 }

// Percentile returns the p-quantile (0 < p ≤ 1) of sorted samples by the
// nearest-rank method; 0 when there are none.
func Percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// phase runs the closed loop for d. Requests already sent when d ends are
// awaited and counted, so no worker is cut off mid-response.
func (r *Runner) phase(ctx context.Context, w Workload, d time.Duration, seed uint64) []*workerStats {
	ctx, cancel := context.WithTimeout(ctx, d+r.Client.Timeout+5*time.Second)
	defer cancel()
	deadline := time.Now().Add(d)
	stats := make([]*workerStats, r.Concurrency)
	var wg sync.WaitGroup
	for i := range stats {
		s := &workerStats{status: map[int]int64{}, lat: make([]int64, 0, 4096)}
		stats[i] = s
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)+1))
			for ctx.Err() == nil && time.Now().Before(deadline) {
				path := w.Next(rng)
				if r.CacheBust {
					path = bust(path, rng)
				}
				token := r.Token
				if w.Token != nil {
					token = w.Token(rng)
				}
				r.one(ctx, path, token, s)
			}
		}()
	}
	wg.Wait()
	return stats
}

func bust(path string, rng *rand.Rand) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + CacheBustParam + "=" + strconv.FormatUint(rng.Uint64(), 36)
}

func (r *Runner) one(ctx context.Context, path, token string, s *workerStats) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.Base+path, nil)
	if err != nil {
		s.fail(0, err.Error())
		return
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	t0 := time.Now()
	resp, err := r.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return // the phase was cancelled, not a server failure
		}
		s.lat = append(s.lat, int64(time.Since(t0)))
		s.fail(0, err.Error())
		return
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := int64(time.Since(t0))
	s.lat = append(s.lat, took)
	if took > s.maxLat {
		s.maxLat, s.slowest = took, path
	}
	s.bytes += n
	s.status[resp.StatusCode]++
	switch {
	case err != nil:
		s.fail(-1, "reading body: "+err.Error())
	case resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusNotModified:
		s.fail(-1, fmt.Sprintf("GET %s -> %d", path, resp.StatusCode))
	default:
		s.requests++
	}
}

// fail counts a failed request; code 0 also records a transport error.
func (s *workerStats) fail(code int, msg string) {
	s.requests++
	s.errors++
	if code == 0 {
		s.status[0]++
	}
	if len(s.samples) < 5 {
		s.samples = append(s.samples, msg)
	}
}

// WaitReady polls /readyz until it answers 200 or timeout passes.
func WaitReady(ctx context.Context, c *http.Client, base string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if resp, err := c.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s/readyz did not answer 200 within %s", base, timeout)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
