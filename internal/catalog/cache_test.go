package catalog_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// Anonymous reads are answered from the response cache, and every staff
// write shows at once: the cache never serves this replica's stale data.
func TestCachedReadsFollowWrites(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	l := create(t, api, staff, "attractions", body("attractions", "Museum Cache"))

	detail := "/api/v1/attractions/" + l.Slug
	first := api.Get(detail, apitest.Anonymous).Expect(http.StatusOK)
	api.Get(detail, apitest.Anonymous).Expect(http.StatusOK) // asked again: now worth keeping
	api.DB.Queries.Reset()
	again := api.Get(detail, apitest.Anonymous).Expect(http.StatusOK)
	if n := api.DB.Queries.Count(); n != 0 {
		t.Errorf("a repeated anonymous read ran %d queries", n)
	}
	if !bytes.Equal(first.Body, again.Body) || first.Header.Get("ETag") != again.Header.Get("ETag") {
		t.Fatal("cached response differs from the first")
	}

	api.Send(http.MethodPatch, "/api/v1/attractions/"+l.ID, map[string]any{"name": map[string]any{"id": "Museum Baru"}}, staff).
		Expect(http.StatusOK)
	var got listing
	api.Get(detail, apitest.Anonymous).Expect(http.StatusOK).JSON(&got)
	api.Get(detail, apitest.Anonymous).Expect(http.StatusOK).JSON(&got)
	if got.Name != "Museum Baru" {
		t.Fatalf("read after PATCH = %v, want the new name", got.Name)
	}
	var p page
	api.Get("/api/v1/attractions", apitest.Anonymous).Expect(http.StatusOK).JSON(&p)
	api.Send(http.MethodDelete, "/api/v1/attractions/"+l.ID, nil, staff).Expect(http.StatusNoContent)
	api.Get(detail, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	api.Get("/api/v1/attractions", apitest.Anonymous).Expect(http.StatusOK).JSON(&p)
	if len(p.Data) != 0 {
		t.Fatalf("archived listing still listed from cache: %v", p.Data)
	}

	// A new review changes the rating at once.
	l2 := create(t, api, staff, "attractions", body("attractions", "Museum Rating"))
	path := "/api/v1/attractions/" + l2.ID
	api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
	api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
	api.Send(http.MethodPost, path+"/reviews", map[string]any{"rating": 4}, api.User("reviewer")).Expect(http.StatusCreated)
	api.Get(path, apitest.Anonymous).Expect(http.StatusOK).JSON(&got)
	if got.Rating.Count != 1 || got.Rating.Average != 4 {
		t.Fatalf("rating after review = %+v", got.Rating)
	}
}

func TestCachedResponsesCompressAndRevalidate(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	for _, n := range []string{"Satu", "Dua", "Tiga", "Empat", "Lima"} {
		create(t, api, staff, "attractions", body("attractions", "Museum "+n))
	}
	plain := api.Get("/api/v1/attractions", apitest.Anonymous).Expect(http.StatusOK)
	for range 3 { // seen once, stored, served from the cache
		r := api.Do(apitest.Req{Method: "GET", Path: "/api/v1/attractions", Header: map[string]string{"Accept-Encoding": "gzip"}}).
			Expect(http.StatusOK)
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding = %q", r.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, _ := io.ReadAll(zr)
		if !bytes.Equal(unzipped, plain.Body) || !json.Valid(unzipped) {
			t.Fatal("gzip body differs from the plain one")
		}
	}
	r := api.Do(apitest.Req{Method: "GET", Path: "/api/v1/attractions",
		Header: map[string]string{"If-None-Match": plain.Header.Get("ETag"), "Accept-Encoding": "gzip"}})
	r.Expect(http.StatusNotModified)
	if len(r.Body) != 0 {
		t.Fatal("304 with a body")
	}
	// Logged-in callers are never served from the anonymous cache.
	api.DB.Queries.Reset()
	api.Get("/api/v1/attractions", staff).Expect(http.StatusOK)
	if api.DB.Queries.Count() == 0 {
		t.Fatal("an authenticated read was served from the cache")
	}
}

// The cache key holds only the parameters a handler reads: unknown
// parameters, their order and repeats the handler ignores all share one
// entry, so clients cannot fill memory with keys (3000 requests with long
// unknown parameters once grew the process by 300 MB).
func TestUnknownParametersShareOneCacheEntry(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	create(t, api, staff, "attractions", body("attractions", "Museum Kunci"))

	list := "/api/v1/attractions?sort=name&limit=5"
	first := api.Get(list, apitest.Anonymous).Expect(http.StatusOK)
	api.Get(list, apitest.Anonymous).Expect(http.StatusOK)
	api.DB.Queries.Reset()
	junk := strings.Repeat("j", 3000)
	for i := range 200 {
		path := fmt.Sprintf("/api/v1/attractions?utm_%d=%s&limit=5&sort=name&sort=rating&lang=", i, junk)
		r := api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
		if !bytes.Equal(r.Body, first.Body) {
			t.Fatal("a request with unknown parameters got another body")
		}
	}
	if n := api.DB.Queries.Count(); n != 0 {
		t.Fatalf("requests differing only in unknown parameters ran %d queries: each made a new cache key", n)
	}

	// A parameter the handler reads still tells responses apart.
	var p page
	api.Get("/api/v1/attractions?sort=name&limit=5&tag=no-such-tag", apitest.Anonymous).Expect(http.StatusOK).JSON(&p)
	if len(p.Data) != 0 {
		t.Fatalf("tag filter served from another key: %v", p.Data)
	}
}

// Query strings over 4 KiB are refused before any handler runs.
func TestLongQueryStringsAreRefused(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	long := "?q=" + strings.Repeat("a", 5000)
	for _, path := range []string{"/api/v1/attractions", "/api/v1/search", "/api/v1/me", "/healthz", "/nowhere"} {
		api.Get(path+long, apitest.Anonymous).ExpectProblem(http.StatusRequestURITooLong, "uri_too_long")
	}
	api.Get("/api/v1/attractions?tag="+strings.Repeat("a", 4000), apitest.Anonymous).Expect(http.StatusOK)
}
