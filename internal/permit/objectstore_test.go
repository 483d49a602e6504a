package permit_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// With STORAGE_URL permit documents and decision letters go to the private
// prefix of the bucket: another replica hands them to the applicant and
// licensing staff only, and /media reaches none of them on either replica.
func TestPrivateFilesInObjectStore(t *testing.T) {
	srv := storagetest.NewS3(t)
	w := newWorld(t, apitest.ObjectStore(srv))
	b := w.api.Replica()
	owner := w.api.User("sari")
	a := w.apply(t, owner, "keramaian", keramaian("local", "2026-12-28"))
	pdf := pdfBytes("Proposal Festival Batik Laweyan")
	var d document
	w.upload(a, "proposal", "proposal.pdf", "application/pdf", pdf, owner).Expect(http.StatusCreated).JSON(&d)
	keys := srv.Keys(t)
	if len(keys) != 1 || !strings.HasPrefix(keys[0], "solo/private/permits/") {
		t.Fatalf("objects in the bucket: %v, want one under solo/private/permits/", keys)
	}

	for _, as := range []apitest.Actor{owner, w.licensing} {
		res := b.Get(path(a, "/documents/"+d.ID), as).Expect(http.StatusOK)
		if !bytes.Equal(res.Body, pdf) || res.Header.Get("Cache-Control") != "private, no-store" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download on the other replica: %d bytes, %v", len(res.Body), res.Header)
		}
	}
	b.Get(path(a, "/documents/"+d.ID), b.User("budi")).ExpectProblem(http.StatusNotFound, "not_found")
	b.Get(path(a, "/documents/"+d.ID), b.Staff(identity.DeptTourism)).ExpectProblem(http.StatusForbidden, "forbidden")
	b.Get(path(a, "/documents/"+d.ID), apitest.Anonymous).Expect(http.StatusUnauthorized)

	// The decision letter of an approved application, fetched on the other replica.
	approved := w.reach(t, owner, "approved")
	letter := b.Get(path(approved, "/letter"), owner).Expect(http.StatusOK)
	if !bytes.HasPrefix(letter.Body, []byte("%PDF-")) {
		t.Fatalf("letter on the other replica: %q", letter.Body[:min(len(letter.Body), 20)])
	}
	keys = srv.Keys(t)
	if len(keys) != 2 {
		t.Fatalf("objects in the bucket: %v, want the document and the letter", keys)
	}
	for _, key := range keys {
		rest, ok := strings.CutPrefix(key, "solo/private/")
		if !ok {
			t.Fatalf("%s is outside the private prefix", key)
		}
		for _, api := range []*apitest.API{w.api, b} {
			for _, p := range []string{"/media/" + rest, "/media/private/" + rest, "/media/../private/" + rest,
				"/media/%2e%2e/private/" + rest, "/media/" + key} {
				if res := api.Get(p, apitest.Anonymous); res.Code == http.StatusOK || bytes.HasPrefix(res.Body, []byte("%PDF")) {
					t.Errorf("%s: %d", p, res.Code)
				}
			}
		}
	}
}
