package telemetry

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// LogHandler adds trace_id and span_id to every record logged with a
// context inside a trace, so a log line leads to its trace. Records logged
// outside a trace (and every record while tracing is off) pass unchanged.
// A logger that already names the trace (the request logger, see
// web.RequestContext) is left alone, so no line names it twice.
func LogHandler(h slog.Handler) slog.Handler { return traceHandler{inner: h} }

type traceHandler struct {
	inner slog.Handler
	named bool // trace_id is already among the logger's attributes
}

func (h traceHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if !h.named {
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			r = r.Clone()
			r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
		}
	}
	return h.inner.Handle(ctx, r)
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	named := h.named
	for _, a := range attrs {
		named = named || a.Key == "trace_id"
	}
	return traceHandler{inner: h.inner.WithAttrs(attrs), named: named}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{inner: h.inner.WithGroup(name), named: h.named}
}
