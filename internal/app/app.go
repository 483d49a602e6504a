// Package app wires the services of the API from a Config: the database,
// migrations, demo seeding, and the HTTP handler. cmd/api and the tests build
// the same thing through it.
package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/ulule/limiter/v3"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/catalog/image"
	"github.com/solodestination/api/internal/catalog/plan"
	"github.com/solodestination/api/internal/catalog/review"
	"github.com/solodestination/api/internal/demo"
	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/payment"
	"github.com/solodestination/api/internal/permit"
	"github.com/solodestination/api/internal/platform/cachesync"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/httpcache"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/internal/platform/jobs"
	"github.com/solodestination/api/internal/platform/ratelimit"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/storage/s3store"
	"github.com/solodestination/api/internal/platform/telemetry"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/internal/server"
	"github.com/solodestination/api/internal/tax"
	"github.com/solodestination/api/internal/transport"
)

// The invalidation topics replicas tell each other about (cachesync).
const (
	topicCatalog  = "catalog"
	topicAccounts = "accounts"
)

// App is a running set of services over one database. Its services are
// server.Deps, the one list of them: adding a domain adds a field there and
// its construction in New.
type App struct {
	server.Deps
	// Jobs is the background job queue; StartJobs works it.
	Jobs *jobs.Queue
	// CacheSync carries cache invalidations between replicas; nil on
	// SQLite without Redis.
	CacheSync *cachesync.Bus
}

// Open connects to the configured database, migrates it and builds the services.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	db, err := database.Open(ctx, database.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, Logger: log,
		BusyTimeout: cfg.DBQueryTimeout})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, log); err != nil {
		db.Close()
		return nil, err
	}
	a, err := New(ctx, cfg, log, db, identity.DefaultPasswordParams)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// New builds the services over an already migrated db; tests pass cheap
// password parameters.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, db *database.DB, pw identity.PasswordParams) (*App, error) {
	// With REDIS_URL, login lock-outs and rate limits count in Redis so
	// they hold across replicas; the client connects on first use, so an
	// API started while Redis is down still serves.
	var shared *redis.Client
	var loginAttempts limiter.Store
	if cfg.RedisURL != "" {
		var err error
		if shared, err = ratelimit.OpenRedis(cfg.RedisURL); err != nil {
			return nil, errors.New("REDIS_URL is not a redis:// or rediss:// URL")
		}
		loginAttempts = ratelimit.RedisStore(shared, cfg.RedisKeyPrefix+"login")
	}
	tracing, err := telemetry.Start(ctx, telemetry.Options{Endpoint: cfg.OTLPEndpoint, Protocol: cfg.OTLPProtocol,
		ServiceName: cfg.ServiceName, Version: version(), Log: log})
	if err != nil {
		return nil, err
	}
	if p := tracing.Gorm(string(db.Dialect)); p != nil {
		if err := db.Use(p); err != nil {
			return nil, err
		}
	}
	// Public anonymous reads go to the standbys (see database.PublicRead);
	// a standby that is down at start only logs and is skipped.
	if len(cfg.DatabaseReplicaURLs) > 0 {
		if err := db.UseReplicas(ctx, database.ReplicaOptions{URLs: cfg.DatabaseReplicaURLs,
			MaxLag: cfg.DatabaseReplicaMaxLag, Logger: log}); err != nil {
			return nil, err
		}
	}
	ids, err := identity.NewService(db, identity.Options{JWTSecret: cfg.JWTSecret, PasswordParams: pw, Log: log,
		FamilyMaxAge: cfg.RefreshFamilyMaxAge, LoginAttempts: loginAttempts})
	if err != nil {
		return nil, err
	}
	media, private, err := openStorage(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	// Repeated anonymous catalog reads are answered from memory (at most
	// 64 MiB) for up to five seconds, well inside the public max-age of 60 s;
	// every catalog write on this instance empties the cache after commit.
	cache := httpcache.New(5*time.Second, 64<<20)
	cat, err := catalog.NewService(db, catalog.Options{Cache: cache})
	if err != nil {
		return nil, err
	}
	notes := notification.NewService(db, ids)
	vault, err := tax.NewVault(nikKey(cfg))
	if err != nil {
		return nil, err
	}
	// The decreed holidays are reference data every environment needs, not
	// demo content: the dates missing from the table are added at each start.
	holidays := holiday.NewService(db)
	if _, err := holidays.LoadReference(ctx); err != nil {
		return nil, err
	}
	rides := transport.NewService(db, notes, holidays, time.Now)
	if len(cfg.TicketSigningKey) > 0 {
		if err := rides.SetTicketKey(cfg.TicketSigningKey); err != nil {
			return nil, err
		}
	}
	taxes := tax.NewService(db, vault, time.Now)
	payments := payment.NewService(db, gateway(cfg, tracing), notes, time.Now)
	payments.Accept(payment.KindTaxBill, taxes)
	payments.TellStaff(ids, identity.DeptRevenue)
	a := &App{Deps: server.Deps{Config: cfg, Log: log, DB: db, Pager: web.NewPager(cfg.JWTSecret), Media: media,
		Private:       private,
		Idempotency:   idempotency.New(db),
		Redis:         shared,
		Tracing:       tracing,
		Identity:      ids,
		Catalog:       cat,
		Reviews:       review.NewService(db, cat, ids),
		Plans:         plan.NewService(db, rides),
		Images:        image.NewService(db, media, log, cache),
		Audit:         audit.NewService(db),
		Notifications: notes,
		Transport:     rides,
		Holidays:      holidays,
		Tax:           taxes,
		Permits:       permit.NewService(db, notes, holidays, taxes, private, time.Now),
		Payments:      payments,
		Metrics:       prometheus.NewRegistry(),
	}}
	// Business metrics join the HTTP and database ones on /metrics.
	a.Metrics.MustRegister(rides.Collectors()...)
	a.Metrics.MustRegister(payments.Collectors()...)
	a.Metrics.MustRegister(a.Permits.QueueCollector(log))
	// Workers look for new jobs at least as often as the shortest periodic
	// job runs, so a short interval (tests) is honoured.
	every := cfg.RidershipCheckInterval
	if every <= 0 {
		every = config.DefaultRidershipCheckInterval
	}
	a.Jobs = jobs.New(db, jobs.Options{Log: log, PollInterval: min(jobs.DefaultPollInterval, every)})
	a.Transport.RegisterJobs(a.Jobs, every)
	a.Payments.RegisterJobs(a.Jobs, payment.SweepInterval)
	created, err := ids.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return nil, err
	}
	if created {
		log.Info("administrator created", "email", cfg.AdminEmail)
	}
	// Every replica's caches are emptied by a write on any of them (the
	// catalog's responses by a catalog write, the checked accounts by an
	// access change): through Redis pub/sub when REDIS_URL is set, else
	// PostgreSQL LISTEN/NOTIFY; SQLite is one node. The TTLs cover a lost
	// message. Started last, so that a failed start leaves nothing running.
	switch {
	case shared != nil:
		a.CacheSync = cachesync.Redis(shared, cfg.RedisKeyPrefix+"cache:invalidate", log)
	case db.Dialect == database.Postgres:
		// One channel per schema, so deployments (and tests) sharing a
		// database in separate schemas do not empty each other's caches.
		var schema string
		if err := db.SQL.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, err
		}
		a.CacheSync = cachesync.Postgres(db.SQL, db.Connect, "cache_invalidate:"+schema, log)
	}
	if bus := a.CacheSync; bus != nil {
		bus.On(topicCatalog, cache.InvalidateLocal)
		cache.Broadcast(func() { bus.Publish(topicCatalog) })
		bus.On(topicAccounts, ids.ForgetActorsLocal)
		ids.Broadcast(func() { bus.Publish(topicAccounts) })
	}
	return a, nil
}

// openStorage opens where uploaded files live: under DATA_DIR (one node),
// or with STORAGE_URL in an object store every replica reaches. Private
// files (permit documents, decision letters) live apart from /media, on
// disk and in the bucket alike, and are read only through handlers that
// check who asks.
func openStorage(ctx context.Context, cfg config.Config, log *slog.Logger) (storage.Storage, *storage.Private, error) {
	if cfg.StorageURL == "" {
		media, err := storage.NewDisk(filepath.Join(cfg.DataDir, "media"))
		if err != nil {
			return nil, nil, err
		}
		private, err := storage.NewPrivateDisk(filepath.Join(cfg.DataDir, "private"))
		if err != nil {
			return nil, nil, err
		}
		return media, private, nil
	}
	loc, err := s3store.ParseURL(cfg.StorageURL)
	if err != nil {
		return nil, nil, fmt.Errorf("STORAGE_URL: %w", err)
	}
	root, err := s3store.New(loc, s3store.Credentials{AccessKeyID: cfg.StorageAccessKeyID, SecretAccessKey: cfg.StorageSecretAccessKey})
	if err != nil {
		return nil, nil, err
	}
	// A missing bucket or refused keys stop the start; an object store that
	// does not answer does not, as with Redis: everything but files serves.
	checkCtx, cancel := context.WithTimeout(ctx, s3store.CheckTimeout)
	defer cancel()
	switch err := root.Check(checkCtx); {
	case errors.Is(err, s3store.ErrUnreachable):
		log.Warn("object store unreachable at start: uploads and /media fail until it answers", "storage", loc.String(), "err", err)
	case err != nil:
		return nil, nil, err
	default:
		log.Info("files kept in the object store", "storage", loc.String())
	}
	return root.Sub("media"), storage.NewPrivate(root.Sub("private")), nil
}

// gateway is the PAYMENT_GATEWAY adapter, nil when payments are off (their
// routes answer 503) or the adapter is not built yet.
func gateway(cfg config.Config, tracing *telemetry.Tracing) payment.Gateway {
	if cfg.PaymentGateway == config.GatewaySandbox {
		secret := cfg.PaymentWebhookSecret
		if len(secret) == 0 {
			// Development without PAYMENT_WEBHOOK_SECRET: a key derived from
			// the kept JWT secret, never an empty one anyone could sign with.
			m := hmac.New(sha256.New, cfg.JWTSecret)
			m.Write([]byte("development payment webhook secret"))
			secret = m.Sum(nil)
		}
		return payment.NewSandbox(secret)
	}
	if cfg.PaymentGateway == config.GatewayMidtrans {
		m := payment.NewMidtrans(cfg.MidtransServerKey, cfg.MidtransAPIURL)
		m.WrapTransport(func(rt http.RoundTripper) http.RoundTripper { return tracing.Transport(rt, "Midtrans") })
		return m
	}
	return nil
}

// nikKey is NIK_ENCRYPTION_KEY. Production always has one (config refuses
// to start without it) and cmd/api fills a kept one in development; a
// configuration built in code (tests) derives one from the JWT secret.
func nikKey(cfg config.Config) []byte {
	if len(cfg.NIKEncryptionKey) > 0 || cfg.IsProduction() {
		return cfg.NIKEncryptionKey
	}
	m := hmac.New(sha256.New, cfg.JWTSecret)
	m.Write([]byte("development NIK encryption key"))
	return m.Sum(nil)
}

// Seed loads the demo content into an empty database (idempotent).
func (a *App) Seed(ctx context.Context) error {
	return demo.Seed(ctx, a.DB, a.Log,
		demo.Seeder{Name: "identity", Run: a.Identity.SeedDemo},
		demo.Seeder{Name: "catalog", Run: a.Catalog.SeedDemo},
		demo.Seeder{Name: "transport", Run: func(ctx context.Context, tx *gorm.DB) error {
			return a.Transport.SeedDemo(ctx, tx, a.Identity)
		}},
		demo.Seeder{Name: "tax", Run: func(ctx context.Context, tx *gorm.DB) error { return a.Tax.SeedDemo(ctx, tx, a.Identity) }},
		demo.Seeder{Name: "permits", Run: func(ctx context.Context, tx *gorm.DB) error { return a.Permits.SeedDemo(ctx, tx, a.Identity) }},
	)
}

// Handler returns the HTTP handler of the API, and the gin engine inside it
// (tests add routes to it).
func (a *App) Handler(draining *atomic.Bool) (http.Handler, *gin.Engine, error) {
	d := a.Deps
	d.Draining = draining
	engine, err := server.New(d)
	if err != nil {
		return nil, nil, err
	}
	h, err := server.Compress(engine)
	return h, engine, err
}

// StartJobs works the background jobs in this process unless JOBS_ENABLED
// is false; StopJobs or Close ends it.
func (a *App) StartJobs(ctx context.Context) error {
	if !a.Config.JobsEnabled {
		a.Log.Info("background jobs disabled (JOBS_ENABLED=false)")
		return nil
	}
	if err := a.Jobs.Start(ctx); err != nil {
		return err
	}
	a.Log.Info("background jobs started", "ridership_check_every", a.Config.RidershipCheckInterval)
	return nil
}

// StopJobs lets running jobs finish until ctx ends, then cancels them.
func (a *App) StopJobs(ctx context.Context) error { return a.Jobs.Stop(ctx) }

// StopCacheSync stops listening for other replicas' cache invalidations.
func (a *App) StopCacheSync() {
	if a.CacheSync != nil {
		a.CacheSync.Close()
	}
}

// Close stops the jobs (waiting up to ten seconds) and releases the
// database and Redis.
func (a *App) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.StopJobs(ctx); err != nil {
		a.Log.Warn("stopping background jobs", "err", err)
	}
	a.StopCacheSync()
	if a.Redis != nil {
		_ = a.Redis.Close()
	}
	// Last: the spans of the work stopped above are flushed too.
	if err := a.Tracing.Shutdown(ctx); err != nil {
		a.Log.Warn("flushing traces", "err", err)
	}
	return a.DB.Close()
}

// version is the module version the binary was built from, for
// service.version in traces; empty in development builds.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}
