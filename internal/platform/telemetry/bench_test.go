package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/telemetry"
)

// The cost of a server span per request: a route answered with tracing off
// (no middleware) and on (a span exported to a local receiver).
func BenchmarkMiddleware(b *testing.B) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }))
	defer receiver.Close()
	for _, tc := range []struct {
		name     string
		endpoint string
	}{{"off", ""}, {"on", receiver.URL}} {
		b.Run(tc.name, func(b *testing.B) {
			tr, err := telemetry.Start(context.Background(), telemetry.Options{Endpoint: tc.endpoint, ServiceName: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Shutdown(context.Background())
			gin.SetMode(gin.ReleaseMode)
			r := gin.New()
			if m := tr.Middleware(); m != nil {
				r.Use(m)
			}
			r.GET("/api/v1/trips/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
			req := httptest.NewRequest(http.MethodGet, "/api/v1/trips/42", nil)
			req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
			b.ReportAllocs()
			for b.Loop() {
				r.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
