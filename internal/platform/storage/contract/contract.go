// Package contract is the test every storage.Storage backend passes: the
// local disk and the S3 object store run the same cases, so the domains
// and GET /media cannot tell them apart.
package contract

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/web"
)

// Run tests the store that open returns; each case gets a new, empty one.
func Run(t *testing.T, open func(t *testing.T) storage.Storage) {
	t.Run("round trip", func(t *testing.T) {
		t.Parallel()
		s, ctx := open(t), context.Background()
		key := "listings/l1/i1.webp"
		before := time.Now().Add(-time.Minute)
		put(t, s, key, "webp bytes")
		obj, err := s.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(obj)
		obj.Close()
		if err != nil || string(b) != "webp bytes" || obj.Size != 10 || obj.ContentType != "image/webp" {
			t.Fatalf("object = %q %d %q (%v)", b, obj.Size, obj.ContentType, err)
		}
		if obj.ModTime.Before(before) || obj.ModTime.After(time.Now().Add(time.Minute)) {
			t.Fatalf("ModTime %v is not about now", obj.ModTime)
		}
		// Content types follow the key, whatever Put was told.
		put(t, s, "permits/a1/d1.pdf", "%PDF-1.7")
		if obj := mustOpen(t, s, "permits/a1/d1.pdf"); obj.ContentType != "application/pdf" {
			t.Fatalf("content type %q", obj.ContentType)
		}
	})

	t.Run("missing keys are not found", func(t *testing.T) {
		t.Parallel()
		s, ctx := open(t), context.Background()
		put(t, s, "listings/l1/i1.png", "png")
		for _, key := range []string{"listings/l1/i2.png", "listings/l1", "listings", "listings/l1/i1.png/x", "LISTINGS/l1/i1.png"} {
			if obj, err := s.Open(ctx, key); !errors.Is(err, storage.ErrNotFound) {
				if obj != nil {
					obj.Close()
				}
				t.Errorf("Open(%q) = %v, want ErrNotFound", key, err)
			}
		}
	})

	t.Run("invalid keys are refused", func(t *testing.T) {
		t.Parallel()
		s, ctx := open(t), context.Background()
		for _, key := range []string{"", "../escape.png", "a//b.png", "/abs.png", "a/.hidden", "a b.png", "trailing/"} {
			if err := s.Put(ctx, key, strings.NewReader("x"), "image/png"); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Put(%q) = %v, want ErrInvalidKey", key, err)
			}
			if _, err := s.Open(ctx, key); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("Open(%q) = %v, want ErrNotFound", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Delete(%q) = %v, want ErrInvalidKey", key, err)
			}
		}
	})

	t.Run("a failed put leaves nothing", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		broken := errors.New("client went away")
		cases := map[string]func(ctx context.Context, cancel func()) io.Reader{
			// Unknown length: the upload streams until the reader fails.
			"reader fails": func(context.Context, func()) io.Reader {
				return io.MultiReader(strings.NewReader(strings.Repeat("x", 1000)), failing{broken})
			},
			// Past one part of an object store's upload in parts.
			"reader fails after 6 MiB": func(context.Context, func()) io.Reader {
				return io.MultiReader(bytes.NewReader(make([]byte, 6<<20)), failing{broken})
			},
			"request cancelled": func(_ context.Context, cancel func()) io.Reader {
				return io.MultiReader(strings.NewReader(strings.Repeat("x", 1000)), &cancelling{cancel: cancel}, strings.NewReader("more"))
			},
		}
		for name, reader := range cases {
			t.Run(name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				key := "listings/l1/" + strings.ReplaceAll(name, " ", "-") + ".png"
				if err := s.Put(ctx, key, reader(ctx, cancel), "image/png"); err == nil {
					t.Fatal("Put succeeded")
				}
				if obj, err := s.Open(context.Background(), key); !errors.Is(err, storage.ErrNotFound) {
					if obj != nil {
						obj.Close()
					}
					t.Fatalf("after a failed Put: %v, want ErrNotFound", err)
				}
			})
		}
	})

	t.Run("delete", func(t *testing.T) {
		t.Parallel()
		s, ctx := open(t), context.Background()
		put(t, s, "listings/l1/i1.png", "png")
		put(t, s, "listings/l1/i2.png", "other")
		if err := s.Delete(ctx, "listings/l1/i1.png"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "listings/l1/i1.png"); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
		if err := s.Delete(ctx, "never/was.png"); err != nil {
			t.Fatalf("deleting a key never stored: %v", err)
		}
		if _, err := s.Open(ctx, "listings/l1/i1.png"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if obj := mustOpen(t, s, "listings/l1/i2.png"); obj.Size != 5 {
			t.Fatalf("the neighbour changed: size %d", obj.Size)
		}
	})

	t.Run("large objects stream", func(t *testing.T) {
		t.Parallel()
		s, ctx := open(t), context.Background()
		data := make([]byte, 11<<20+123)
		rand.Read(data)
		// Unknown length: no Len method, so a backend cannot size it up front.
		if err := s.Put(ctx, "big/unknown.pdf", struct{ io.Reader }{bytes.NewReader(data)}, "application/pdf"); err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, "big/known.pdf", bytes.NewReader(data), "application/pdf"); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"big/unknown.pdf", "big/known.pdf"} {
			obj, err := s.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(obj)
			obj.Close()
			if err != nil || obj.Size != int64(len(data)) || !bytes.Equal(got, data) {
				t.Fatalf("%s: %d bytes back of %d (size %d, %v)", key, len(got), len(data), obj.Size, err)
			}
		}
	})

	t.Run("served at /media with ranges and caching", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		data := make([]byte, 1000)
		for i := range data {
			data[i] = byte(i % 251)
		}
		if err := s.Put(context.Background(), "listings/l1/i1.png", bytes.NewReader(data), "image/png"); err != nil {
			t.Fatal(err)
		}
		obj := mustOpen(t, s, "listings/l1/i1.png")
		if _, ok := obj.ReadCloser.(io.ReadSeeker); !ok {
			t.Fatal("the body is not an io.ReadSeeker: /media could not answer ranges")
		}
		r := gin.New()
		r.GET(storage.URLPrefix+"*key", web.Handle(storage.Serve(s)))
		get := func(header ...string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, storage.URL("listings/l1/i1.png"), nil)
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			return rec
		}
		full := get()
		if full.Code != http.StatusOK || !bytes.Equal(full.Body.Bytes(), data) ||
			full.Header().Get("Cache-Control") != storage.ImmutableCacheControl ||
			full.Header().Get("Content-Type") != "image/png" || full.Header().Get("Content-Length") != "1000" {
			t.Fatalf("full: %d %v (%d bytes)", full.Code, full.Header(), full.Body.Len())
		}
		part := get("Range", "bytes=100-199")
		if part.Code != http.StatusPartialContent || !bytes.Equal(part.Body.Bytes(), data[100:200]) ||
			part.Header().Get("Content-Range") != "bytes 100-199/1000" {
			t.Fatalf("range: %d %v (%d bytes)", part.Code, part.Header(), part.Body.Len())
		}
		tail := get("Range", "bytes=-10")
		if tail.Code != http.StatusPartialContent || !bytes.Equal(tail.Body.Bytes(), data[990:]) {
			t.Fatalf("suffix range: %d (%d bytes)", tail.Code, tail.Body.Len())
		}
		if out := get("Range", "bytes=5000-"); out.Code != http.StatusRequestedRangeNotSatisfiable {
			t.Fatalf("range past the end: %d", out.Code)
		}
		if same := get("If-None-Match", full.Header().Get("ETag")); same.Code != http.StatusNotModified || same.Body.Len() != 0 {
			t.Fatalf("revalidation: %d", same.Code)
		}
	})
}

func put(t *testing.T, s storage.Storage, key, body string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(body), "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
}

// mustOpen opens key; the object is closed when the test ends.
func mustOpen(t *testing.T, s storage.Storage, key string) *storage.Object {
	t.Helper()
	obj, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { obj.Close() })
	return obj
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

// cancelling cancels the request once the upload has started, and goes
// on yielding bytes as a client would that had not noticed.
type cancelling struct {
	cancel func()
	done   bool
}

func (c *cancelling) Read(p []byte) (int, error) {
	if c.done {
		return 0, io.EOF
	}
	c.done = true
	c.cancel()
	return copy(p, "late"), nil
}
