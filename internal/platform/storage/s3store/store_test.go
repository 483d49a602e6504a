package s3store_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/storage/contract"
	"github.com/solodestination/api/internal/platform/storage/s3store"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

func newStore(t testing.TB, srv *storagetest.S3) *s3store.Store {
	t.Helper()
	loc, err := s3store.ParseURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := s3store.New(loc, s3store.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The same contract as the local disk, against an S3 server over HTTP.
func TestContract(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T) storage.Storage {
		return newStore(t, storagetest.NewS3(t)).Sub("media")
	})
}

// Sub stores keep to their prefixes: media and private objects never share a key.
func TestSubPrefixes(t *testing.T) {
	t.Parallel()
	srv := storagetest.NewS3(t)
	root := newStore(t, srv)
	media, private := root.Sub("media"), root.Sub("private")
	ctx := context.Background()
	if err := media.Put(ctx, "listings/l1/i1.webp", strings.NewReader("img"), "image/webp"); err != nil {
		t.Fatal(err)
	}
	if err := private.Put(ctx, "permits/a1/d1.pdf", strings.NewReader("%PDF"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(srv.Keys(t), " ")
	if got != "solo/media/listings/l1/i1.webp solo/private/permits/a1/d1.pdf" {
		t.Fatalf("keys in the bucket: %s", got)
	}
	if _, err := media.Open(ctx, "permits/a1/d1.pdf"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a private object through the media store: %v", err)
	}
	for _, key := range []string{"../private/permits/a1/d1.pdf", "private/permits/a1/d1.pdf"} {
		if _, err := media.Open(ctx, key); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("Open(%q) through the media store: %v", key, err)
		}
	}
}

// Keys are checked before anything is sent: a store whose server is gone
// answers a bad key at once with ErrInvalidKey, not with a network error.
func TestInvalidKeysNeverReachTheServer(t *testing.T) {
	t.Parallel()
	srv := storagetest.NewS3(t)
	s := newStore(t, srv).Sub("media")
	srv.Close()
	ctx := context.Background()
	start := time.Now()
	if err := s.Put(ctx, "../x.png", strings.NewReader("x"), "image/png"); !errors.Is(err, storage.ErrInvalidKey) {
		t.Fatalf("Put: %v", err)
	}
	if err := s.Delete(ctx, "a//b"); !errors.Is(err, storage.ErrInvalidKey) {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Open(ctx, "a/../b"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Open: %v", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("took %v: the server was asked", d)
	}
	// A valid key does reach for the server, and fails without it.
	if err := s.Put(ctx, "x.png", strings.NewReader("x"), "image/png"); err == nil || errors.Is(err, storage.ErrInvalidKey) {
		t.Fatalf("Put to a stopped server: %v", err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := storagetest.NewS3(t)
	if err := newStore(t, srv).Check(ctx); err != nil {
		t.Fatalf("existing bucket: %v", err)
	}

	loc, _ := s3store.ParseURL(strings.Replace(srv.URL, srv.Bucket, "no-such-bucket", 1))
	missing, _ := s3store.New(loc, s3store.Credentials{AccessKeyID: "k", SecretAccessKey: "secret-value"})
	err := missing.Check(ctx)
	if err == nil || errors.Is(err, s3store.ErrUnreachable) || !strings.Contains(err.Error(), `bucket "no-such-bucket" does not exist`) {
		t.Fatalf("missing bucket: %v", err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	loc, _ = s3store.ParseURL("s3://bucket?endpoint=http://" + addr + "&region=us-east-1&path_style=true")
	down, _ := s3store.New(loc, s3store.Credentials{AccessKeyID: "k", SecretAccessKey: "secret-value"})
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err = down.Check(cctx)
	if !errors.Is(err, s3store.ErrUnreachable) || strings.Contains(err.Error(), "secret-value") {
		t.Fatalf("unreachable: %v", err)
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	good := map[string]s3store.Location{
		"s3://solo-files": {Bucket: "solo-files", Endpoint: s3store.AmazonS3, Secure: true},
		"s3://solo-files/prod/surakarta/?region=ap-southeast-3": {Bucket: "solo-files", Prefix: "prod/surakarta",
			Endpoint: s3store.AmazonS3, Secure: true, Region: "ap-southeast-3"},
		"s3://files/api?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true": {Bucket: "files", Prefix: "api",
			Endpoint: "127.0.0.1:9000", Region: "us-east-1", PathStyle: "true"},
		"s3://files?endpoint=https://minio.internal/&path_style=0": {Bucket: "files", Endpoint: "minio.internal",
			Secure: true, PathStyle: "false"},
	}
	for raw, want := range good {
		got, err := s3store.ParseURL(raw)
		if err != nil || got != want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	bad := map[string]string{
		"":                                   "scheme",
		"https://bucket":                     "scheme",
		"s3://key:hunter2@bucket":            "credentials do not belong",
		"s3://Bucket_Name":                   "bucket",
		"s3://ab":                            "bucket",
		"s3://bucket/../etc":                 "prefix",
		"s3://bucket/a//b":                   "prefix",
		"s3://bucket?endpoint=minio:9000":    "endpoint",
		"s3://bucket?endpoint=ftp://x":       "endpoint",
		"s3://bucket?endpoint=http://x/path": "endpoint",
		"s3://bucket?endpoint=http://u:p@x":  "endpoint",
		"s3://bucket?path_style=maybe":       "path_style",
		"s3://bucket?regoin=us-east-1":       "unknown parameter regoin",
		"s3://bucket?region=a&region=b":      "region given 2 times",
		"s3://bucket#frag":                   "fragment",
	}
	for raw, want := range bad {
		_, err := s3store.ParseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseURL(%q) = %v, want an error about %s", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseURL(%q) repeats the password: %v", raw, err)
		}
	}
}
