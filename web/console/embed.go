// Package console serves the staff console, a single-page app built from
// the sources beside this file (npm run build writes dist/, which is
// committed), from the API binary itself: no Node is needed to run it.
package console

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Prefix is where the console is mounted.
const Prefix = "/console/"

// CSP lets the console run its own files and nothing else: no inline
// scripts or styles, no other origin, API calls to this origin only.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Files returns the built console (dist/ with index.html at its root).
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}

// Handler serves the console's files below Prefix. Hashed assets
// (assets/…) are cached for a year; index.html is revalidated every time and
// answers every other path without a file extension, so the app's own
// routes (/console/transport/trips) load it on a reload or a shared link.
// A missing asset is 404. Paths are cleaned and looked up only inside the
// embedded files, so "..", encoded or not, never leaves them.
func Handler() http.Handler {
	files := Files()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic("console: dist/index.html is missing: run npm run build in web/console")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(Prefix, "/"))), "/")
		if name != "" && name != "index.html" && fs.ValidPath(name) {
			if body, err := fs.ReadFile(files, name); err == nil {
				ct := mime.TypeByExtension(path.Ext(name))
				if strings.HasSuffix(name, ".js") {
					ct = "text/javascript; charset=utf-8"
				}
				if ct == "" {
					ct = "application/octet-stream"
				}
				h.Set("Content-Type", ct)
				if strings.HasPrefix(name, "assets/") {
					h.Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					h.Set("Cache-Control", "no-cache")
				}
				w.WriteHeader(http.StatusOK)
				if r.Method == http.MethodGet {
					_, _ = w.Write(body)
				}
				return
			}
		}
		if path.Ext(name) != "" && name != "index.html" {
			h.Set("Cache-Control", "no-cache")
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(index)
		}
	})
}
