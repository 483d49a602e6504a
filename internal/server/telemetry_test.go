package server_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/config"
)

// collector is an OTLP/HTTP trace receiver (protobuf) keeping every span.
type collector struct {
	mu    sync.Mutex
	spans []*tracepb.Span
	names []string // service.name of each export
}

func newCollector(t *testing.T) (*collector, string) {
	c := &collector{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "want protobuf on /v1/traces", http.StatusNotFound)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, a := range rs.GetResource().GetAttributes() {
				if a.Key == "service.name" {
					c.names = append(c.names, a.GetValue().GetStringValue())
				}
			}
			for _, ss := range rs.ScopeSpans {
				c.spans = append(c.spans, ss.Spans...)
			}
		}
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		b, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return c, srv.URL
}

func (c *collector) all() []*tracepb.Span {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*tracepb.Span(nil), c.spans...)
}

func attr(s *tracepb.Span, key string) string {
	for _, a := range s.Attributes {
		if a.Key == key {
			if sv := a.GetValue().GetStringValue(); sv != "" {
				return sv
			}
			return a.GetValue().String()
		}
	}
	return ""
}

func tracing(endpoint string) apitest.Option {
	return func(c *config.Config) { c.OTLPEndpoint, c.ServiceName = endpoint, "solo-api-test" }
}

// With OTEL_EXPORTER_OTLP_ENDPOINT set, a request is a server span named by
// its route template continuing the caller's traceparent, its statements
// are child spans with their parameterised text, and its problem document
// and log lines carry the same trace id. No path value, query or body
// reaches a span.
func TestTracesReachTheCollector(t *testing.T) {
	t.Parallel()
	col, endpoint := newCollector(t)
	api, logs := apitest.NewLogged(t, tracing(endpoint))
	const (
		traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
		parent  = "00f067aa0ba902b7"
		tripID  = "01a249a3-2b31-7cee-a387-0be731c10c3b"
	)
	p := api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/trips/" + tripID,
		Header: map[string]string{"traceparent": "00-" + traceID + "-" + parent + "-01"}}).
		ExpectProblem(http.StatusNotFound, "not_found")
	if p.TraceID != traceID {
		t.Fatalf("problem trace_id %q, want the incoming %s", p.TraceID, traceID)
	}
	// A new trace for a request without traceparent; a query value that
	// must stay out of every span.
	fresh := api.Get("/api/v1/attractions?q=rahasia-warga", apitest.Anonymous).Expect(http.StatusOK)
	api.Get("/healthz", apitest.Anonymous).Expect(http.StatusOK) // probes are not traced
	if err := api.App.Tracing.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}

	spans := col.all()
	var server *tracepb.Span
	for _, s := range spans {
		if hex.EncodeToString(s.TraceId) == traceID && s.Kind == tracepb.Span_SPAN_KIND_SERVER {
			server = s
		}
	}
	if server == nil {
		t.Fatalf("no server span of trace %s among %d spans", traceID, len(spans))
	}
	if server.Name != "GET /api/v1/transport/trips/:id" || hex.EncodeToString(server.ParentSpanId) != parent ||
		attr(server, "http.route") != "/api/v1/transport/trips/:id" {
		t.Fatalf("server span %q parent %x route %q", server.Name, server.ParentSpanId, attr(server, "http.route"))
	}
	var db *tracepb.Span
	for _, s := range spans {
		if bytes.Equal(s.ParentSpanId, server.SpanId) && s.Kind == tracepb.Span_SPAN_KIND_CLIENT {
			db = s
		}
	}
	if db == nil || !strings.Contains(attr(db, "db.query.text"), "transport_trips") {
		t.Fatalf("no database span under the server span: %v", db)
	}
	var serverSpans int
	for _, s := range spans {
		if s.Kind == tracepb.Span_SPAN_KIND_SERVER {
			serverSpans++
			if s.Name == "GET /api/v1/attractions" && hex.EncodeToString(s.TraceId) == traceID {
				t.Error("a request without traceparent joined another trace")
			}
		}
		raw, _ := proto.Marshal(s)
		for _, leak := range []string{tripID, "rahasia-warga", "q="} {
			if bytes.Contains(raw, []byte(leak)) {
				t.Errorf("span %q carries %q", s.Name, leak)
			}
		}
	}
	if serverSpans != 2 {
		t.Errorf("%d server spans, want 2", serverSpans)
	}
	if col.names[0] != "solo-api-test" {
		t.Errorf("service.name %q", col.names[0])
	}

	// Every log line of the traced request names its trace.
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var l struct {
			Msg, RequestID, TraceID string
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(line), &m)
		l.Msg, _ = m["msg"].(string)
		l.RequestID, _ = m["request_id"].(string)
		l.TraceID, _ = m["trace_id"].(string)
		if l.RequestID == p.RequestID {
			found = found || l.Msg == "request"
			if l.TraceID != traceID {
				t.Errorf("log line without the trace id: %s", line)
			}
		}
		if l.RequestID == fresh.Header.Get("X-Request-ID") && len(l.TraceID) != 32 {
			t.Errorf("log line of a fresh trace without its id: %s", line)
		}
	}
	if !found {
		t.Fatalf("no access log line of request %s:\n%s", p.RequestID, logs)
	}
}

// Tracing off (the default): an incoming traceparent changes nothing, and
// problems and logs carry no trace id.
func TestNoTracesByDefault(t *testing.T) {
	t.Parallel()
	api, logs := apitest.NewLogged(t)
	p := api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/trips/01a249a3-2b31-7cee-a387-0be731c10c3b",
		Header: map[string]string{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}).
		ExpectProblem(http.StatusNotFound, "not_found")
	if p.TraceID != "" || api.App.Tracing.Enabled() {
		t.Fatalf("trace id %q with tracing off", p.TraceID)
	}
	if strings.Contains(logs.String(), "trace_id") {
		t.Fatalf("logs name a trace with tracing off:\n%s", logs)
	}
}
