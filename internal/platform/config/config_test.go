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
		"APP_ENV": "production", "JWT_SECRET": strong, "PAYMENT_WEBHOOK_SECRET": strong, "NIK_ENCRYPTION_KEY": strong,
		"TICKET_SIGNING_KEY": strings.Repeat("0f", 32),
		"PAYMENT_GATEWAY":    "sandbox", "CORS_ORIGINS": "https://solodestination.example",
	}
	cases := []struct {
		name    string
		change  map[string]string
		mention string
	}{
		{"missing JWT secret", map[string]string{"JWT_SECRET": ""}, "JWT_SECRET"},
		{"short JWT secret", map[string]string{"JWT_SECRET": "short"}, "JWT_SECRET must be at least 32 bytes"},
		{"missing NIK key", map[string]string{"NIK_ENCRYPTION_KEY": ""}, "NIK_ENCRYPTION_KEY"},
		{"short NIK key", map[string]string{"NIK_ENCRYPTION_KEY": "short"}, "NIK_ENCRYPTION_KEY (or NIK_ENCRYPTION_KEY_FILE) must be set to at least 32 bytes"},
		{"demo seeding", map[string]string{"SEED_DEMO": "true"}, "SEED_DEMO"},
		{"missing ticket key", map[string]string{"TICKET_SIGNING_KEY": ""}, "TICKET_SIGNING_KEY"},
		{"short ticket key", map[string]string{"TICKET_SIGNING_KEY": "abcd"}, "TICKET_SIGNING_KEY must be a 32-byte"},
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
	c, err := config.Load(env(map[string]string{"APP_ENV": "production", "SEED_DEMO": "true", "PAYMENT_GATEWAY": "sandbox"}))
	if err == nil {
		t.Fatalf("production with nothing set started: %+v", c)
	}
	for _, want := range []string{"JWT_SECRET", "PAYMENT_WEBHOOK_SECRET", "PAYMENT_GATEWAY", "SEED_DEMO", "TICKET_SIGNING_KEY", "NIK_ENCRYPTION_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("all problems should be reported at once; %q missing from %v", want, err)
		}
	}
}

// The minimal production environment starts: payments off, nothing seeded,
// no browser origin allowed, JSON logs, and no webhook secret needed.
func TestProductionMinimalEnvironment(t *testing.T) {
	c, err := config.Load(env(map[string]string{"APP_ENV": "production",
		"DATABASE_URL": "postgres://solo@db:5432/solo", "JWT_SECRET": strings.Repeat("k", 32),
		"TICKET_SIGNING_KEY": strings.Repeat("k", 43), // base64 of 32 bytes
		"NIK_ENCRYPTION_KEY": strings.Repeat("n", 32)}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PaymentGateway != config.GatewayNone || c.PaymentsEnabled() || c.SeedDemo || len(c.CORSOrigins) != 0 ||
		c.LogFormat != "json" || !c.IsProduction() {
		t.Fatalf("production defaults = %+v", c)
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("warnings in a safe production setup: %v", w)
	}
	if _, err := config.Load(env(map[string]string{"APP_ENV": "production", "JWT_SECRET": strings.Repeat("k", 31)})); err == nil ||
		!strings.Contains(err.Error(), "JWT_SECRET must be at least 32 bytes") {
		t.Fatalf("31-byte secret: %v", err)
	}
}

func TestPaymentGateway(t *testing.T) {
	strong := strings.Repeat("k", 32)
	key := strings.Repeat("0f", 32)
	cases := []struct {
		env     map[string]string
		want    string // the gateway, or a fragment of the error
		enabled bool
	}{
		{map[string]string{}, "sandbox", true},
		{map[string]string{"PAYMENT_GATEWAY": "none"}, "none", false},
		{map[string]string{"PAYMENT_GATEWAY": " NONE "}, "none", false},
		{map[string]string{"PAYMENT_GATEWAY": "sandbox"}, "sandbox", true},
		{map[string]string{"PAYMENT_GATEWAY": "midtrans"}, "MIDTRANS_SERVER_KEY", false},
		{map[string]string{"PAYMENT_GATEWAY": "midtrans", "MIDTRANS_SERVER_KEY": "SB-Mid-server-x"}, "midtrans", true},
		{map[string]string{"PAYMENT_GATEWAY": "xendit"}, "not a known gateway", false},
		{map[string]string{"APP_ENV": "production", "JWT_SECRET": strong, "TICKET_SIGNING_KEY": key, "NIK_ENCRYPTION_KEY": strong}, "none", false},
		{map[string]string{"APP_ENV": "production", "JWT_SECRET": strong, "TICKET_SIGNING_KEY": key, "NIK_ENCRYPTION_KEY": strong, "PAYMENT_GATEWAY": "sandbox",
			"PAYMENT_WEBHOOK_SECRET": strong}, "PAYMENT_GATEWAY=sandbox is refused", false},
		// A gateway needs its webhook secret in production.
		{map[string]string{"APP_ENV": "production", "JWT_SECRET": strong, "TICKET_SIGNING_KEY": key, "PAYMENT_GATEWAY": "midtrans",
			"MIDTRANS_SERVER_KEY": "Mid-server-x"}, "PAYMENT_WEBHOOK_SECRET", false},
		// Production starts with the Midtrans-style gateway configured.
		{map[string]string{"APP_ENV": "production", "JWT_SECRET": strong, "TICKET_SIGNING_KEY": key, "NIK_ENCRYPTION_KEY": strong,
			"PAYMENT_GATEWAY": "midtrans", "MIDTRANS_SERVER_KEY": "Mid-server-x", "PAYMENT_WEBHOOK_SECRET": strong}, "midtrans", true},
	}
	for _, tc := range cases {
		c, err := config.Load(env(tc.env))
		switch {
		case tc.want == config.GatewaySandbox || tc.want == config.GatewayNone || tc.want == config.GatewayMidtrans:
			if err != nil || c.PaymentGateway != tc.want || c.PaymentsEnabled() != tc.enabled {
				t.Errorf("%v: gateway %q enabled %v, err %v; want %q", tc.env, c.PaymentGateway, c.PaymentsEnabled(), err, tc.want)
			}
		case err == nil || !strings.Contains(err.Error(), tc.want):
			t.Errorf("%v: err = %v, want it to mention %q", tc.env, err, tc.want)
		}
	}
}

func TestDevelopmentWarnsAboutShortSecrets(t *testing.T) {
	c, err := config.Load(env(map[string]string{"JWT_SECRET": "x", "PAYMENT_WEBHOOK_SECRET": "short"}))
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(c.Warnings(), "\n")
	if !strings.Contains(w, "JWT_SECRET is 1 bytes") || !strings.Contains(w, "PAYMENT_WEBHOOK_SECRET is 5 bytes") {
		t.Fatalf("warnings = %q", w)
	}
	c, _ = config.Load(env(map[string]string{"JWT_SECRET": strings.Repeat("k", 32)}))
	if w := c.Warnings(); len(w) != 0 {
		t.Fatalf("warnings for a strong secret: %v", w)
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
		string(c1.PaymentWebhookSecret) != string(c2.PaymentWebhookSecret) ||
		len(c1.TicketSigningKey) != config.SeedSize || string(c1.TicketSigningKey) != string(c2.TicketSigningKey) ||
		len(c1.NIKEncryptionKey) < 32 || string(c1.NIKEncryptionKey) != string(c2.NIKEncryptionKey) {
		t.Fatal("development secrets must be generated once and reused")
	}
	if fi, err := os.Stat(filepath.Join(dir, "jwt_secret")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", fi, err)
	}
}

// The NIK key is read from NIK_ENCRYPTION_KEY or its _FILE like every
// secret, and a short one is only a warning in development.
func TestNIKEncryptionKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nik")
	if err := os.WriteFile(path, []byte(strings.Repeat("f", 40)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(env(map[string]string{"NIK_ENCRYPTION_KEY_FILE": path}))
	if err != nil || string(c.NIKEncryptionKey) != strings.Repeat("f", 40) {
		t.Fatalf("from file: %q %v", c.NIKEncryptionKey, err)
	}
	c, err = config.Load(env(map[string]string{"NIK_ENCRYPTION_KEY": "short"}))
	if err != nil || !strings.Contains(strings.Join(c.Warnings(), "\n"), "NIK_ENCRYPTION_KEY is 5 bytes") {
		t.Fatalf("short key in development: %v %v", c.Warnings(), err)
	}
}

func TestRefreshFamilyMaxAge(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.RefreshFamilyMaxAge != 90*24*time.Hour {
		t.Fatalf("default = %v, %v; want 90 days", c.RefreshFamilyMaxAge, err)
	}
	for in, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, "720h": 720 * time.Hour} {
		c, err := config.Load(env(map[string]string{"REFRESH_FAMILY_MAX_AGE": in}))
		if err != nil || c.RefreshFamilyMaxAge != want {
			t.Errorf("%s → %v, %v; want %v", in, c.RefreshFamilyMaxAge, err, want)
		}
	}
	for _, in := range []string{"soon", "0d", "-5d", "10m"} {
		if _, err := config.Load(env(map[string]string{"REFRESH_FAMILY_MAX_AGE": in})); err == nil ||
			!strings.Contains(err.Error(), "REFRESH_FAMILY_MAX_AGE") {
			t.Errorf("%q accepted (err %v)", in, err)
		}
	}
}

func TestRateLimitsAndMetricsAddress(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimitReadsPerMin != config.DefaultReadsPerMin || c.RateLimitWritesPerMin != config.DefaultWritesPerMin || c.MetricsAddr != "" {
		t.Fatalf("defaults: reads %d, writes %d, metrics %q", c.RateLimitReadsPerMin, c.RateLimitWritesPerMin, c.MetricsAddr)
	}
	c, err = config.Load(env(map[string]string{"RATE_LIMIT_READS_PER_MIN": "0", "RATE_LIMIT_WRITES_PER_MIN": "5000", "METRICS_ADDR": "127.0.0.1:9090"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimitReadsPerMin != 0 || c.RateLimitWritesPerMin != 5000 || c.MetricsAddr != "127.0.0.1:9090" {
		t.Fatalf("overrides: %+v", c)
	}
	for _, v := range []string{"-1", "many", "1.5"} {
		_, err := config.Load(env(map[string]string{"RATE_LIMIT_WRITES_PER_MIN": v}))
		if err == nil || !strings.Contains(err.Error(), "RATE_LIMIT_WRITES_PER_MIN") {
			t.Errorf("RATE_LIMIT_WRITES_PER_MIN=%s: %v", v, err)
		}
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

func TestJobSettings(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.JobsEnabled || c.RidershipCheckInterval != time.Minute {
		t.Fatalf("jobs enabled %v, ridership every %v; want true, 1m", c.JobsEnabled, c.RidershipCheckInterval)
	}
	c, err = config.Load(env(map[string]string{"JOBS_ENABLED": "false", "RIDERSHIP_CHECK_INTERVAL": "5s"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.JobsEnabled || c.RidershipCheckInterval != 5*time.Second {
		t.Fatalf("jobs enabled %v, ridership every %v; want false, 5s", c.JobsEnabled, c.RidershipCheckInterval)
	}
	for k, v := range map[string]string{"JOBS_ENABLED": "sometimes", "RIDERSHIP_CHECK_INTERVAL": "10ms"} {
		if _, err := config.Load(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Fatalf("%s=%s: err = %v", k, v, err)
		}
	}
}

// PUBLIC_BASE_URL is an origin: normalised without a trailing slash; a
// path, a query, credentials or another scheme are refused by name.
func TestPublicBaseURL(t *testing.T) {
	for raw, want := range map[string]string{"": "", "https://api.solo.example/": "https://api.solo.example",
		"http://127.0.0.1:8080": "http://127.0.0.1:8080"} {
		c, err := config.Load(env(map[string]string{"PUBLIC_BASE_URL": raw}))
		if err != nil || c.PublicBaseURL != want {
			t.Errorf("%q: %q, %v; want %q", raw, c.PublicBaseURL, err, want)
		}
	}
	for _, raw := range []string{"ftp://api.solo.example", "https://api.solo.example/v1", "https://u:p@api.solo.example",
		"https://api.solo.example?x=1", "api.solo.example", "https://"} {
		if _, err := config.Load(env(map[string]string{"PUBLIC_BASE_URL": raw})); err == nil || !strings.Contains(err.Error(), "PUBLIC_BASE_URL") {
			t.Errorf("%q accepted: %v", raw, err)
		}
	}
}

// REDIS_URL comes from the environment or REDIS_URL_FILE like the other
// secrets (it may carry a password); a URL that is not Redis's is refused
// without being repeated.
func TestRedisURL(t *testing.T) {
	c, err := config.Load(env(map[string]string{}))
	if err != nil || c.RedisURL != "" || c.RedisKeyPrefix != config.DefaultRedisKeyPrefix {
		t.Fatalf("default = %q %q, %v", c.RedisURL, c.RedisKeyPrefix, err)
	}
	path := filepath.Join(t.TempDir(), "redis")
	const url = "redis://:s3cret@redis.internal:6379/2"
	if err := os.WriteFile(path, []byte(url+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = config.Load(env(map[string]string{"REDIS_URL_FILE": path, "REDIS_KEY_PREFIX": "city:"}))
	if err != nil || c.RedisURL != url || c.RedisKeyPrefix != "city:" {
		t.Fatalf("from file = %q %q, %v", c.RedisURL, c.RedisKeyPrefix, err)
	}
	_, err = config.Load(env(map[string]string{"REDIS_URL": "http://user:s3cret@x"}))
	if err == nil || !strings.Contains(err.Error(), "REDIS_URL") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("bad URL: err = %v", err)
	}
}

// STORAGE_URL selects the object store; its keys come in pairs, from the
// environment or _FILE, and a malformed URL is refused by name without
// repeating anything secret.
func TestStorageURL(t *testing.T) {
	c, err := config.Load(env(map[string]string{}))
	if err != nil || c.StorageURL != "" || c.StorageAccessKeyID != "" {
		t.Fatalf("default = %q %q, %v", c.StorageURL, c.StorageAccessKeyID, err)
	}
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte("wJalrXUtnFEMI-s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const url = "s3://solo-files/prod?endpoint=https://minio.internal:9000&path_style=true"
	c, err = config.Load(env(map[string]string{"STORAGE_URL": url, "STORAGE_ACCESS_KEY_ID": "solo-api",
		"STORAGE_SECRET_ACCESS_KEY_FILE": path}))
	if err != nil || c.StorageURL != url || c.StorageAccessKeyID != "solo-api" || c.StorageSecretAccessKey != "wJalrXUtnFEMI-s3cret" {
		t.Fatalf("from file = %+v, %v", c, err)
	}
	// Without keys the AWS variables and roles are asked at start.
	if _, err := config.Load(env(map[string]string{"STORAGE_URL": "s3://solo-files"})); err != nil {
		t.Fatalf("without keys: %v", err)
	}
	for _, c := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"STORAGE_URL": "s3://id:s3cret@bucket"}, "STORAGE_URL"},
		{map[string]string{"STORAGE_URL": "s3://bucket?endpoint=minio:9000"}, "STORAGE_URL"},
		{map[string]string{"STORAGE_URL": "/data/files"}, "STORAGE_URL"},
		{map[string]string{"STORAGE_URL": "s3://bucket", "STORAGE_ACCESS_KEY_ID": "solo-api"}, "set together"},
		{map[string]string{"STORAGE_URL": "s3://bucket", "STORAGE_SECRET_ACCESS_KEY": "s3cret"}, "set together"},
		{map[string]string{"STORAGE_ACCESS_KEY_ID": "solo-api", "STORAGE_SECRET_ACCESS_KEY": "s3cret"}, "STORAGE_URL is empty"},
	} {
		_, err := config.Load(env(c.vars))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%v: err = %v, want one about %s", c.vars, err, c.want)
		}
	}
}

func TestOpenTelemetry(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.OTLPEndpoint != "" || c.OTLPProtocol != config.OTLPHTTPProtobuf || c.ServiceName != "solo-api" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = config.Load(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4318",
		"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_SERVICE_NAME": "solo-api-a"}))
	if err != nil || c.OTLPEndpoint != "http://otel-collector:4318" || c.OTLPProtocol != config.OTLPHTTPJSON || c.ServiceName != "solo-api-a" {
		t.Fatalf("set: %+v %v", c, err)
	}
	for k, v := range map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "otel-collector:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"} {
		if _, err := config.Load(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: err = %v", k, v, err)
		}
	}
}

func TestReplicaURLs(t *testing.T) {
	primary := "postgres://app@db:5432/solo"
	c, err := config.Load(env(map[string]string{"DATABASE_URL": primary,
		"DATABASE_REPLICA_URLS": " postgres://app:pw@standby1:5432/solo , postgresql://app@standby2/solo,"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.DatabaseReplicaURLs) != 2 || c.DatabaseReplicaURLs[0] != "postgres://app:pw@standby1:5432/solo" ||
		c.DatabaseReplicaURLs[1] != "postgresql://app@standby2/solo" || c.DatabaseReplicaMaxLag != config.DefaultReplicaMaxLag {
		t.Fatalf("replicas = %q, max lag %v", c.DatabaseReplicaURLs, c.DatabaseReplicaMaxLag)
	}

	if c, err := config.Load(env(map[string]string{"DATABASE_URL": primary})); err != nil || c.DatabaseReplicaURLs != nil {
		t.Fatalf("unset: %v, %q", err, c.DatabaseReplicaURLs)
	}

	file := filepath.Join(t.TempDir(), "replicas")
	if err := os.WriteFile(file, []byte("postgres://app:secret@standby1/solo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = config.Load(env(map[string]string{"DATABASE_URL": primary, "DATABASE_REPLICA_URLS_FILE": file, "DATABASE_REPLICA_MAX_LAG": "750ms"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.DatabaseReplicaURLs) != 1 || c.DatabaseReplicaURLs[0] != "postgres://app:secret@standby1/solo" || c.DatabaseReplicaMaxLag != 750*time.Millisecond {
		t.Fatalf("from file: %q, %v", c.DatabaseReplicaURLs, c.DatabaseReplicaMaxLag)
	}
}

func TestReplicaURLsRefused(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		mention string
	}{
		{"not a URL", map[string]string{"DATABASE_URL": "postgres://db/solo", "DATABASE_REPLICA_URLS": "postgres://db2/solo,standby:5432"},
			"DATABASE_REPLICA_URLS: entry 2 must be a postgres:// URL"},
		{"other scheme", map[string]string{"DATABASE_URL": "postgres://db/solo", "DATABASE_REPLICA_URLS": "mysql://u:hunter2@db2/solo"},
			"entry 1 must be a postgres:// URL"},
		{"SQLite", map[string]string{"DATABASE_REPLICA_URLS": "postgres://db2/solo"}, "DATABASE_REPLICA_URLS needs DATABASE_URL"},
		{"bad lag", map[string]string{"DATABASE_URL": "postgres://db/solo", "DATABASE_REPLICA_MAX_LAG": "soon"}, "DATABASE_REPLICA_MAX_LAG must be a duration"},
		{"tiny lag", map[string]string{"DATABASE_URL": "postgres://db/solo", "DATABASE_REPLICA_MAX_LAG": "1ms"}, "at least 100ms"},
		{"missing file", map[string]string{"DATABASE_URL": "postgres://db/solo", "DATABASE_REPLICA_URLS_FILE": "/nonexistent/replicas"}, "DATABASE_REPLICA_URLS_FILE: cannot read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.mention) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.mention)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("the error repeats a password: %v", err)
			}
		})
	}
}
