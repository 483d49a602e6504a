// Package config loads the service configuration from the environment once,
// into one typed struct that is passed down explicitly.
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment names.
const (
	Development = "development"
	Production  = "production"
)

// MinSecretBytes is the shortest HMAC key accepted in production.
const MinSecretBytes = 32

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
	CORSOrigins          []string
	TrustedProxies       []string
	LogLevel             string
	LogFormat            string
	DBQueryTimeout       time.Duration // deadline of a request's database work; 0 sets none
}

// DefaultDBQueryTimeout is DB_QUERY_TIMEOUT when unset.
const DefaultDBQueryTimeout = 5 * time.Second

// IsProduction reports whether unsafe defaults must be refused.
func (c Config) IsProduction() bool { return c.AppEnv == Production }

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
		HTTPAddr:       env("HTTP_ADDR", ":8080"),
		DatabaseURL:    secret("DATABASE_URL"),
		DataDir:        env("DATA_DIR", "./data"),
		JWTSecret:      []byte(secret("JWT_SECRET")),
		AppEnv:         env("APP_ENV", Development),
		AdminEmail:     strings.ToLower(env("ADMIN_EMAIL", "")),
		AdminPassword:  secret("ADMIN_PASSWORD"),
		PaymentGateway: env("PAYMENT_GATEWAY", "sandbox"),
		LogLevel:       strings.ToLower(env("LOG_LEVEL", "info")),
	}
	c.PaymentWebhookSecret = []byte(secret("PAYMENT_WEBHOOK_SECRET"))

	if c.AppEnv != Development && c.AppEnv != Production {
		bad("APP_ENV must be %q or %q, not %q", Development, Production, c.AppEnv)
	}
	prod := c.IsProduction()

	seedDefault := "true"
	logFormatDefault := "text"
	corsDefault := "*"
	if prod {
		seedDefault, logFormatDefault, corsDefault = "false", "json", ""
	}
	seed, err := strconv.ParseBool(env("SEED_DEMO", seedDefault))
	if err != nil {
		bad("SEED_DEMO must be true or false")
	}
	c.SeedDemo = seed
	c.LogFormat = strings.ToLower(env("LOG_FORMAT", logFormatDefault))
	c.CORSOrigins = splitList(env("CORS_ORIGINS", corsDefault))
	c.TrustedProxies = splitList(env("TRUSTED_PROXIES", ""))

	if t, err := time.ParseDuration(env("DB_QUERY_TIMEOUT", DefaultDBQueryTimeout.String())); err != nil || t <= 0 {
		bad("DB_QUERY_TIMEOUT must be a positive duration such as 5s or 1500ms")
	} else {
		c.DBQueryTimeout = t
	}

	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL must be debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT must be text or json")
	}
	if c.PaymentGateway != "sandbox" {
		bad("PAYMENT_GATEWAY %q is not a known gateway (known: sandbox)", c.PaymentGateway)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("DATABASE_URL must be a postgres:// URL, or empty for the embedded SQLite database")
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
		if len(c.PaymentWebhookSecret) < MinSecretBytes {
			bad("PAYMENT_WEBHOOK_SECRET must be set to at least %d bytes when APP_ENV=production", MinSecretBytes)
		}
		if c.SeedDemo {
			bad("SEED_DEMO must be false when APP_ENV=production: demo accounts have published passwords")
		}
		if c.PaymentGateway == "sandbox" {
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

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
