package storage_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/web"
)

// The private store cannot be published: it is not a Storage, so neither
// Serve nor anything else taking one accepts it.
func TestPrivateIsNotAStorage(t *testing.T) {
	t.Parallel()
	p, err := storage.NewPrivateDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := any(p).(storage.Storage); ok {
		t.Fatal("*storage.Private satisfies storage.Storage and could be served at /media")
	}
}

func TestPrivateRoundTripAndSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, err := storage.NewPrivateDisk(filepath.Join(t.TempDir(), "private"))
	if err != nil {
		t.Fatal(err)
	}
	key := "permits/a1/d1.pdf"
	if err := p.Put(ctx, key, strings.NewReader("%PDF-1.7 permit"), storage.PDF.ContentType); err != nil {
		t.Fatal(err)
	}
	obj, err := p.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(obj)
	obj.Close()
	if string(b) != "%PDF-1.7 permit" || obj.ContentType != "application/pdf" {
		t.Fatalf("got %q %q", b, obj.ContentType)
	}

	// An authorised handler sends it; nothing may cache or run it.
	r := gin.New()
	r.GET("/doc/:name", web.Handle(func(c *gin.Context) error {
		return p.Send(c, "permits/a1/"+c.Param("name"), "Izin usaha Sari.pdf")
	}))
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/doc/d1.pdf", nil))
	h := rec.Header()
	if rec.Code != http.StatusOK || rec.Body.String() != "%PDF-1.7 permit" || h.Get("Content-Type") != "application/pdf" ||
		h.Get("Cache-Control") != "private, no-store" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment; filename=") ||
		!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("%d %q %v", rec.Code, rec.Body, h)
	}
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/doc/missing.pdf", nil))
	if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		t.Fatalf("missing: %d %v", rec.Code, rec.Header())
	}

	if err := p.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

// Files of a private store beside the media directory are out of reach of
// GET /media, whatever the path tries.
func TestPrivateFilesAreNotServedAsMedia(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	p, err := storage.NewPrivateDisk(filepath.Join(api.App.Config.DataDir, "private"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Put(context.Background(), "permits/a1/d1.pdf", strings.NewReader("%PDF-1.7 s3kr1t"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(api.App.Config.DataDir, "private", "permits", "a1", "d1.pdf")); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/media/permits/a1/d1.pdf", "/media/../private/permits/a1/d1.pdf", "/media/%2e%2e/private/permits/a1/d1.pdf",
		"/media/..%2fprivate%2fpermits%2fa1%2fd1.pdf", "/media/private/permits/a1/d1.pdf",
	} {
		resp := api.Get(path, apitest.Anonymous)
		if resp.Code == http.StatusOK || strings.Contains(string(resp.Body), "s3kr1t") {
			t.Errorf("%s: status %d", path, resp.Code)
		}
	}
}
