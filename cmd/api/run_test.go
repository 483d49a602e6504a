package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/database"
)

// startupWait bounds a start: migrations and seeding the demo into a fresh
// database take seconds, and several times that under the race detector on
// a busy two-core machine.
const startupWait = 90 * time.Second

var swaggerURL = regexp.MustCompile(`Swagger UI: (http://\S+)/swagger/index.html`)

// startServer runs the real entry point and returns its base URL and what
// it has written so far (and goes on writing).
func startServer(t *testing.T, env map[string]string) (base string, out *apitest.LogBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &apitest.LogBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, out) }()
	deadline := time.Now().Add(startupWait)
	for time.Now().Before(deadline) {
		if m := swaggerURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(30 * time.Second):
					t.Fatal("server did not stop")
					return nil
				}
			}
		}
		select {
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("server did not announce itself:\n%s", out.String())
	return "", nil, nil
}

func testEnv(t *testing.T) map[string]string {
	env := map[string]string{"HTTP_ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "LOG_LEVEL": "warn"}
	if url := os.Getenv("TEST_DATABASE_URL"); url != "" {
		t.Skip("the entry point is exercised on the embedded database; PostgreSQL paths are covered by the package tests")
	}
	return env
}

func TestRunServesSeedsAndStops(t *testing.T) {
	env := testEnv(t)
	base, _, stop := startServer(t, env)
	for _, path := range []string{"/healthz", "/readyz", "/swagger/index.html", "/swagger/doc.json"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}
	login := `{"email":"admin@example.com","password":"solo-demo-2026"}`
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(login))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("demo admin login = %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	// A second start on the same data directory neither fails nor seeds twice.
	base, _, stop = startServer(t, env)
	resp, err = http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(login))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("login after restart = %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestShutdownDrainsInFlightRequests(t *testing.T) {
	env := testEnv(t)
	base, _, stop := startServer(t, env)
	// A login takes a password hash; start several, then stop at once.
	const n = 8
	codes := make(chan int, n)
	for range n {
		go func() {
			resp, err := http.Post(base+"/api/v1/auth/login", "application/json",
				strings.NewReader(`{"email":"user@example.com","password":"solo-demo-2026"}`))
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	time.Sleep(5 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	for range n {
		// Requests accepted before the stop finish normally; ones that arrive
		// after the listener closed are refused at the TCP level (0).
		if c := <-codes; c != 200 && c != 0 {
			t.Errorf("in-flight request ended with %d", c)
		}
	}
}

func TestCommands(t *testing.T) {
	env := testEnv(t)
	get := func(k string) string { return env[k] }
	if err := run(context.Background(), []string{"migrate"}, get, &apitest.LogBuffer{}); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := run(context.Background(), []string{"seed"}, get, &apitest.LogBuffer{}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if err := run(context.Background(), []string{"bogus"}, get, &apitest.LogBuffer{}); err == nil {
		t.Fatal("unknown command accepted")
	}
	prod := func(k string) string {
		if k == "APP_ENV" {
			return "production"
		}
		return env[k]
	}
	err := run(context.Background(), nil, prod, &apitest.LogBuffer{})
	if err == nil || !strings.Contains(err.Error(), "JWT_SECRET") {
		t.Fatalf("production without secrets: %v", err)
	}
}

var metricsURL = regexp.MustCompile(`Metrics: (http://\S+/metrics)`)

// With METRICS_ADDR, /metrics is served there and not on the public port.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	env := testEnv(t)
	env["METRICS_ADDR"] = "127.0.0.1:0"
	env["SEED_DEMO"] = "false"
	base, out, stop := startServer(t, env)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	m := metricsURL.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("server did not announce both listeners:\n%s", out.String())
	}
	metrics := m[1]
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := new(bytes.Buffer)
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	get(base + "/healthz")
	if code, body := get(metrics); code != 200 || !strings.Contains(body, `http_requests_total{method="GET",route="/healthz",status="200"}`) {
		t.Fatalf("metrics listener: %d\n%.500s", code, body)
	}
	if code, _ := get(base + "/metrics"); code != http.StatusNotFound {
		t.Fatalf("public /metrics = %d, want 404 when METRICS_ADDR is set", code)
	}
}

// serve works the background jobs (the ridership check runs at start) and
// stops them with the server; JOBS_ENABLED=false leaves them to others.
func TestServeWorksBackgroundJobs(t *testing.T) {
	for _, enabled := range []bool{true, false} {
		env := testEnv(t)
		env["LOG_LEVEL"], env["RIDERSHIP_CHECK_INTERVAL"] = "info", "1s"
		if !enabled {
			env["JOBS_ENABLED"] = "false"
		}
		_, out, stop := startServer(t, env)
		db, err := database.Open(context.Background(), database.Options{DataDir: env["DATA_DIR"], MaxConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		ran := func() int64 {
			var n int64
			if err := db.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'transport.ridership_check' AND state = 'completed'").
				Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if enabled {
			deadline := time.Now().Add(startupWait)
			for ran() == 0 {
				if time.Now().After(deadline) {
					t.Fatalf("the ridership check never ran:\n%s", out.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
		} else {
			time.Sleep(1500 * time.Millisecond)
			if n := ran(); n != 0 {
				t.Fatalf("with JOBS_ENABLED=false the check ran %d times", n)
			}
		}
		if err := stop(); err != nil {
			t.Fatalf("graceful stop: %v", err)
		}
		db.Close()
		want := "background jobs started"
		if !enabled {
			want = "background jobs disabled"
		}
		if !strings.Contains(out.String(), want) {
			t.Fatalf("log lacks %q:\n%s", want, out.String())
		}
	}
}
