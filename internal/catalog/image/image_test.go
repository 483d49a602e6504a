package image_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/testdb"
)

func tiny() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, G: 120, B: 40, A: 255})
	return img
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, tiny()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, tiny(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, tiny(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// webpBytes is a complete 1×1 lossless WebP: a RIFF/WEBP header and one VP8L chunk.
var webpBytes = []byte{
	'R', 'I', 'F', 'F', 0x1a, 0, 0, 0, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'L', 0x0d, 0, 0, 0,
	0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0,
}

type part struct {
	field, filename, contentType string
	data                         []byte
}

func multipartBody(t *testing.T, parts ...part) ([]byte, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		if p.filename == "" {
			if err := w.WriteField(p.field, string(p.data)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="` + p.field + `"; filename="` + p.filename + `"`}
		h["Content-Type"] = []string{p.contentType}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(p.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

type imageBody struct {
	ID          uuid.UUID `json:"id"`
	ListingID   uuid.UUID `json:"listing_id"`
	URL         string    `json:"url"`
	Caption     string    `json:"caption"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	Position    int       `json:"position"`
}

func upload(api *apitest.API, l listing, as apitest.Actor, parts ...part) *apitest.Response {
	api.T.Helper()
	body, ct := multipartBody(api.T.(*testing.T), parts...)
	return api.Do(apitest.Req{Method: http.MethodPost, Path: l.Path("/images"), RawBody: body, ContentType: ct, As: as})
}

func file(name, ct string, data []byte) part {
	return part{field: "file", filename: name, contentType: ct, data: data}
}

func TestUploadServeAndDelete(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	staff := api.Staff(identity.DeptTourism)

	cases := []struct {
		name, ct string
		data     []byte
		ext      string
	}{
		// Declared types and names are deliberately wrong: only the bytes count.
		{"photo.png", "image/png", pngBytes(t), ".png"},
		{"photo.png", "application/octet-stream", jpegBytes(t), ".jpg"},
		// WebP is stored re-encoded; this one is transparent, so as PNG.
		{"photo.jpg", "image/jpeg", webpBytes, ".png"},
	}
	wantTypes := []string{"image/png", "image/jpeg", "image/png"}
	var uploaded []imageBody
	for i, c := range cases {
		var im imageBody
		upload(api, l, staff, file(c.name, c.ct, c.data), part{field: "caption", data: []byte(" Gerbang utama ")}).
			Expect(http.StatusCreated).JSON(&im)
		if im.ContentType != wantTypes[i] || im.SizeBytes <= 0 || im.Caption != "Gerbang utama" ||
			im.ListingID != l.ID || im.Position != i {
			t.Fatalf("%s: %+v", wantTypes[i], im)
		}
		wantPrefix := "/media/listings/" + l.ID.String() + "/" + im.ID.String()
		if im.URL != wantPrefix+c.ext {
			t.Fatalf("url %q, want %q", im.URL, wantPrefix+c.ext)
		}
		resp := api.Get(im.URL, apitest.Anonymous).Expect(http.StatusOK)
		// What is served is what was stored (re-encoded), and it is what its type says.
		if int64(len(resp.Body)) != im.SizeBytes || http.DetectContentType(resp.Body) != wantTypes[i] {
			t.Fatalf("%s: served %d bytes of %s", im.URL, len(resp.Body), http.DetectContentType(resp.Body))
		}
		h := resp.Header
		if h.Get("Content-Type") != wantTypes[i] || h.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("ETag") == "" {
			t.Fatalf("%s: headers %v", im.URL, h)
		}
		api.Do(apitest.Req{Method: http.MethodGet, Path: im.URL, Header: map[string]string{"If-None-Match": h.Get("ETag")}}).
			Expect(http.StatusNotModified)
		uploaded = append(uploaded, im)
	}
	var audits int64
	api.DB.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'listing_image.create' AND actor_id = ?", staff.ID).Scan(&audits)
	if audits != 3 {
		t.Fatalf("%d audit entries for 3 uploads", audits)
	}

	// Deleting removes the row and the file.
	im := uploaded[0]
	del := l.Path("/images/" + im.ID.String())
	onDisk := filepath.Join(api.App.Config.DataDir, "media", strings.TrimPrefix(im.URL, "/media/"))
	if _, err := os.Stat(onDisk); err != nil {
		t.Fatalf("file not in DATA_DIR/media: %v", err)
	}
	api.Do(apitest.Req{Method: http.MethodDelete, Path: del, As: api.User("u")}).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Do(apitest.Req{Method: http.MethodDelete, Path: del, As: apitest.Anonymous}).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Do(apitest.Req{Method: http.MethodDelete, Path: del, As: api.Staff(identity.DeptTransport)}).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Do(apitest.Req{Method: http.MethodDelete, Path: del, As: staff}).Expect(http.StatusNoContent)
	api.Get(im.URL, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	if _, err := os.Stat(onDisk); !os.IsNotExist(err) {
		t.Fatalf("file still on disk: %v", err)
	}
	api.Do(apitest.Req{Method: http.MethodDelete, Path: del, As: staff}).ExpectProblem(http.StatusNotFound, "not_found")
	api.DB.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'listing_image.delete' AND entity_id = ?", im.ID.String()).Scan(&audits)
	if audits != 1 {
		t.Fatalf("%d audit entries for the delete", audits)
	}

	// An image is only reachable through its own listing.
	other := api.Listing(kind.Attraction, "published")
	api.Do(apitest.Req{Method: http.MethodDelete, Path: other.Path("/images/" + uploaded[1].ID.String()), As: staff}).
		ExpectProblem(http.StatusNotFound, "not_found")
	api.Do(apitest.Req{Method: http.MethodDelete, Path: "/api/v1/events/" + l.ID.String() + "/images/" + uploaded[1].ID.String(), As: staff}).
		ExpectProblem(http.StatusNotFound, "not_found")
	api.Get(uploaded[1].URL, apitest.Anonymous).Expect(http.StatusOK)
}

func TestUploadAccess(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Culinary, "published")
	draft := api.Listing(kind.Event, "draft")
	img := file("a.png", "image/png", pngBytes(t))

	upload(api, l, apitest.Anonymous, img).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	upload(api, l, api.User("sari"), img).ExpectProblem(http.StatusForbidden, "forbidden")
	upload(api, l, api.Staff(identity.DeptTransport), img).ExpectProblem(http.StatusForbidden, "forbidden")
	upload(api, l, api.Staff(identity.DeptTourism), img).Expect(http.StatusCreated)
	upload(api, l, api.Admin(), img).Expect(http.StatusCreated)
	// Staff may illustrate a draft, by slug too.
	upload(api, draft, api.Staff(identity.DeptTourism), img).Expect(http.StatusCreated)
	bySlug := listing{Kind: kind.Event}
	body, ct := multipartBody(t, img)
	api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/events/" + draft.Slug + "/images", RawBody: body, ContentType: ct,
		As: api.Admin()}).Expect(http.StatusCreated)
	bySlug.ID = uuid.Must(uuid.NewV7())
	upload(api, bySlug, api.Admin(), img).ExpectProblem(http.StatusNotFound, "not_found")

	var n int64
	api.DB.Raw("SELECT COUNT(*) FROM listing_images").Scan(&n)
	if n != 4 {
		t.Fatalf("%d image rows, want 4", n)
	}
}

func TestUploadRejects(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	staff := api.Staff(identity.DeptTourism)

	upload(api, l, staff, file("anim.gif", "image/gif", gifBytes(t))).ExpectProblem(http.StatusUnsupportedMediaType, "unsupported_media_type")
	upload(api, l, staff, file("photo.jpg", "image/jpeg", []byte("this is only text, whatever the name says\n"))).
		ExpectProblem(http.StatusUnsupportedMediaType, "unsupported_media_type")
	// Image magic followed by more than 5 MiB is too large, whatever it is.
	big := append(pngBytes(t), make([]byte, 5<<20)...)
	upload(api, l, staff, file("big.png", "image/png", big[:5<<20+1])).ExpectProblem(http.StatusRequestEntityTooLarge, "payload_too_large")
	exact := append(pngBytes(t), make([]byte, 5<<20)...)[:5<<20]
	upload(api, l, staff, file("exact.png", "image/png", exact)).Expect(http.StatusCreated)

	api.Send(http.MethodPost, l.Path("/images"), map[string]any{"file": "aGVsbG8="}, staff).
		ExpectProblem(http.StatusUnsupportedMediaType, "unsupported_media_type")
	p := upload(api, l, staff, part{field: "caption", data: []byte("no file")}).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "file" {
		t.Fatalf("errors = %+v", p.Errors)
	}
	upload(api, l, staff, file("empty.png", "image/png", nil)).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	p = upload(api, l, staff, file("a.png", "image/png", pngBytes(t)), part{field: "caption", data: []byte(strings.Repeat("é", 201))}).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "caption" {
		t.Fatalf("errors = %+v", p.Errors)
	}
	upload(api, l, staff, file("a.png", "image/png", pngBytes(t)), file("b.png", "image/png", pngBytes(t))).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")

	// Only the one accepted upload left a row and a file behind.
	var n int64
	api.DB.Raw("SELECT COUNT(*) FROM listing_images").Scan(&n)
	files := 0
	filepath.WalkDir(filepath.Join(api.App.Config.DataDir, "media"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if n != 1 || files != 1 {
		t.Fatalf("%d rows and %d files, want 1 and 1", n, files)
	}
}

func TestMediaServesNothingElse(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	var im imageBody
	upload(api, l, api.Admin(), file("a.png", "image/png", pngBytes(t))).Expect(http.StatusCreated).JSON(&im)
	secret := filepath.Join(api.App.Config.DataDir, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3kr1t-contents"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := strings.TrimSuffix(im.URL, "/"+filepath.Base(im.URL))
	for _, path := range []string{
		"/media/", "/media/listings", "/media/listings/", dir, dir + "/",
		"/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/listings/..%2f..%2fsecret.txt",
		"/media/listings/%2e%2e/%2e%2e/secret.txt", "/media//etc/passwd", "/media/" + secret,
		"/media/listings/" + l.ID.String() + "/.hidden", im.URL + "x",
	} {
		resp := api.Get(path, apitest.Anonymous)
		if resp.Code == http.StatusOK || strings.Contains(string(resp.Body), "s3kr1t") {
			t.Errorf("%s: status %d, body %q", path, resp.Code, resp.Body)
		}
	}
}

// When the row cannot be written, the file already stored is removed again.
func TestFailedInsertLeavesNoFile(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	var stmts []string
	if testdb.IsPostgres() {
		stmts = []string{
			`CREATE FUNCTION refuse_image() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
			`CREATE TRIGGER refuse_image BEFORE INSERT ON listing_images FOR EACH ROW EXECUTE FUNCTION refuse_image()`,
		}
	} else {
		stmts = []string{`CREATE TRIGGER refuse_image BEFORE INSERT ON listing_images BEGIN SELECT RAISE(ABORT, 'refused'); END`}
	}
	for _, s := range stmts {
		if err := api.DB.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
	resp := upload(api, l, api.Admin(), file("a.png", "image/png", pngBytes(t)))
	if p := resp.ExpectProblem(http.StatusInternalServerError, "internal"); strings.Contains(p.Detail, "refused") {
		t.Fatalf("the database error leaked: %q", p.Detail)
	}
	files := 0
	filepath.WalkDir(filepath.Join(api.App.Config.DataDir, "media"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files != 0 {
		t.Fatalf("%d files left behind by a failed upload", files)
	}
}

// A listing holds at most 100 images (all fit in one reorder): the 101st
// upload is 409 image_limit and leaves neither a row nor a file.
func TestImageLimitPerListing(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	for i := range 99 {
		if err := api.DB.Exec(`INSERT INTO listing_images (id, listing_id, storage_key, caption, content_type, size_bytes, position, created_at)
			VALUES (?, ?, ?, '', 'image/png', 1, ?, ?)`, uuid.Must(uuid.NewV7()), l.ID, fmt.Sprintf("listings/x/%d.png", i), i, time.Now()).Error; err != nil {
			t.Fatal(err)
		}
	}
	upload(api, l, api.Admin(), file("a.png", "image/png", pngBytes(t))).Expect(http.StatusCreated)
	upload(api, l, api.Admin(), file("b.png", "image/png", pngBytes(t))).ExpectProblem(http.StatusConflict, "image_limit")
	var n int64
	api.DB.Raw("SELECT count(*) FROM listing_images WHERE listing_id = ?", l.ID).Scan(&n)
	files := 0
	filepath.WalkDir(filepath.Join(api.App.Config.DataDir, "media"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if n != 100 || files != 1 {
		t.Fatalf("%d images and %d files after the refused upload, want 100 and 1", n, files)
	}
}
