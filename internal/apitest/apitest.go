// Package apitest drives the real router over httptest, each test against its
// own database, the way a client would: JSON in, status and JSON out.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/app"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/testdb"
	"github.com/solodestination/api/pkg/problem"
)

// Secret is the JWT key of test servers, so tests can forge tokens.
var Secret = []byte("test-secret-test-secret-test-secret-0123")

// API is a test server over a fresh database.
type API struct {
	T       testing.TB
	App     *app.App
	DB      testdb.DB
	Handler http.Handler
	Engine  *gin.Engine
	// Draining is the server's shutdown flag.
	Draining *atomic.Bool
}

// Option adjusts the configuration of a test server.
type Option func(*config.Config)

// New builds the whole API over a new database.
func New(t testing.TB, opts ...Option) *API {
	t.Helper()
	return build(t, quietLog(t), identity.FastPasswordParams, opts)
}

// quietLog discards the server's log, or with -v shows its warnings.
func quietLog(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Actor is a logged-in account of a test.
type Actor struct {
	ID           uuid.UUID
	Email        string
	Token        string
	RefreshToken string
}

// Anonymous sends no credentials.
var Anonymous = Actor{}

// Req is one request; zero fields are left out.
type Req struct {
	Method  string
	Path    string
	Body    any    // encoded as JSON unless RawBody is set
	RawBody []byte // sent as is, with ContentType
	// ContentType defaults to application/json when there is a body.
	ContentType string
	As          Actor
	Header      map[string]string
	RemoteAddr  string
	// Invalid marks a request that deliberately breaks api/openapi.yaml's
	// rules: it must fail the document's validation and get a documented 4xx.
	Invalid bool
}

// Response is what the server answered.
type Response struct {
	T      testing.TB
	Code   int
	Header http.Header
	Body   []byte
}

// Do sends r through the router.
func (a *API) Do(r Req) *Response {
	a.T.Helper()
	var body io.Reader
	var sent []byte
	ct := r.ContentType
	switch {
	case r.RawBody != nil:
		sent = r.RawBody
		body = bytes.NewReader(r.RawBody)
		if ct == "" {
			ct = "application/json"
		}
	case r.Body != nil:
		b, err := json.Marshal(r.Body)
		if err != nil {
			a.T.Fatal(err)
		}
		sent = b
		body = bytes.NewReader(b)
		if ct == "" {
			ct = "application/json"
		}
	}
	req := httptest.NewRequest(r.Method, r.Path, body)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if r.As.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.As.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	if r.RemoteAddr != "" {
		req.RemoteAddr = r.RemoteAddr
	}
	check := req.Clone(context.Background())
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, req)
	a.checkAgainstSpec(r, check, sent, rec.Code, rec.Header(), rec.Body.Bytes())
	return &Response{T: a.T, Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// Get is a GET as actor.
func (a *API) Get(path string, as Actor) *Response {
	a.T.Helper()
	return a.Do(Req{Method: http.MethodGet, Path: path, As: as})
}

// Send is a JSON request with a body as actor.
func (a *API) Send(method, path string, body any, as Actor) *Response {
	a.T.Helper()
	return a.Do(Req{Method: method, Path: path, Body: body, As: as})
}

// JSON decodes the body into v, failing the test when it is not JSON.
func (r *Response) JSON(v any) {
	r.T.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.T.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map() map[string]any {
	r.T.Helper()
	var m map[string]any
	r.JSON(&m)
	return m
}

// Problem decodes a problem document, checking its media type.
func (r *Response) Problem() problem.Problem {
	r.T.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, problem.ContentType) {
		r.T.Fatalf("status %d: Content-Type %q, want %s; body %s", r.Code, ct, problem.ContentType, r.Body)
	}
	var p problem.Problem
	r.JSON(&p)
	return p
}

// Expect fails the test unless the status is want.
func (r *Response) Expect(want int) *Response {
	r.T.Helper()
	if r.Code != want {
		r.T.Fatalf("status %d, want %d; body %s", r.Code, want, r.Body)
	}
	return r
}

// ExpectProblem fails unless the response is a problem with this status and code.
func (r *Response) ExpectProblem(status int, code string) problem.Problem {
	r.T.Helper()
	r.Expect(status)
	p := r.Problem()
	if p.Code != code || p.Status != status {
		r.T.Fatalf("problem %d %q, want %d %q; body %s", p.Status, p.Code, status, code, r.Body)
	}
	return p
}
