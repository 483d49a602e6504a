package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/app"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// A STORAGE_URL naming a bucket that does not exist stops the start with
// an error that says so.
func TestMissingBucketStopsTheStart(t *testing.T) {
	t.Parallel()
	srv := storagetest.NewS3(t)
	api := apitest.New(t)
	cfg := api.App.Config
	apitest.ObjectStore(srv)(&cfg)
	cfg.StorageURL = strings.Replace(cfg.StorageURL, srv.Bucket, "no-such-bucket", 1)
	_, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), api.DB.DB, identity.FastPasswordParams)
	if err == nil || !strings.Contains(err.Error(), `bucket "no-such-bucket" does not exist`) ||
		strings.Contains(err.Error(), srv.SecretAccessKey) {
		t.Fatalf("start with a missing bucket: %v", err)
	}
}

// An object store that does not answer does not keep a replica from
// starting or serving: only files fail, with 503 unavailable, promptly.
func TestObjectStoreOutageFailsOnlyFiles(t *testing.T) {
	t.Parallel()
	srv := storagetest.NewS3(t)
	a := apitest.New(t, apitest.ObjectStore(srv))
	srv.Close()
	b := a.Replica()
	b.Get("/readyz", apitest.Anonymous).Expect(http.StatusOK)
	b.Get("/api/v1/attractions", apitest.Anonymous).Expect(http.StatusOK)
	start := time.Now()
	b.Get("/media/listings/x/y.png", apitest.Anonymous).ExpectProblem(http.StatusServiceUnavailable, "unavailable")
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("/media took %v to fail", d)
	}
	t.Logf("/media failed in %v while the object store was down", time.Since(start).Round(time.Millisecond))
}
