package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/solodestination/api/internal/app"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/telemetry"
)

// run is main without the process globals, so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	if cmd == "healthcheck" {
		// Needs no configuration beyond the address: a health check must not
		// fail because a secret file is unreadable from its exec context.
		addr := strings.TrimSpace(getenv("HTTP_ADDR"))
		if addr == "" {
			addr = config.DefaultHTTPAddr
		}
		return healthcheck(ctx, addr, stdout)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if err := cfg.FillDevelopmentSecrets(); err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	for _, w := range cfg.Warnings() {
		log.Warn("unsafe configuration: " + w)
	}

	switch cmd {
	case "migrate":
		a, err := app.Open(ctx, cfg, log)
		if err != nil {
			return err
		}
		return a.Close()
	case "seed":
		if cfg.IsProduction() {
			return errors.New("demo seeding is refused when APP_ENV=production: demo accounts have published passwords")
		}
		cfg.SeedDemo = true
		a, err := app.Open(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.Close()
		return a.Seed(ctx)
	case "serve":
		return serve(ctx, cfg, log, stdout)
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, seed or healthcheck)", cmd)
	}
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	start := time.Now()
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.SeedDemo {
		if err := a.Seed(ctx); err != nil {
			return err
		}
	}
	draining := &atomic.Bool{}
	handler, _, err := a.Handler(draining)
	if err != nil {
		return err
	}
	// Start-up hashing (the dummy password hash, demo accounts) and building
	// the router (the OpenAPI document converted to JSON) leave tens of MiB
	// of garbage; hand it back before idling.
	debug.FreeOSMemory()
	srv := &http.Server{
		Addr:              cfg.HTTPAddr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second, // uploads of up to 10 MiB on slow mobile links
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, a.Metrics, log, stdout)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopMetrics()
	}
	base := baseURL(ln.Addr())
	warnIfExposed(log, cfg, ln.Addr())
	log.Info("listening", "addr", ln.Addr().String(), "database", string(a.DB.Dialect), "env", cfg.AppEnv,
		"startup", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Solo Destination API on %s\nSwagger UI: %s/swagger/index.html\n", base, base)

	if err := a.StartJobs(ctx); err != nil {
		ln.Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Fail readiness first so load balancers stop sending new requests, then
	// let in-flight requests finish.
	draining.Store(true)
	log.Info("shutting down; draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Jobs stop after the requests: a running pass finishes its trip's
	// transaction, and what it did not reach waits for the next run.
	if err := a.StopJobs(shutdownCtx); err != nil {
		return fmt.Errorf("stop background jobs: %w", err)
	}
	log.Info("stopped")
	return nil
}

// serveMetrics serves /metrics on its own address (METRICS_ADDR), so a
// scraper on an internal network reaches it and the public port does not
// expose it. The returned func closes the listener.
func serveMetrics(addr string, reg *prometheus.Registry, log *slog.Logger, stdout io.Writer) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() { _ = srv.Serve(ln) }()
	log.Info("metrics listening", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "Metrics: %s/metrics\n", baseURL(ln.Addr()))
	return func() { _ = srv.Close() }, nil
}

// warnIfExposed says loudly when a development instance (demo accounts with
// published passwords, every browser origin allowed, the sandbox gateway) can
// be reached from other machines, which is how a "quick test" ends up public.
func warnIfExposed(log *slog.Logger, cfg config.Config, addr net.Addr) {
	if cfg.IsProduction() {
		return
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return
	}
	var risks []string
	if cfg.SeedDemo {
		risks = append(risks, "demo accounts with published passwords (admin included) are seeded")
	}
	if slices.Contains(cfg.CORSOrigins, "*") {
		risks = append(risks, "every browser origin is allowed")
	}
	if cfg.PaymentGateway == config.GatewaySandbox {
		risks = append(risks, "the sandbox gateway settles payments without money")
	}
	risks = append(risks, "short secrets are accepted")
	log.Warn("DEVELOPMENT MODE IS LISTENING ON A NON-LOOPBACK ADDRESS: "+strings.Join(risks, ", ")+
		"; set APP_ENV=production for anything reachable from other machines, or HTTP_ADDR=127.0.0.1:8080",
		"addr", addr.String(), "seed_demo", cfg.SeedDemo)
}

// healthcheck exits 0 (returns nil) when the server on addr answers /healthz
// with 200. It is the health check of the distroless image, which has no curl.
func healthcheck(ctx context.Context, addr string, stdout io.Writer) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1" // listening on every interface includes loopback
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// No proxy from the environment: this asks the local process only.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	// Lines logged with a traced context name the trace (tracing on only).
	l := slog.New(telemetry.LogHandler(h))
	slog.SetDefault(l)
	return l
}

func baseURL(addr net.Addr) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if host == "" || host == "::" || host == "0.0.0.0" || strings.HasPrefix(host, "[") {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
