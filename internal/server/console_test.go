package server_test

import (
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/web/console"
)

// The staff console is served from the binary: index.html under a strict
// CSP, hashed assets with their type and a long cache, the app's own routes
// answered with index.html, and nothing outside the embedded files.
func TestConsoleIsServed(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)

	index := api.Get("/console/", apitest.Anonymous).Expect(http.StatusOK)
	if ct := index.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("index Content-Type %q", ct)
	}
	csp := index.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self';", "style-src 'self';", "connect-src 'self'",
		"frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q allows inline code or another origin", csp)
	}
	if cc := index.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("index Cache-Control %q, want no-cache", cc)
	}
	body := string(index.Body)
	if !strings.Contains(body, `<div id="app">`) || !strings.Contains(body, `src="/console/assets/`) {
		t.Fatalf("index.html is not the built console:\n%s", body)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "<style") || strings.Contains(body, " style=") {
		t.Error("index.html has inline script or style, which the CSP blocks")
	}

	assets, err := fs.ReadDir(console.Files(), "assets")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	seen := 0
	for _, a := range assets {
		for ext, want := range types {
			if !strings.HasSuffix(a.Name(), ext) {
				continue
			}
			seen++
			r := api.Get("/console/assets/"+a.Name(), apitest.Anonymous).Expect(http.StatusOK)
			if ct := r.Header.Get("Content-Type"); ct != want {
				t.Errorf("%s Content-Type %q, want %q", a.Name(), ct, want)
			}
			if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("%s Cache-Control %q", a.Name(), cc)
			}
			if r.Header.Get("Content-Security-Policy") != console.CSP {
				t.Errorf("%s has no console CSP", a.Name())
			}
		}
	}
	if seen < 2 {
		t.Errorf("found %d script and style assets, want both", seen)
	}

	// Deep links of the app load index.html; a missing asset does not.
	for _, deep := range []string{"/console/login", "/console/transport/trips/0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60", "/console/tourism/attractions?status=draft"} {
		r := api.Get(deep, apitest.Anonymous).Expect(http.StatusOK)
		if string(r.Body) != body || r.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s did not answer index.html", deep)
		}
	}
	api.Get("/console/assets/no-such-file.js", apitest.Anonymous).Expect(http.StatusNotFound)
	if r := api.Get("/console", apitest.Anonymous).Expect(http.StatusMovedPermanently); r.Header.Get("Location") != "/console/" {
		t.Errorf("/console redirects to %q", r.Header.Get("Location"))
	}
	if r := api.Do(apitest.Req{Method: http.MethodHead, Path: "/console/"}).Expect(http.StatusOK); len(r.Body) != 0 {
		t.Error("HEAD has a body")
	}
}

// No path, however dressed, reaches a file outside the embedded console.
func TestConsoleStaysInsideItsFiles(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	index := api.Get("/console/", apitest.Anonymous).Expect(http.StatusOK)
	for _, p := range []string{
		"/console/../go.mod",
		"/console/../../go.mod",
		"/console/%2e%2e/go.mod",
		"/console/%2e%2e/%2e%2e/web/console/embed.go",
		"/console/assets/..%2f..%2fembed.go",
		"/console/..%5cembed.go",
		"/console/./../internal/server/routes.go",
		"/console//etc/passwd",
		"/console/embed.go",
		"/console/package.json",
	} {
		r := api.Do(apitest.Req{Method: http.MethodGet, Path: p})
		for _, leak := range []string{"module github.com", "package console", "package server", "root:", `"devDependencies"`} {
			if strings.Contains(string(r.Body), leak) {
				t.Errorf("%s leaked a file outside dist/ (%q)", p, leak)
			}
		}
		if r.Code == http.StatusOK && string(r.Body) != string(index.Body) {
			t.Errorf("%s answered 200 with something other than index.html", p)
		}
	}
}
