package web

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.opentelemetry.io/otel/trace"

	"github.com/solodestination/api/internal/platform/apperr"
)

const loggerKey = "web.logger"

type metaKey struct{}

// RequestMeta is what the audit log and the logs need to know about the
// request that caused a change.
type RequestMeta struct {
	ID         string
	IP         string
	ActorID    uuid.UUID
	ActorEmail string
}

// MetaFrom returns the request metadata stored in ctx by RequestContext.
func MetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(metaKey{}).(RequestMeta)
	return m
}

// SetActor records who is calling, once authentication knows.
func SetActor(c *gin.Context, id uuid.UUID, email string) {
	m := MetaFrom(c.Request.Context())
	m.ActorID, m.ActorEmail = id, email
	c.Request = c.Request.WithContext(WithMeta(c.Request.Context(), m))
}

// RequestID returns the id of the request behind ctx.
func RequestID(ctx context.Context) string { return MetaFrom(ctx).ID }

// TraceID returns the W3C trace id of the request behind ctx, empty while
// tracing is off.
func TraceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc.TraceID().String()
	}
	return ""
}

// WithMeta returns ctx carrying m; for jobs and tests that act outside HTTP.
func WithMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// RequestContext gives every request an id (the client's X-Request-ID when it
// is sane, else a new UUIDv7), echoes it, and stores it with the client
// address and a request-scoped logger.
func RequestContext(base *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !safeRequestID.MatchString(id) {
			id = uuid.Must(uuid.NewV7()).String()
		}
		c.Header("X-Request-ID", id)
		m := RequestMeta{ID: id, IP: c.ClientIP()}
		c.Request = c.Request.WithContext(WithMeta(c.Request.Context(), m))
		log := base.With("request_id", id)
		// With tracing on, the trace middleware ran first: every line of
		// this request names its trace.
		if sc := trace.SpanContextFromContext(c.Request.Context()); sc.IsValid() {
			log = log.With("trace_id", sc.TraceID().String(), "span_id", sc.SpanID().String())
		}
		c.Set(loggerKey, log)
		c.Next()
	}
}

const originKey = "web.public_origin"

// PublicOrigin makes Origin answer base (PUBLIC_BASE_URL) on every request.
func PublicOrigin(base string) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(originKey, base)
		c.Next()
	}
}

// Origin is the scheme and host clients reach the API on, for links that
// outlive the request (a QR code printed on a letter): the configured
// PUBLIC_BASE_URL, or else the host this request came in on.
func Origin(c *gin.Context) string {
	if base := c.GetString(originKey); base != "" {
		return base
	}
	scheme := "https"
	if c.Request.TLS == nil && c.GetHeader("X-Forwarded-Proto") != "https" {
		scheme = "http"
	}
	return scheme + "://" + c.Request.Host
}

// AccessLog writes one structured line per request.
func AccessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		Logger(c).LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method),
			slog.String("route", c.FullPath()),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", status),
			slog.Int("bytes", c.Writer.Size()),
			slog.Duration("latency", time.Since(start)),
			slog.String("ip", c.ClientIP()),
		)
	}
}

// Recover turns a panic into a logged 500 problem with nothing internal in it.
func Recover() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, rec any) {
		if rec == http.ErrAbortHandler {
			panic(rec) // the client is gone; let net/http handle it
		}
		Logger(c).Error("panic", "panic", rec)
		RenderError(c, &apperr.Error{Kind: apperr.Internal, Code: "internal"})
	})
}

// Body size limits of the contract.
const (
	MaxJSONBody      = 1 << 20
	MaxMultipartBody = 11 << 20 // the largest upload (10 MiB) plus form overhead
)

// LimitBody caps request bodies: 1 MiB for JSON and other bodies, more for
// multipart uploads (whose handlers enforce their own per-file limits). A
// declared Content-Length over the cap is refused before reading.
func LimitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := int64(MaxJSONBody)
		if strings.HasPrefix(c.GetHeader("Content-Type"), "multipart/form-data") {
			limit = MaxMultipartBody
		}
		if c.Request.ContentLength > limit {
			RenderError(c, PayloadTooLarge(limit))
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

// SecureHeaders sets the headers an API should always send; hsts adds
// Strict-Transport-Security, for production, where TLS ends in front of us.
func SecureHeaders(hsts bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		// JSON needs no scripts, styles or frames; the few HTML pages (Swagger
		// UI) replace this with a policy of their own.
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

// RequireEnabled guards the routes of a feature that configuration can turn
// off (payments with PAYMENT_GATEWAY=none): while enabled is false they
// answer 503 unavailable with detail, before any handler runs. No Retry-After:
// waiting does not help, an operator has to enable the feature.
func RequireEnabled(enabled bool, detail string) gin.HandlerFunc {
	if enabled {
		return func(c *gin.Context) { c.Next() }
	}
	return func(c *gin.Context) {
		RenderError(c, &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", Detail: detail})
	}
}

// NoRoute answers unknown paths with a 404 problem.
func NoRoute(c *gin.Context) {
	RenderError(c, &apperr.Error{Kind: apperr.NotFound, Code: "not_found", Detail: "No endpoint has this path."})
}

// NoMethod answers a known path with the wrong method with a 405 problem.
func NoMethod(c *gin.Context) {
	RenderError(c, &apperr.Error{Kind: apperr.MethodNotAllowed, Code: "method_not_allowed",
		Detail: "This endpoint does not accept " + c.Request.Method + "; see the Allow header."})
}

// QueryDeadline gives each request's database work a deadline: the request
// context expires after timeout, so queries, connection waits and dials
// stop there and the request answers 503. An upload's clock also covers the
// client sending the file, so multipart requests get the time a slow mobile
// link needs for their body on top. A timeout of 0 sets none.
func QueryDeadline(timeout time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		if timeout <= 0 {
			c.Next()
			return
		}
		d := timeout
		if strings.HasPrefix(c.GetHeader("Content-Type"), "multipart/form-data") {
			d += uploadAllowance(c.Request.ContentLength)
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// slowUploadBytesPerSecond is a weak mobile uplink (256 kbit/s).
const slowUploadBytesPerSecond = 32 << 10

// uploadAllowance is how long sending a body of n bytes (unknown: the
// largest allowed) may take over a slow link.
func uploadAllowance(n int64) time.Duration {
	if n < 0 || n > MaxMultipartBody {
		n = MaxMultipartBody
	}
	return time.Duration(n) * time.Second / slowUploadBytesPerSecond
}
