package telemetry

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Middleware starts the server span of each request, continuing the trace of
// an incoming W3C traceparent. It must run first, so the request's logger
// and problem documents see the span (web.RequestContext reads it). The span
// is named by the route template ("GET /api/v1/transport/trips/:id"), known
// before the handlers run; unknown paths are named by the method alone.
// Nil when tracing is off: the caller then installs nothing.
func (t *Tracing) Middleware() gin.HandlerFunc {
	if !t.Enabled() {
		return nil
	}
	tracer := t.provider.Tracer(instrumentation)
	return func(c *gin.Context) {
		if untraced[c.FullPath()] {
			c.Next()
			return
		}
		ctx := t.propagator.Extract(c.Request.Context(), propagation.HeaderCarrier(c.Request.Header))
		method := methodName(c.Request.Method)
		route := c.FullPath()
		name := method
		attrs := []attribute.KeyValue{attribute.String("http.request.method", method)}
		if route != "" {
			name += " " + route
			attrs = append(attrs, attribute.String("http.route", route))
		}
		ctx, span := tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...))
		defer span.End()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
		status := c.Writer.Status()
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(status))
		}
	}
}

// untraced are the probes and the scrape: every few seconds from every
// replica, they would bury the requests worth a trace.
var untraced = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// methodName keeps invented methods out of span names (their set is open).
func methodName(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "HTTP"
}
