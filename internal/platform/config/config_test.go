package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":8080" || c.DataDir != "./data" || c.AppEnv != "development" || !c.SeedDemo ||
		c.PaymentGateway != "sandbox" || c.LogLevel != "info" || c.LogFormat != "text" ||
		len(c.CORSOrigins) != 1 || c.CORSOrigins[0] != "*" || c.UsesPostgres() {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestProductionRefusesUnsafeSettings(t *testing.T) {
	strong := strings.Repeat("k", 32)
	safe := map[string]string{
		"APP_ENV": "production", "JWT_SECRET": strong, "PAYMENT_WEBHOOK_SECRET": strong,
		"PAYMENT_GATEWAY": "sandbox", "CORS_ORIGINS": "https://solodestination.example",
	}
	cases := []struct {
		name    string
		change  map[string]string
		mention string
	}{
		{"missing JWT secret", map[string]string{"JWT_SECRET": ""}, "JWT_SECRET"},
		{"short JWT secret", map[string]string{"JWT_SECRET": "short"}, "JWT_SECRET must be at least 32 bytes"},
		{"demo seeding", map[string]string{"SEED_DEMO": "true"}, "SEED_DEMO"},
		{"sandbox gateway", map[string]string{}, "PAYMENT_GATEWAY=sandbox"},
		{"open CORS", map[string]string{"CORS_ORIGINS": "*"}, "CORS_ORIGINS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := map[string]string{}
			for k, v := range safe {
				m[k] = v
			}
			for k, v := range tc.change {
				m[k] = v
			}
			_, err := config.Load(env(m))
			if err == nil || !strings.Contains(err.Error(), tc.mention) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.mention)
			}
		})
	}
	c, err := config.Load(env(map[string]string{"APP_ENV": "production"}))
	if err == nil {
		t.Fatalf("production with nothing set started: %+v", c)
	}
	for _, want := range []string{"JWT_SECRET", "PAYMENT_WEBHOOK_SECRET", "PAYMENT_GATEWAY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("all problems should be reported at once; %q missing from %v", want, err)
		}
	}
}

func TestProductionDefaults(t *testing.T) {
	// With every secret set, production defaults are the safe ones.
	_, err := config.Load(env(map[string]string{"APP_ENV": "production", "JWT_SECRET": strings.Repeat("k", 40),
		"PAYMENT_WEBHOOK_SECRET": strings.Repeat("w", 40)}))
	// The only gateway today is the sandbox, which production refuses.
	if err == nil || !strings.Contains(err.Error(), "PAYMENT_GATEWAY") || strings.Contains(err.Error(), "SEED_DEMO") ||
		strings.Contains(err.Error(), "CORS") {
		t.Fatalf("err = %v", err)
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jwt")
	if err := os.WriteFile(path, []byte(strings.Repeat("s", 40)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(env(map[string]string{"JWT_SECRET_FILE": path}))
	if err != nil || string(c.JWTSecret) != strings.Repeat("s", 40) {
		t.Fatalf("secret from file = %q, %v", c.JWTSecret, err)
	}
	if _, err := config.Load(env(map[string]string{"JWT_SECRET_FILE": path + ".missing"})); err == nil {
		t.Fatal("missing secret file accepted")
	}
}

func TestInvalidValues(t *testing.T) {
	for k, v := range map[string]string{"APP_ENV": "staging", "SEED_DEMO": "maybe", "LOG_LEVEL": "loud",
		"LOG_FORMAT": "xml", "DATABASE_URL": "mysql://x", "PAYMENT_GATEWAY": "paypal", "ADMIN_EMAIL": "a@b.co"} {
		if _, err := config.Load(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: err = %v", k, v, err)
		}
	}
}

func TestDevelopmentSecretsAreKept(t *testing.T) {
	dir := t.TempDir()
	c1, _ := config.Load(env(map[string]string{"DATA_DIR": dir}))
	if err := c1.FillDevelopmentSecrets(); err != nil {
		t.Fatal(err)
	}
	c2, _ := config.Load(env(map[string]string{"DATA_DIR": dir}))
	if err := c2.FillDevelopmentSecrets(); err != nil {
		t.Fatal(err)
	}
	if len(c1.JWTSecret) < 32 || string(c1.JWTSecret) != string(c2.JWTSecret) ||
		string(c1.PaymentWebhookSecret) != string(c2.PaymentWebhookSecret) {
		t.Fatal("development secrets must be generated once and reused")
	}
	if fi, err := os.Stat(filepath.Join(dir, "jwt_secret")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", fi, err)
	}
}

func TestDBQueryTimeout(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DBQueryTimeout != config.DefaultDBQueryTimeout {
		t.Fatalf("default DB_QUERY_TIMEOUT = %v", c.DBQueryTimeout)
	}
	c, err = config.Load(env(map[string]string{"DB_QUERY_TIMEOUT": "1500ms"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DBQueryTimeout != 1500*time.Millisecond {
		t.Fatalf("DB_QUERY_TIMEOUT=1500ms gave %v", c.DBQueryTimeout)
	}
	for _, bad := range []string{"5", "-1s", "0s", "soon"} {
		_, err := config.Load(env(map[string]string{"DB_QUERY_TIMEOUT": bad}))
		if err == nil || !strings.Contains(err.Error(), "DB_QUERY_TIMEOUT") {
			t.Errorf("DB_QUERY_TIMEOUT=%q: err = %v", bad, err)
		}
	}
}
