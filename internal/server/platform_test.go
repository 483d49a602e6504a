package server_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/config"
)

func TestProblemForEveryErrorClass(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	api.Engine.GET("/api/v1/test-panic", func(*gin.Context) { panic(errors.New("secret internal detail: SELECT * FROM users")) })

	cases := []struct {
		name   string
		req    apitest.Req
		status int
		code   string
	}{
		{"unknown route", apitest.Req{Method: "GET", Path: "/api/v1/no-such-thing"}, 404, "not_found"},
		{"wrong method", apitest.Req{Method: "PUT", Path: "/api/v1/auth/login", Body: map[string]any{}}, 405, "method_not_allowed"},
		{"malformed JSON", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RawBody: []byte("{nope")}, 400, "bad_request"},
		{"wrong type", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RawBody: []byte(`{"email": true}`)}, 400, "bad_request"},
		{"empty body", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RawBody: []byte{}}, 400, "bad_request"},
		{"validation", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"email": ""}}, 422, "validation_failed"},
		{"no token", apitest.Req{Method: "GET", Path: "/api/v1/me"}, 401, "unauthorized"},
		{"too large", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RawBody: bytes.Repeat([]byte(" "), 1<<20+1)}, 413, "payload_too_large"},
		{"wrong content type", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RawBody: []byte("<x/>"), ContentType: "application/xml"}, 415, "unsupported_media_type"},
		{"panic", apitest.Req{Method: "GET", Path: "/api/v1/test-panic"}, 500, "internal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := api.Do(tc.req)
			p := r.ExpectProblem(tc.status, tc.code)
			if p.Type == "" || p.Title == "" || p.Instance != strings.SplitN(tc.req.Path, "?", 2)[0] || p.RequestID == "" {
				t.Errorf("incomplete problem: %+v", p)
			}
			if p.RequestID != r.Header.Get("X-Request-ID") {
				t.Errorf("request_id %q, header %q", p.RequestID, r.Header.Get("X-Request-ID"))
			}
			for _, leak := range []string{"SELECT", "secret internal", "goroutine", ".go:"} {
				if bytes.Contains(r.Body, []byte(leak)) {
					t.Errorf("response leaks %q: %s", leak, r.Body)
				}
			}
		})
	}
	if r := api.Do(apitest.Req{Method: "PUT", Path: "/api/v1/auth/login", Body: map[string]any{}}); r.Header.Get("Allow") != "POST" {
		t.Errorf("405 Allow = %q", r.Header.Get("Allow"))
	}
}

func TestRequestIDAndHeaders(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	r := api.Do(apitest.Req{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-ID": "mobile-42.a"}})
	if r.Header.Get("X-Request-ID") != "mobile-42.a" {
		t.Errorf("client request id not echoed: %q", r.Header.Get("X-Request-ID"))
	}
	r = api.Do(apitest.Req{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-ID": "bad id\" <script>"}})
	if id := r.Header.Get("X-Request-ID"); id == "" || strings.ContainsAny(id, " <\"") {
		t.Errorf("unsafe request id echoed: %q", id)
	}
	r = api.Get("/healthz", apitest.Anonymous)
	if r.Header.Get("X-Request-ID") == "" {
		t.Error("no request id generated")
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}

func TestGzip(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	r := api.Do(apitest.Req{Method: "GET", Path: "/swagger/doc.json", Header: map[string]string{"Accept-Encoding": "gzip"}})
	r.Expect(200)
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", r.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Contains(plain, []byte(`"swagger"`)) {
		t.Fatalf("gunzipped body: %v %.80s", err, plain)
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	preflight := apitest.Req{Method: "OPTIONS", Path: "/api/v1/auth/login", Header: map[string]string{
		"Origin": "https://app.surakarta.example", "Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "content-type,authorization"}}

	open := apitest.New(t)
	r := open.Do(preflight)
	if r.Code >= 300 || r.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("preflight with CORS_ORIGINS=*: %d %v", r.Code, r.Header)
	}

	listed := apitest.New(t, func(c *config.Config) { c.CORSOrigins = []string{"https://app.surakarta.example"} })
	if got := listed.Do(preflight).Header.Get("Access-Control-Allow-Origin"); got != "https://app.surakarta.example" {
		t.Fatalf("allowed origin = %q", got)
	}
	preflight.Header["Origin"] = "https://evil.example"
	if got := listed.Do(preflight).Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("unlisted origin allowed: %q", got)
	}
}

func TestHealthReadinessMetrics(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	api.Get("/healthz", apitest.Anonymous).Expect(200)
	api.Get("/readyz", apitest.Anonymous).Expect(200)
	api.Get("/api/v1/me", apitest.Anonymous).Expect(401)

	m := api.Get("/metrics", apitest.Anonymous).Expect(200)
	for _, want := range []string{
		`http_requests_total{method="GET",route="/api/v1/me",status="401"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/readyz"`,
		`go_goroutines`,
		`go_sql_open_connections`,
	} {
		if !bytes.Contains(m.Body, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
	api.Get("/api/v1/definitely/not/here", apitest.Anonymous).Expect(404)
	m = api.Get("/metrics", apitest.Anonymous)
	if bytes.Contains(m.Body, []byte("definitely")) {
		t.Error("raw paths leak into metric labels")
	}

	api.Draining.Store(true)
	r := api.Get("/readyz", apitest.Anonymous)
	r.ExpectProblem(http.StatusServiceUnavailable, "unavailable")
	api.Draining.Store(false)

	api.DB.Close()
	api.Get("/readyz", apitest.Anonymous).ExpectProblem(http.StatusServiceUnavailable, "unavailable")
	api.Get("/healthz", apitest.Anonymous).Expect(200)
}

func TestSwaggerUI(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	r := api.Get("/swagger/index.html", apitest.Anonymous).Expect(200)
	if !bytes.Contains(r.Body, []byte("swagger-ui")) {
		t.Fatal("Swagger UI page missing")
	}
	var spec map[string]any
	api.Get("/swagger/doc.json", apitest.Anonymous).Expect(200).JSON(&spec)
	if host, _ := spec["host"].(string); host != "" {
		t.Error("spec hard-codes a host; Try it out must call whatever served it")
	}
	defs := spec["securityDefinitions"].(map[string]any)
	if _, ok := defs["BearerAuth"]; !ok {
		t.Error("no BearerAuth security definition")
	}
}
