package apitest

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/solodestination/api/internal/app"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/testdb"
)

// LogBuffer collects log output that concurrent requests write at once.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// NewLogged is New with the server's log kept as JSON lines from info level
// up, for tests of what the server logs.
func NewLogged(t testing.TB, opts ...Option) (*API, *LogBuffer) {
	t.Helper()
	logs := &LogBuffer{}
	return build(t, slog.New(slog.NewJSONHandler(logs, nil)), identity.FastPasswordParams, opts), logs
}

// NewWithPasswordParams is New with password hashing at cost pw instead of
// the cheap test cost, for tests of hashing itself.
func NewWithPasswordParams(t testing.TB, pw identity.PasswordParams, opts ...Option) *API {
	t.Helper()
	return build(t, quietLog(t), pw, opts)
}

// build wires the whole API over a new database with the test configuration
// adjusted by opts, logging to log and hashing passwords at cost pw.
func build(t testing.TB, log *slog.Logger, pw identity.PasswordParams, opts []Option) *API {
	t.Helper()
	db := testdb.New(t)
	cfg := config.Config{
		HTTPAddr: ":0", AppEnv: config.Development, DataDir: t.TempDir(), JWTSecret: Secret,
		NIKEncryptionKey: []byte("nik-encryption-key-for-tests-0123456789"),
		PaymentGateway:   "sandbox", PaymentWebhookSecret: []byte("webhook-secret-webhook-secret-0123"),
		TicketSigningKey: []byte("ticket-seed-ticket-seed-0123456!"), // 32 bytes, shared by replicas
		CORSOrigins:      []string{"*"}, LogLevel: "error", LogFormat: "text",
		// Tests send many requests from one address; the tests of the
		// limits themselves turn them on, set low.
		RateLimitReadsPerMin: 0, RateLimitWritesPerMin: 0,
		// Jobs run only in tests that call App.StartJobs; the others run a
		// pass synchronously at a clock they choose.
		JobsEnabled: true, RidershipCheckInterval: config.DefaultRidershipCheckInterval,
	}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.DatabaseReplicaURLs = inSchemaOf(t, cfg.DatabaseReplicaURLs, db.URL)
	a, err := app.New(context.Background(), cfg, log, db.DB, pw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = a.Tracing.Shutdown(context.Background())
		a.StopCacheSync()
		if a.Redis != nil {
			a.Redis.Close()
		}
	})
	draining := &atomic.Bool{}
	h, engine, err := a.Handler(draining)
	if err != nil {
		t.Fatal(err)
	}
	return &API{T: t, App: a, DB: db, Handler: h, Engine: engine, Draining: draining}
}

// inSchemaOf gives each standby URL the search_path of the test database's
// URL: a test's tables live in a schema of its own, which its standbys
// replay under the same name.
func inSchemaOf(t testing.TB, replicas []string, primary string) []string {
	if len(replicas) == 0 || primary == "" {
		return replicas
	}
	p, err := url.Parse(primary)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(replicas))
	for i, raw := range replicas {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", p.Query().Get("search_path"))
		u.RawQuery = q.Encode()
		out[i] = u.String()
	}
	return out
}
