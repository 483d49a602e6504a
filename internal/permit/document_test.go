package permit_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/permit"
)

func pdfBytes(lines ...string) []byte { return permit.SimplePDF(lines) }

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range 4 {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload sends a file for a document code; filename and declared type as
// a client would set them.
func (w *world) upload(a application, code, filename, contentType string, data []byte, as apitest.Actor) *apitest.Response {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if code != "" {
		_ = mw.WriteField("code", code)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", contentType)
	pw, _ := mw.CreatePart(h)
	_, _ = pw.Write(data)
	_ = mw.Close()
	return w.api.Do(apitest.Req{Method: http.MethodPost, Path: path(a, "/documents"), RawBody: b.Bytes(),
		ContentType: mw.FormDataContentType(), As: as})
}

// privateFiles counts the files in private storage.
func (w *world) privateFiles(t *testing.T) int {
	t.Helper()
	n := 0
	root := filepath.Join(w.api.App.Config.DataDir, "private")
	err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) documentRows(t *testing.T, a application) int64 {
	t.Helper()
	var n int64
	if err := w.api.DB.Raw("SELECT count(*) FROM permit_documents WHERE application_id = ?", a.ID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUploadSubmitAndDownload(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	a := w.apply(t, owner, "keramaian", keramaian("local", "2026-12-28"))
	pdf := pdfBytes("Proposal Festival Batik Laweyan")
	var d document
	w.upload(a, "proposal", "../../etc/Proposal Festival\u202e.exe", "application/octet-stream", pdf, owner).
		Expect(http.StatusCreated).JSON(&d)
	sum := sha256.Sum256(pdf)
	if d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(pdf)) || d.ContentType != "application/pdf" {
		t.Fatalf("document %+v", d)
	}
	if strings.ContainsAny(d.Filename, "/\\\u202e") || !strings.HasSuffix(d.Filename, ".pdf") {
		t.Fatalf("filename %q", d.Filename)
	}
	// An identity card as a PNG photo; the other required PDFs.
	w.upload(a, "ktp", "ktp.png", "image/png", pngBytes(t), owner).Expect(http.StatusCreated)
	w.upload(a, "venue_consent", "izin.pdf", "application/pdf", pdfBytes("Izin tempat"), owner).Expect(http.StatusCreated)
	w.upload(a, "site_layout", "denah.pdf", "application/pdf", pdfBytes("Denah"), owner).Expect(http.StatusCreated)
	// A second proposal replaces the first, which stays as history.
	var d2 document
	w.upload(a, "proposal", "proposal-v2.pdf", "application/pdf", pdfBytes("Proposal v2"), owner).
		Expect(http.StatusCreated).JSON(&d2)
	var got application
	w.api.Get(path(a, ""), owner).Expect(http.StatusOK).JSON(&got)
	if len(got.Documents) != 4 {
		t.Fatalf("%d current documents, want 4", len(got.Documents))
	}
	for _, doc := range got.Documents {
		if doc.Code == "proposal" && doc.ID != d2.ID {
			t.Fatalf("current proposal %s, want %s", doc.ID, d2.ID)
		}
	}
	if n := w.documentRows(t, a); n != 5 {
		t.Fatalf("%d document rows, want 5 (one replaced)", n)
	}
	// Downloads: the applicant and licensing staff, as attachments.
	for _, as := range []apitest.Actor{owner, w.licensing, w.api.Admin()} {
		res := w.api.Get(path(a, "/documents/"+d.ID), as).Expect(http.StatusOK)
		if !bytes.Equal(res.Body, pdf) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("download headers %v", res.Header)
		}
	}
	w.api.Get(path(a, "/documents/"+d.ID), w.api.User("budi")).ExpectProblem(http.StatusNotFound, "not_found")
	w.api.Get(path(a, "/documents/"+d.ID), w.api.Staff(identity.DeptTourism)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get(path(a, "/documents/0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"), owner).ExpectProblem(http.StatusNotFound, "not_found")
	// Complete: it submits, and takes no more documents.
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK).JSON(&got)
	if got.Status != "submitted" || got.TrackingNumber == nil {
		t.Fatalf("after submit %+v", got)
	}
	w.upload(a, "agency_recommendation", "rek.pdf", "application/pdf", pdfBytes("Rekomendasi"), owner).
		ExpectProblem(http.StatusConflict, "not_editable")
}

// Disguised, oversized and misaddressed uploads are refused and leave
// neither a file nor a row.
func TestRefusedUploadsLeaveNothing(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	a := w.apply(t, owner, "keramaian", keramaian("local", "2026-12-28"))
	pdf := pdfBytes("Proposal")
	before := w.privateFiles(t)
	cases := []struct {
		name, code, filename, ct string
		data                     []byte
		status                   int
		problem                  string
	}{
		{"a PNG for a PDF-only document, named .pdf", "proposal", "proposal.pdf", "application/pdf", pngBytes(t), 415, "unsupported_media_type"},
		{"HTML sent as a PDF", "proposal", "proposal.pdf", "application/pdf",
			[]byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), 415, "unsupported_media_type"},
		{"a PDF with data after its end", "proposal", "p.pdf", "application/pdf", append(append([]byte{}, pdf...), []byte("PK\x03\x04zip")...), 415, "unsupported_media_type"},
		{"a PNG carrying a PDF", "ktp", "ktp.png", "image/png", append(pngBytes(t), pdf...), 415, "unsupported_media_type"},
		{"a PDF renamed .jpg", "ktp", "ktp.jpg", "image/jpeg", append([]byte("%PDF-1.4\n"), []byte("garbage")...), 415, "unsupported_media_type"},
		{"over the document's 5 MiB", "venue_consent", "big.pdf", "application/pdf", bytes.Repeat([]byte{'%'}, 5<<20+1), 413, "payload_too_large"},
		{"over 10 MiB", "proposal", "huge.pdf", "application/pdf", bytes.Repeat([]byte{'%'}, 10<<20+1), 413, "payload_too_large"},
		{"an unknown code", "passport", "p.pdf", "application/pdf", pdf, 422, "validation_failed"},
		{"no code", "", "p.pdf", "application/pdf", pdf, 422, "validation_failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w.upload(a, c.code, c.filename, c.ct, c.data, owner).ExpectProblem(c.status, c.problem)
			if n := w.privateFiles(t); n != before {
				t.Fatalf("%d files in private storage, want %d", n, before)
			}
			if n := w.documentRows(t, a); n != 0 {
				t.Fatalf("%d document rows", n)
			}
		})
	}
	// Only the applicant uploads.
	w.upload(a, "proposal", "p.pdf", "application/pdf", pdf, w.licensing).ExpectProblem(http.StatusForbidden, "forbidden")
	w.upload(a, "proposal", "p.pdf", "application/pdf", pdf, w.api.User("budi")).ExpectProblem(http.StatusNotFound, "not_found")
	w.upload(a, "proposal", "p.pdf", "application/pdf", pdf, apitest.Anonymous).Expect(http.StatusUnauthorized)
	if n := w.privateFiles(t); n != before {
		t.Fatalf("%d files in private storage, want %d", n, before)
	}
}
