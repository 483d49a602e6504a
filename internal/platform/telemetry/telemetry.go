// Package telemetry exports OpenTelemetry traces over OTLP/HTTP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set: a server span per request named by its
// route template, a child span per database statement and a client span per
// call to the payment gateway, continued from and passed on with W3C
// traceparent. With no endpoint nothing is installed and requests, logs and
// responses are exactly as without this package.
//
// Spans carry no citizen data: no raw paths (they hold ids), no query
// strings (a NOP lookup is a query), no bodies, no client addresses, and
// database statements only as their parameterised text, never the values.
package telemetry

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	"golang.org/x/time/rate"
)

// instrumentation names the tracer of this code in every span.
const instrumentation = "github.com/solodestination/api"

// Options configure tracing; an empty Endpoint turns it off.
type Options struct {
	Endpoint    string // OTEL_EXPORTER_OTLP_ENDPOINT: traces go to <Endpoint>/v1/traces
	Protocol    string // OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", else protobuf
	ServiceName string // OTEL_SERVICE_NAME
	Version     string // service.version, when known
	Log         *slog.Logger
}

// Tracing is the process's tracer provider and propagator. The zero value
// and a Tracing started without an endpoint are off: every method is then a
// no-op that adds nothing to requests.
type Tracing struct {
	sdk        *sdktrace.TracerProvider
	provider   trace.TracerProvider
	propagator propagation.TextMapPropagator
}

// exportWarnings bounds the log lines of a collector that is down to one
// per 10 s; the batch processor keeps retrying and drops what does not fit.
var exportWarnings = rate.Sometimes{Interval: 10 * time.Second}

// Start builds the exporter and provider. Nothing is dialled here: spans are
// batched and sent in the background, so an unreachable collector never
// delays a request or the start.
func Start(ctx context.Context, o Options) (*Tracing, error) {
	if o.Endpoint == "" {
		return &Tracing{}, nil
	}
	endpoint := strings.TrimRight(o.Endpoint, "/") + "/v1/traces"
	opts := []otlptracehttp.Option{otlptracehttp.WithEndpointURL(endpoint)}
	if o.Protocol == "http/json" {
		opts = append(opts, otlptracehttp.WithEncoding(otlptracehttp.EncodingJSON))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, err
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	// The SDK reports export failures through the global handler only.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		exportWarnings.Do(func() { log.Warn("trace export failed (further failures within 10 s are not logged)", "err", err) })
	}))
	attrs := []attribute.KeyValue{attribute.String("service.name", o.ServiceName)}
	if o.Version != "" {
		attrs = append(attrs, attribute.String("service.version", o.Version))
	}
	// No sampler option: the SDK then honours OTEL_TRACES_SAMPLER and
	// OTEL_TRACES_SAMPLER_ARG, defaulting to parent-based always-on.
	sdk := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attrs...)),
	)
	return &Tracing{sdk: sdk, provider: sdk, propagator: propagation.TraceContext{}}, nil
}

// Enabled reports whether spans are exported.
func (t *Tracing) Enabled() bool { return t != nil && t.sdk != nil }

// Provider is the tracer provider (a no-op one when tracing is off).
func (t *Tracing) Provider() trace.TracerProvider {
	if !t.Enabled() {
		return noop.NewTracerProvider()
	}
	return t.provider
}

// ForceFlush sends the spans ended so far.
func (t *Tracing) ForceFlush(ctx context.Context) error {
	if !t.Enabled() {
		return nil
	}
	return t.sdk.ForceFlush(ctx)
}

// Shutdown flushes the spans still buffered and stops the exporter; at
// exit, so the last requests' traces are not lost.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if !t.Enabled() {
		return nil
	}
	err := t.sdk.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("trace exporter: spans still unsent at shutdown were dropped")
	}
	return err
}

// Transport wraps base (nil: http.DefaultTransport) so each outgoing request
// is a client span and carries traceparent; base itself when tracing is off.
func (t *Tracing) Transport(base http.RoundTripper, peer string) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if !t.Enabled() {
		return base
	}
	return otelhttp.NewTransport(base,
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithPropagators(t.propagator),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return peer + " " + r.Method }),
	)
}
