// Package server is the HTTP composition root: it builds the gin engine with
// the platform middleware and mounts every domain's routes (routes.go).
//
//	@title						Solo Destination API
//	@version					1.0.0
//	@description				Backend of a city super-app for Surakarta (Solo), Indonesia. Today it serves accounts (register, log in, profile; staff roles per city department; user administration and an audit log) and the tourism catalog: attractions, culinary spots and events in Indonesian and English, search and suggestions, photos, reviews, favourites and itineraries; tourist transport (modes and fares, routes and stops, dated trips) with seat booking; and in-app notifications. Writes that book seats accept an `Idempotency-Key` header: the same key with the same body replays the first answer.
//	@description				Errors are RFC 9457 `application/problem+json` documents with a stable `code`. Lists are `{data, meta{limit, next_cursor}}`; follow `next_cursor` with `?cursor=` until it is null.
//	@description				Every response carries `X-Request-ID`; rate-limited responses (429) say when to retry in `Retry-After`, and responses under /api/v1 report the client's budget in `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.
//	@license.name				MIT
//	@license.url				https://opensource.org/license/mit
//	@contact.name				Solo Destination API maintainers
//	@contact.url				https://github.com/solodestination/api
//	@BasePath					/api/v1
//	@tag.name					auth
//	@tag.description			Register, log in, rotate refresh tokens, log out.
//	@tag.name					me
//	@tag.description			The caller's own profile.
//	@tag.name					catalog
//	@tag.description			Attractions, culinary spots and events: lists with filters and sorts, one listing, categories, search and name suggestions; tourism staff add, change, publish and archive listings.
//	@tag.name					reviews
//	@tag.description			Ratings and reviews of listings, one per user and listing.
//	@tag.name					images
//	@tag.description			Photos of listings, uploaded by tourism staff and served from /media.
//	@tag.name					favorites
//	@tag.description			The caller's favourite listings.
//	@tag.name					itineraries
//	@tag.description			The caller's trip plans: listings in visiting order, by day.
//	@tag.name					transport
//	@tag.description			Tourist transport: modes with fares, routes with ordered stops, nearby stops, dated trips with seats available, seat booking and the caller's bookings; transport staff manage the network and cancel trips.
//	@tag.name					calendar
//	@tag.description			Indonesia's national holidays and cuti bersama by year; staff of every department keep the years not decreed yet.
//	@tag.name					tax
//	@tag.description			Local taxes for citizens: the citizen profile (NIK, masked everywhere) that revenue staff verify, tax objects by NOP linked to the verified owner, bills with the late-payment penalty as of today in Asia/Jakarta, and the bill lookup by NOP for paying on someone's behalf.
//	@tag.name					permits
//	@tag.description			Permits (keramaian, reklame, PBG, usaha mikro, syuting): permit types with their fields, documents and rules, versioned; citizens' applications with documents, submitted for review on a working-day SLA clock; the licensing office's queue and decisions; permit numbers anyone can verify.
//	@tag.name					payments
//	@tag.description			Paying tax bills through the payment gateway (virtual account, QRIS, e-wallet), the gateway's signed notifications, the payer's payments and receipts (NTPD), and settling in the sandbox.
//	@tag.name					notifications
//	@tag.description			The caller's in-app messages (booking confirmed or cancelled, trip cancelled), newest first.
//	@tag.name					admin
//	@tag.description			User administration and the audit log of every staff and admin write (administrators only).
//	@tag.name					infrastructure
//	@tag.description			Health, readiness, metrics, stored files and this description, served at the server root rather than under /api/v1 (described only in the OpenAPI 3 document).
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				A JWT access token from POST /auth/login, sent as "Bearer <token>" (an HTTP bearer scheme in the OpenAPI 3 description). Tokens follow RFC8725 (JWT best current practices): signed with HS256 and verified against an explicit algorithm allow-list, issuer, audience and expiry; short-lived (15 minutes by default).
package server

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/catalog/image"
	"github.com/solodestination/api/internal/catalog/plan"
	"github.com/solodestination/api/internal/catalog/review"
	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/payment"
	"github.com/solodestination/api/internal/permit"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/telemetry"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/internal/tax"
	"github.com/solodestination/api/internal/transport"
)

// Deps is everything the HTTP layer needs, built once by internal/app: the
// platform pieces and one service per domain. Adding a domain adds its
// service here, its construction in app.New and its block in routes.go.
type Deps struct {
	Config config.Config
	Log    *slog.Logger
	DB     *database.DB
	Pager  web.Pager       // signs the cursors of every list
	Media  storage.Storage // public files, served at /media
	// Private holds files only their owners and staff may read (permit
	// documents); never served under /media.
	Private *storage.Private
	// Metrics is the registry the HTTP collectors join; nil makes a new one.
	// With METRICS_ADDR set, cmd/api serves it on its own listener.
	Metrics *prometheus.Registry
	// Idempotency deduplicates retried writes that opt in (Idempotency-Key).
	Idempotency *idempotency.Keys
	// Redis holds the counts of login lock-outs and rate limits shared by
	// every replica; nil (REDIS_URL unset) counts them in this process.
	Redis *redis.Client
	// Tracing exports request, database and gateway spans; off (nil or
	// without an endpoint) it installs nothing.
	Tracing *telemetry.Tracing

	Identity *identity.Service
	Catalog  *catalog.Service
	Reviews  *review.Service
	Plans    *plan.Service
	Images   *image.Service
	Audit    *audit.Service
	// Notifications are written by other domains in their transactions.
	Notifications *notification.Service
	Transport     *transport.Service
	// Holidays is the national calendar other domains count working days with.
	Holidays *holiday.Service
	Tax      *tax.Service
	// Permits is permit types, applications and the licensing workflow.
	Permits *permit.Service
	// Payments takes money for other domains' things (tax bills) through the gateway.
	Payments *payment.Service

	// Draining is set during graceful shutdown so /readyz takes the instance
	// out of load balancing before the listener closes.
	Draining *atomic.Bool
}

// New returns the fully wired HTTP handler.
func New(d Deps) (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	// gin's trailing-slash redirect prepends the client's X-Forwarded-Prefix
	// to Location; the fixed-path redirect sends the same 301/307 for
	// "/attractions/" from the route table alone.
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = true
	// Only listed proxies may set the client address through X-Forwarded-For;
	// by default gin would trust everyone.
	if err := r.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, err
	}
	if d.Draining == nil {
		d.Draining = &atomic.Bool{}
	}

	reg := d.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.DB.SQL, string(d.DB.Dialect)),
	)
	reg.MustRegister(d.DB.ReplicaCollectors()...)
	metrics := web.NewMetrics(reg)

	// The server span comes first: the request's logger, metrics and
	// problems all run inside it.
	if trace := d.Tracing.Middleware(); trace != nil {
		r.Use(trace)
	}
	r.Use(
		web.RequestContext(d.Log),
		metrics.Middleware(),
		web.AccessLog(),
		web.Recover(),
		web.SecureHeaders(d.Config.IsProduction()),
		corsMiddleware(d.Config.CORSOrigins),
		web.LimitBody(),
		web.LimitQuery(),
		web.QueryDeadline(d.Config.DBQueryTimeout),
	)
	if d.Config.PublicBaseURL != "" {
		r.Use(web.PublicOrigin(d.Config.PublicBaseURL))
	}
	r.NoRoute(web.NoRoute)
	r.NoMethod(web.NoMethod)

	addRoutes(r, d, reg)
	return r, nil
}

// Compress wraps the engine with gzip for clients that accept it. It works
// below gin so handlers may send bodies they compressed once and cached (a
// body that already has a Content-Encoding passes through); bodies under
// 1 KiB and already-compressed media types are sent as they are.
func Compress(h http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.CompressionLevel(gzip.BestSpeed))
	if err != nil {
		return nil, err
	}
	return wrap(h), nil
}

func corsMiddleware(origins []string) gin.HandlerFunc {
	cfg := cors.Config{
		AllowMethods: []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"},
		AllowHeaders: []string{"Authorization", "Content-Type", "Accept-Language", "If-None-Match", "Idempotency-Key", "X-Request-ID"},
		ExposeHeaders: []string{"X-Request-ID", "ETag", "Retry-After", "Content-Language", "Location",
			"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Idempotent-Replayed"},
		MaxAge: 12 * time.Hour, // a Duration: a bare 12*60*60 would be 43 µs, sent as 0
	}
	switch {
	case len(origins) == 0:
		return func(c *gin.Context) { c.Next() } // no browser origin is allowed
	case len(origins) == 1 && origins[0] == "*":
		cfg.AllowAllOrigins = true
	default:
		cfg.AllowOrigins = origins
	}
	return cors.New(cfg)
}
