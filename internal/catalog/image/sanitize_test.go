package image_test

import (
	"bytes"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// stored uploads data, fetches it from its public URL and checks that the
// record, the key, the served Content-Type and the bytes all name one format.
func stored(t *testing.T, api *apitest.API, l listing, data []byte) ([]byte, string) {
	t.Helper()
	var im imageBody
	upload(api, l, api.Admin(), file("upload.bin", "application/octet-stream", data)).Expect(http.StatusCreated).JSON(&im)
	resp := api.Get(im.URL, apitest.Anonymous).Expect(http.StatusOK)
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png"}[im.ContentType]
	if ext == "" || !strings.HasSuffix(im.URL, ext) || resp.Header.Get("Content-Type") != im.ContentType ||
		http.DetectContentType(resp.Body) != im.ContentType || int64(len(resp.Body)) != im.SizeBytes {
		t.Fatalf("record %+v, served %s as %q", im, http.DetectContentType(resp.Body), resp.Header.Get("Content-Type"))
	}
	return resp.Body, im.ContentType
}

// A 300 KB PNG declaring 50 000 × 50 000 pixels is refused from its header
// (422 on "file"), and nothing is stored.
func TestUploadRefusesPixelBomb(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	bomb := storagetest.PixelBomb(t, 50_000, 50_000, 300<<10)
	p := upload(api, l, api.Staff(identity.DeptTourism), file("bomb.png", "image/png", bomb)).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "file" || !strings.Contains(p.Errors[0].Message, "50000 × 50000") {
		t.Fatalf("errors = %+v", p.Errors)
	}
	var n int64
	api.DB.Raw("SELECT COUNT(*) FROM listing_images").Scan(&n)
	if n != 0 || countFiles(t, filepath.Join(api.App.Config.DataDir, "media")) != 0 {
		t.Fatalf("%d rows stored for a refused image", n)
	}
}

// A PNG header followed by a page of HTML is stored as the PNG alone.
func TestUploadDropsTrailingBytes(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	polyglot := append(storagetest.PNG(t, storagetest.Halves(8, 8)), "<html><script>alert(document.cookie)</script></html>"...)
	body, ct := stored(t, api, l, polyglot)
	if ct != "image/png" || !bytes.HasSuffix(body, storagetest.IEND) || bytes.Contains(body, []byte("<html")) {
		t.Fatalf("stored %s ends with %q", ct, body[max(0, len(body)-40):])
	}
}

// A phone JPEG with GPS in its EXIF, taken holding the phone upright
// (orientation 6), is stored upright, without EXIF.
func TestUploadStripsEXIFAndTurnsUpright(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Culinary, "published")
	photo := storagetest.JPEGWithEXIF(storagetest.JPEG(t, storagetest.Halves(32, 16)), storagetest.EXIF(6))
	body, ct := stored(t, api, l, photo)
	if ct != "image/jpeg" {
		t.Fatalf("stored as %s", ct)
	}
	if bytes.Contains(body, []byte("Exif")) || bytes.Contains(body, storagetest.GPSLatitude) {
		t.Fatal("the stored JPEG still holds the EXIF block")
	}
	for i := 2; i+4 <= len(body) && body[i] == 0xFF && body[i+1] != 0xDA; i += 2 + int(body[i+2])<<8 | int(body[i+3]) {
		if body[i+1] >= 0xE1 && body[i+1] <= 0xEF {
			t.Fatalf("the stored JPEG has an APP%d segment", body[i+1]-0xE0)
		}
	}
	img, err := jpeg.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	// Turned 90° clockwise: 16 wide, 32 high, the red left half now on top.
	if b := img.Bounds(); b.Dx() != 16 || b.Dy() != 32 {
		t.Fatalf("stored %v, want 16×32", b)
	}
	if r, _, b, _ := img.At(8, 2).RGBA(); r < 0xC000 || b > 0x4000 {
		t.Fatal("the top of the upright photo is not red")
	}
}

// WebP is stored as JPEG (opaque) or PNG (with transparency), and served as such.
func TestUploadReencodesWebP(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Event, "draft")
	body, ct := stored(t, api, l, storagetest.WebP(6, 4, color.NRGBA{R: 30, G: 160, B: 90, A: 255}, nil))
	if ct != "image/jpeg" {
		t.Fatalf("opaque WebP stored as %s", ct)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 6 || cfg.Height != 4 {
		t.Fatalf("stored JPEG %+v %v", cfg, err)
	}
	body, ct = stored(t, api, l, storagetest.WebP(6, 4, color.NRGBA{R: 30, A: 100}, nil))
	if ct != "image/png" {
		t.Fatalf("translucent WebP stored as %s", ct)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if c := color.NRGBAModel.Convert(img.At(0, 0)).(color.NRGBA); c.A != 100 {
		t.Fatalf("transparency lost: %v", c)
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}
