package image_test

import (
	"bytes"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// With STORAGE_URL two replicas share the images: one uploaded on A is
// served by B (ranges included), deleted on B it is gone on A, and nothing
// is written to either replica's DATA_DIR.
func TestImagesInObjectStoreReachEveryReplica(t *testing.T) {
	t.Parallel()
	srv := storagetest.NewS3(t)
	a := apitest.New(t, apitest.ObjectStore(srv))
	b := a.Replica()
	l := a.Listing(kind.Attraction, "published")
	staff := a.Staff(identity.DeptTourism)

	var im imageBody
	upload(a, l, staff, file("photo.jpg", "image/jpeg", jpegBytes(t))).Expect(http.StatusCreated).JSON(&im)
	key := strings.TrimPrefix(im.URL, "/media/")
	if keys := srv.Keys(t); len(keys) != 1 || keys[0] != "solo/media/"+key {
		t.Fatalf("objects in the bucket: %v, want solo/media/%s", keys, key)
	}

	onA := a.Get(im.URL, apitest.Anonymous).Expect(http.StatusOK)
	onB := b.Get(im.URL, apitest.Anonymous).Expect(http.StatusOK)
	if !bytes.Equal(onA.Body, onB.Body) || int64(len(onB.Body)) != im.SizeBytes || http.DetectContentType(onB.Body) != "image/jpeg" {
		t.Fatalf("B served %d bytes (%s), A %d, stored %d", len(onB.Body), http.DetectContentType(onB.Body), len(onA.Body), im.SizeBytes)
	}
	h := onB.Header
	if h.Get("Content-Type") != "image/jpeg" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("ETag") != onA.Header.Get("ETag") {
		t.Fatalf("headers on B: %v", h)
	}
	part := b.Do(apitest.Req{Method: http.MethodGet, Path: im.URL, Header: map[string]string{"Range": "bytes=2-9"}}).
		Expect(http.StatusPartialContent)
	if !bytes.Equal(part.Body, onA.Body[2:10]) {
		t.Fatalf("range on B: %q", part.Body)
	}
	b.Do(apitest.Req{Method: http.MethodGet, Path: im.URL, Header: map[string]string{"If-None-Match": h.Get("ETag")}}).
		Expect(http.StatusNotModified)

	b.Do(apitest.Req{Method: http.MethodDelete, Path: l.Path("/images/" + im.ID.String()), As: staff}).Expect(http.StatusNoContent)
	a.Get(im.URL, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	if keys := srv.Keys(t); len(keys) != 0 {
		t.Fatalf("objects left after the delete: %v", keys)
	}
	for _, api := range []*apitest.API{a, b} {
		dir := filepath.Join(api.App.Config.DataDir, "media")
		if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				t.Errorf("a file in DATA_DIR: %s", p)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}
