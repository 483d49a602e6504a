package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// freshPostgresURL gives t an empty schema of the test PostgreSQL database,
// so run can migrate it as it would a new production database.
func freshPostgresURL(t *testing.T) string {
	t.Helper()
	raw := os.Getenv(testdb.EnvURL)
	if raw == "" {
		t.Skip("production mode needs PostgreSQL; set " + testdb.EnvURL)
	}
	admin, err := database.Open(context.Background(), database.Options{URL: raw, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_prod_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

func TestProductionStartsWithTheMinimalEnvironment(t *testing.T) {
	env := map[string]string{
		"APP_ENV": "production", "DATABASE_URL": freshPostgresURL(t), "JWT_SECRET": strings.Repeat("p", 32),
		"TICKET_SIGNING_KEY": strings.Repeat("ab", 32),
		"NIK_ENCRYPTION_KEY": strings.Repeat("n", 32),
		// Not production settings: a free port and a scratch directory for the test.
		"HTTP_ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(),
	}
	base, _, stop := startServer(t, env)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		if resp.Header.Get("Strict-Transport-Security") == "" {
			t.Errorf("GET %s: no HSTS in production", path)
		}
	}
	// Nothing was seeded: the published demo password does not work.
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"email":"admin@example.com","password":"solo-demo-2026"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("demo admin login in production = %d, want 401", resp.StatusCode)
	}
	u, _ := url.Parse(base)
	if err := run(context.Background(), []string{"healthcheck"}, func(k string) string {
		return map[string]string{"HTTP_ADDR": u.Host}[k]
	}, &apitest.LogBuffer{}); err != nil {
		t.Errorf("healthcheck against the running server: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestProductionRefusesAWeakSecret(t *testing.T) {
	env := map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://solo@127.0.0.1:1/solo",
		"JWT_SECRET": strings.Repeat("p", 31), "HTTP_ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir()}
	err := run(context.Background(), nil, func(k string) string { return env[k] }, &apitest.LogBuffer{})
	if err == nil || !strings.Contains(err.Error(), "JWT_SECRET must be at least 32 bytes") {
		t.Fatalf("31-byte JWT_SECRET in production: %v", err)
	}
}

func TestDevelopmentWarnsWhenExposed(t *testing.T) {
	env := testEnv(t)
	env["JWT_SECRET"] = "tiny"
	env["HTTP_ADDR"] = "0.0.0.0:0"
	_, out, stop := startServer(t, env)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	log := out.String()
	for _, want := range []string{"NON-LOOPBACK ADDRESS", "demo accounts", "JWT_SECRET is 4 bytes"} {
		if !strings.Contains(log, want) {
			t.Errorf("start-up log lacks %q:\n%s", want, log)
		}
	}

	// On loopback with a strong secret nothing is said.
	env = testEnv(t)
	_, out, stop = startServer(t, env)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if log := out.String(); strings.Contains(log, "NON-LOOPBACK") || strings.Contains(log, "unsafe configuration") {
		t.Errorf("warning on a safe development start:\n%s", log)
	}
}

func TestHealthcheckCommand(t *testing.T) {
	var status atomic.Int32 // the test changes it while the server reads it
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	check := func(addr string) error {
		return run(context.Background(), []string{"healthcheck"}, func(k string) string {
			return map[string]string{"HTTP_ADDR": addr}[k]
		}, &apitest.LogBuffer{})
	}
	// ":port" (every interface, as in the image) is checked on loopback.
	for _, addr := range []string{":" + port, "0.0.0.0:" + port, "127.0.0.1:" + port} {
		if err := check(addr); err != nil {
			t.Errorf("healthy server at %s: %v", addr, err)
		}
	}
	status.Store(http.StatusServiceUnavailable)
	if err := check(":" + port); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("unhealthy server: %v", err)
	}
	srv.Close()
	if err := check(":" + port); err == nil {
		t.Error("nothing listening, yet healthy")
	}
	if err := check("no-port"); err == nil {
		t.Error("bad HTTP_ADDR accepted")
	}
}
