// Package config loads the service configuration from the environment once,
// into one typed struct that is passed down explicitly.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/solodestination/api/internal/platform/storage/s3store"
)

// Environment names.
const (
	Development = "development"
	Production  = "production"
)

// Default request limits per client and minute. One address often stands
// for many phones (carrier NAT, campus and hotel Wi-Fi) and a busy app
// screen makes 5–10 reads, so reads allow 10 a second sustained; writes
// (reviews, favourites, sign-ups, logins) are rarer and cost more, 2 a
// second. Signed-in callers are counted per account, not per address.
const (
	DefaultReadsPerMin  = 600
	DefaultWritesPerMin = 120
)

// MinSecretBytes is the shortest HMAC key accepted in production.
const MinSecretBytes = 32

// DefaultHTTPAddr is the listen address when HTTP_ADDR is unset.
const DefaultHTTPAddr = ":8080"

// Payment gateways (PAYMENT_GATEWAY).
const (
	// GatewayNone disables payments: payment routes answer 503 unavailable.
	GatewayNone = "none"
	// GatewaySandbox settles payments without money; refused in production.
	GatewaySandbox = "sandbox"
	// GatewayMidtrans pays through a Midtrans-style gateway (MIDTRANS_SERVER_KEY).
	GatewayMidtrans = "midtrans"
)

// Config is the whole runtime configuration; see README "Configuration".
type Config struct {
	HTTPAddr             string
	DatabaseURL          string
	DataDir              string
	JWTSecret            []byte
	AppEnv               string
	AdminEmail           string
	AdminPassword        string
	SeedDemo             bool
	PaymentGateway       string
	PaymentWebhookSecret []byte
	// TicketSigningKey is the 32-byte Ed25519 seed that signs booking
	// tickets (TICKET_SIGNING_KEY, hex or base64 of the seed).
	TicketSigningKey  []byte
	MidtransServerKey string
	// MidtransAPIURL overrides the Midtrans API base URL (MIDTRANS_API_URL);
	// empty chooses it by the server key (sandbox for "SB-" keys).
	MidtransAPIURL string
	// NIKEncryptionKey is the master key of the NIKs stored at rest: the
	// AES-256-GCM key and the blind-index HMAC key are derived from it.
	NIKEncryptionKey []byte
	CORSOrigins      []string
	TrustedProxies   []string
	// PublicBaseURL is the scheme and host clients reach the API on
	// (PUBLIC_BASE_URL, e.g. https://api.solodestination.example). Links
	// that outlive a request, such as the verification QR codes on receipts
	// and decision letters, use it; empty uses the host of each request.
	PublicBaseURL string
	LogLevel      string
	LogFormat     string
	// RefreshFamilyMaxAge is how long one login lasts however often it is
	// refreshed (REFRESH_FAMILY_MAX_AGE, e.g. "90d" or "720h").
	RefreshFamilyMaxAge time.Duration
	// MetricsAddr, when set, serves /metrics on its own listener instead of
	// the public one.
	MetricsAddr string
	// Requests per minute per client address (per account when signed in);
	// 0 turns a limit off.
	RateLimitReadsPerMin  int
	RateLimitWritesPerMin int
	// RedisURL (REDIS_URL or REDIS_URL_FILE, redis:// or rediss://) makes
	// login lock-outs and rate limits count in Redis, shared by every
	// replica; empty counts them in this process.
	RedisURL string
	// RedisKeyPrefix starts every key the API writes to Redis
	// (REDIS_KEY_PREFIX), so deployments can share one Redis.
	RedisKeyPrefix string
	// StorageURL (STORAGE_URL, s3://bucket/prefix?endpoint=…) keeps
	// uploaded files in an S3-compatible object store that every replica
	// reaches; empty keeps them under DATA_DIR.
	StorageURL string
	// StorageAccessKeyID and StorageSecretAccessKey sign requests to the
	// object store (STORAGE_ACCESS_KEY_ID, STORAGE_SECRET_ACCESS_KEY, each
	// with a _FILE variant); empty falls back to AWS's variables and roles.
	StorageAccessKeyID     string
	StorageSecretAccessKey string
	DBQueryTimeout         time.Duration // deadline of a request's database work; 0 sets none
	// DatabaseReplicaURLs are PostgreSQL standbys of DatabaseURL
	// (DATABASE_REPLICA_URLS or DATABASE_REPLICA_URLS_FILE, comma-separated)
	// that answer public anonymous reads; empty reads everything from the
	// primary.
	DatabaseReplicaURLs []string
	// DatabaseReplicaMaxLag is how far behind the primary a standby may be
	// and still answer reads (DATABASE_REPLICA_MAX_LAG).
	DatabaseReplicaMaxLag time.Duration
	// JobsEnabled makes `api serve` work background jobs (JOBS_ENABLED);
	// replicas that only answer requests turn it off.
	JobsEnabled bool
	// RidershipCheckInterval is how often trips past their confirmation
	// cutoff are confirmed or cancelled (RIDERSHIP_CHECK_INTERVAL).
	RidershipCheckInterval time.Duration
	// OTLPEndpoint (OTEL_EXPORTER_OTLP_ENDPOINT), when set, exports traces
	// over OTLP/HTTP to <endpoint>/v1/traces; empty turns tracing off.
	OTLPEndpoint string
	// OTLPProtocol (OTEL_EXPORTER_OTLP_PROTOCOL) is http/protobuf or http/json.
	OTLPProtocol string
	// ServiceName (OTEL_SERVICE_NAME) names this service in traces.
	ServiceName string
}

// OTLP protocols the trace exporter speaks; gRPC is not built in.
const (
	OTLPHTTPProtobuf = "http/protobuf"
	OTLPHTTPJSON     = "http/json"
)

// DefaultServiceName is OTEL_SERVICE_NAME when unset.
const DefaultServiceName = "solo-api"

// DefaultRidershipCheckInterval is RIDERSHIP_CHECK_INTERVAL when unset: a
// trip is decided within a minute of its cutoff.
const DefaultRidershipCheckInterval = time.Minute

// DefaultRedisKeyPrefix is REDIS_KEY_PREFIX when unset.
const DefaultRedisKeyPrefix = "solo:"

// DefaultReplicaMaxLag is DATABASE_REPLICA_MAX_LAG when unset: a public
// page may be this much older than the primary, well inside the 60 s its
// Cache-Control already allows.
const DefaultReplicaMaxLag = 5 * time.Second

// DefaultDBQueryTimeout is DB_QUERY_TIMEOUT when unset.
const DefaultDBQueryTimeout = 5 * time.Second

// IsProduction reports whether unsafe defaults must be refused.
func (c Config) IsProduction() bool { return c.AppEnv == Production }

// PaymentsEnabled reports whether a payment gateway is configured; with
// PAYMENT_GATEWAY=none payment routes answer 503 (see web.RequireEnabled).
func (c Config) PaymentsEnabled() bool { return c.PaymentGateway != GatewayNone }

// UsesPostgres reports whether DATABASE_URL selects PostgreSQL.
func (c Config) UsesPostgres() bool { return c.DatabaseURL != "" }

// Load reads the configuration through getenv (os.Getenv in production,
// a map in tests). Secrets may come from NAME_FILE instead of NAME. Every
// problem is reported at once, naming the setting.
func Load(getenv func(string) string) (Config, error) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	secret := func(name string) string {
		if path := getenv(name + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				bad("%s_FILE: cannot read %s", name, path)
				return ""
			}
			return strings.TrimRight(string(b), "\r\n")
		}
		return getenv(name)
	}

	c := Config{
		HTTPAddr:       env("HTTP_ADDR", DefaultHTTPAddr),
		DatabaseURL:    secret("DATABASE_URL"),
		DataDir:        env("DATA_DIR", "./data"),
		JWTSecret:      []byte(secret("JWT_SECRET")),
		AppEnv:         env("APP_ENV", Development),
		AdminEmail:     strings.ToLower(env("ADMIN_EMAIL", "")),
		AdminPassword:  secret("ADMIN_PASSWORD"),
		PaymentGateway: strings.ToLower(env("PAYMENT_GATEWAY", "")), // default depends on APP_ENV
		LogLevel:       strings.ToLower(env("LOG_LEVEL", "info")),
	}
	c.PaymentWebhookSecret = []byte(secret("PAYMENT_WEBHOOK_SECRET"))
	c.MetricsAddr = env("METRICS_ADDR", "")
	if raw := strings.TrimSpace(secret("TICKET_SIGNING_KEY")); raw != "" {
		seed, err := ParseSeed(raw)
		if err != nil {
			bad("TICKET_SIGNING_KEY must be a 32-byte Ed25519 seed written as 64 hex digits or base64: %v", err)
		}
		c.TicketSigningKey = seed
	}
	perMinute := func(name string, def int) int {
		n, err := strconv.Atoi(env(name, strconv.Itoa(def)))
		if err != nil || n < 0 {
			bad("%s must be a whole number of requests per minute, 0 to turn the limit off", name)
		}
		return n
	}
	c.RateLimitReadsPerMin = perMinute("RATE_LIMIT_READS_PER_MIN", DefaultReadsPerMin)
	c.RateLimitWritesPerMin = perMinute("RATE_LIMIT_WRITES_PER_MIN", DefaultWritesPerMin)
	c.RedisURL = strings.TrimSpace(secret("REDIS_URL"))
	c.RedisKeyPrefix = env("REDIS_KEY_PREFIX", DefaultRedisKeyPrefix)
	if c.RedisURL != "" {
		if _, err := redis.ParseURL(c.RedisURL); err != nil {
			// The error may quote the URL, password and all: not repeated.
			bad("REDIS_URL must be a redis:// or rediss:// URL")
		}
	}
	c.StorageURL = strings.TrimSpace(secret("STORAGE_URL"))
	c.StorageAccessKeyID = strings.TrimSpace(secret("STORAGE_ACCESS_KEY_ID"))
	c.StorageSecretAccessKey = secret("STORAGE_SECRET_ACCESS_KEY")
	if c.StorageURL != "" {
		if _, err := s3store.ParseURL(c.StorageURL); err != nil {
			bad("STORAGE_URL must look like s3://bucket/prefix?endpoint=https://host:port&region=…&path_style=true: %v", err)
		}
	}
	if (c.StorageAccessKeyID == "") != (c.StorageSecretAccessKey == "") {
		bad("STORAGE_ACCESS_KEY_ID and STORAGE_SECRET_ACCESS_KEY must be set together")
	} else if c.StorageAccessKeyID != "" && c.StorageURL == "" {
		bad("STORAGE_ACCESS_KEY_ID is set but STORAGE_URL is empty: files would stay on the local disk")
	}
	// The endpoint may carry credentials (user:password@) in some setups: a
	// secret, so it also comes from a file and is never repeated in errors.
	c.OTLPEndpoint = strings.TrimSpace(secret("OTEL_EXPORTER_OTLP_ENDPOINT"))
	c.OTLPProtocol = strings.ToLower(env("OTEL_EXPORTER_OTLP_PROTOCOL", OTLPHTTPProtobuf))
	c.ServiceName = env("OTEL_SERVICE_NAME", DefaultServiceName)
	if c.OTLPEndpoint != "" {
		if u, err := url.Parse(c.OTLPEndpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.RawQuery != "" || u.Fragment != "" {
			bad("OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL such as http://otel-collector:4318")
		}
	}
	if c.OTLPProtocol != OTLPHTTPProtobuf && c.OTLPProtocol != OTLPHTTPJSON {
		bad("OTEL_EXPORTER_OTLP_PROTOCOL must be %s or %s (gRPC is not built in), not %q", OTLPHTTPProtobuf, OTLPHTTPJSON, c.OTLPProtocol)
	}
	c.MidtransServerKey = secret("MIDTRANS_SERVER_KEY")
	c.MidtransAPIURL = env("MIDTRANS_API_URL", "")
	c.NIKEncryptionKey = []byte(secret("NIK_ENCRYPTION_KEY"))

	if c.AppEnv != Development && c.AppEnv != Production {
		bad("APP_ENV must be %q or %q, not %q", Development, Production, c.AppEnv)
	}
	prod := c.IsProduction()

	seedDefault := "true"
	logFormatDefault := "text"
	corsDefault := "*"
	gatewayDefault := GatewaySandbox
	if prod {
		seedDefault, logFormatDefault, corsDefault, gatewayDefault = "false", "json", "", GatewayNone
	}
	if c.PaymentGateway == "" {
		c.PaymentGateway = gatewayDefault
	}
	seed, err := strconv.ParseBool(env("SEED_DEMO", seedDefault))
	if err != nil {
		bad("SEED_DEMO must be true or false")
	}
	c.SeedDemo = seed
	c.LogFormat = strings.ToLower(env("LOG_FORMAT", logFormatDefault))
	c.CORSOrigins = splitList(env("CORS_ORIGINS", corsDefault))
	c.TrustedProxies = splitList(env("TRUSTED_PROXIES", ""))
	if c.PublicBaseURL, err = parseBaseURL(env("PUBLIC_BASE_URL", "")); err != nil {
		bad("PUBLIC_BASE_URL must be an http or https origin such as https://api.example.org (no path, query or user): %v", err)
	}
	if c.RefreshFamilyMaxAge, err = parseDays(env("REFRESH_FAMILY_MAX_AGE", "90d")); err != nil || c.RefreshFamilyMaxAge < time.Hour {
		bad("REFRESH_FAMILY_MAX_AGE must be a duration of at least 1h, in days (\"90d\") or Go units (\"720h\")")
	}

	if t, err := time.ParseDuration(env("DB_QUERY_TIMEOUT", DefaultDBQueryTimeout.String())); err != nil || t <= 0 {
		bad("DB_QUERY_TIMEOUT must be a positive duration such as 5s or 1500ms")
	} else {
		c.DBQueryTimeout = t
	}

	if c.JobsEnabled, err = strconv.ParseBool(env("JOBS_ENABLED", "true")); err != nil {
		bad("JOBS_ENABLED must be true or false")
	}
	if t, err := time.ParseDuration(env("RIDERSHIP_CHECK_INTERVAL", DefaultRidershipCheckInterval.String())); err != nil || t < time.Second {
		bad("RIDERSHIP_CHECK_INTERVAL must be a duration of at least 1s, such as 1m")
	} else {
		c.RidershipCheckInterval = t
	}

	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL must be debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT must be text or json")
	}
	switch c.PaymentGateway {
	case GatewaySandbox, GatewayNone:
	case GatewayMidtrans:
		if c.MidtransServerKey == "" {
			bad("MIDTRANS_SERVER_KEY (or MIDTRANS_SERVER_KEY_FILE) is required when PAYMENT_GATEWAY=midtrans")
		}
	default:
		bad("PAYMENT_GATEWAY %q is not a known gateway (known: sandbox, midtrans, none)", c.PaymentGateway)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("DATABASE_URL must be a postgres:// URL, or empty for the embedded SQLite database")
	}
	c.DatabaseReplicaURLs = splitList(secret("DATABASE_REPLICA_URLS"))
	for i, u := range c.DatabaseReplicaURLs {
		// The URL may hold a password: it is named by its place, not quoted.
		if !isPostgresURL(u) {
			bad("DATABASE_REPLICA_URLS: entry %d must be a postgres:// URL with a host", i+1)
		}
	}
	if len(c.DatabaseReplicaURLs) > 0 && c.DatabaseURL == "" {
		bad("DATABASE_REPLICA_URLS needs DATABASE_URL: the embedded SQLite database has no replicas")
	}
	if t, err := time.ParseDuration(env("DATABASE_REPLICA_MAX_LAG", DefaultReplicaMaxLag.String())); err != nil || t < 100*time.Millisecond {
		bad("DATABASE_REPLICA_MAX_LAG must be a duration of at least 100ms, such as 5s")
	} else {
		c.DatabaseReplicaMaxLag = t
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		bad("ADMIN_EMAIL and ADMIN_PASSWORD must be set together")
	}

	if prod {
		if len(c.JWTSecret) == 0 {
			bad("JWT_SECRET (or JWT_SECRET_FILE) is required when APP_ENV=production")
		} else if len(c.JWTSecret) < MinSecretBytes {
			bad("JWT_SECRET must be at least %d bytes when APP_ENV=production", MinSecretBytes)
		}
		// Losing or changing this key makes every stored NIK unreadable, so a
		// production instance never runs on a generated one.
		if len(c.NIKEncryptionKey) < MinSecretBytes {
			bad("NIK_ENCRYPTION_KEY (or NIK_ENCRYPTION_KEY_FILE) must be set to at least %d bytes when APP_ENV=production", MinSecretBytes)
		}
		if c.PaymentsEnabled() && len(c.PaymentWebhookSecret) < MinSecretBytes {
			bad("PAYMENT_WEBHOOK_SECRET must be set to at least %d bytes when APP_ENV=production and PAYMENT_GATEWAY=%s",
				MinSecretBytes, c.PaymentGateway)
		}
		if len(c.TicketSigningKey) == 0 {
			// Tickets are verified offline against the published key: a key
			// made up at start would change with every restart and replica.
			bad("TICKET_SIGNING_KEY (or TICKET_SIGNING_KEY_FILE) is required when APP_ENV=production")
		}
		if c.SeedDemo {
			bad("SEED_DEMO must be false when APP_ENV=production: demo accounts have published passwords")
		}
		if c.PaymentGateway == GatewaySandbox {
			bad("PAYMENT_GATEWAY=sandbox is refused when APP_ENV=production: it can settle payments without money")
		}
		for _, o := range c.CORSOrigins {
			if o == "*" {
				bad("CORS_ORIGINS=* is refused when APP_ENV=production: list the allowed origins")
			}
		}
	}

	if len(problems) > 0 {
		return Config{}, errors.New("invalid configuration:\n  - " + strings.Join(problems, "\n  - "))
	}
	return c, nil
}

// isPostgresURL reports whether raw is a postgres:// (or postgresql://) URL
// naming a host.
func isPostgresURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") && u.Host != ""
}

// parseDays reads a Go duration, or a whole number of days written "90d".
func parseDays(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		return time.Duration(n) * 24 * time.Hour, err
	}
	return time.ParseDuration(s)
}

// Warnings lists settings that are accepted but unsafe, for the log at start:
// development tolerates short secrets so a laptop needs no setup, but says so.
func (c Config) Warnings() []string {
	var w []string
	if c.IsProduction() {
		return nil
	}
	if n := len(c.JWTSecret); n > 0 && n < MinSecretBytes {
		w = append(w, fmt.Sprintf("JWT_SECRET is %d bytes; production refuses fewer than %d", n, MinSecretBytes))
	}
	if n := len(c.NIKEncryptionKey); n > 0 && n < MinSecretBytes {
		w = append(w, fmt.Sprintf("NIK_ENCRYPTION_KEY is %d bytes; production refuses fewer than %d", n, MinSecretBytes))
	}
	if n := len(c.PaymentWebhookSecret); n > 0 && n < MinSecretBytes && c.PaymentsEnabled() {
		w = append(w, fmt.Sprintf("PAYMENT_WEBHOOK_SECRET is %d bytes; production refuses fewer than %d", n, MinSecretBytes))
	}
	return w
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseBaseURL checks an origin (scheme and host, an optional port) and
// returns it without a trailing slash; "" stays "".
func parseBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	switch {
	case err != nil:
		return "", err
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("scheme %q", u.Scheme)
	case u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", fmt.Errorf("%q is not an origin", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}
