package storage_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	_ "golang.org/x/image/webp" // for image.DecodeConfig

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// Whatever the bytes, SanitizeImage answers a 4xx-kind error or an image
// that is what its format says, decodes, and is within the limits. The seed
// corpus runs with go test; make fuzz explores further.
func FuzzSanitizeImage(f *testing.F) {
	small := storagetest.Halves(6, 4)
	exif := storagetest.EXIF(6)
	for _, seed := range [][]byte{
		storagetest.PNG(f, small),
		storagetest.JPEG(f, small),
		storagetest.PNGWithEXIF(storagetest.PNG(f, small), exif),
		storagetest.JPEGWithEXIF(storagetest.JPEG(f, small), exif),
		storagetest.WebP(5, 3, color.NRGBA{R: 9, G: 8, B: 7, A: 200}, exif),
		storagetest.WebPLyingCanvas(1, 1, 300, 300),
		storagetest.PixelBomb(f, 1000, 1000, 100),
		append(storagetest.PNG(f, small), "<html>"...),
	} {
		f.Add(seed)
	}
	lim := storage.ImageLimits{MaxSide: 256, MaxPixels: 20_000}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := storage.SanitizeImage(context.Background(), data, lim)
		if err != nil {
			if k := apperr.KindOf(err); k != apperr.Unprocessable && k != apperr.UnsupportedMediaType {
				t.Fatalf("error of kind %d: %v", k, err)
			}
			return
		}
		if http.DetectContentType(img.Data) != img.Format.ContentType {
			t.Fatalf("stored bytes are not %s", img.Format.Name)
		}
		dec := png.DecodeConfig
		if img.Format == storage.JPEG {
			dec = jpeg.DecodeConfig
		}
		cfg, err := dec(bytes.NewReader(img.Data))
		if err != nil || cfg.Width != img.Width || cfg.Height != img.Height || cfg.Width*cfg.Height > 20_000 {
			t.Fatalf("stored %+v (%v), reported %dx%d", cfg, err, img.Width, img.Height)
		}
	})
}

// Whatever the bytes, CheckDocument answers a 4xx-kind error or a document
// whose stored bytes pass the same check again as their own format.
func FuzzCheckDocument(f *testing.F) {
	small := storagetest.Halves(6, 4)
	jpg := storagetest.JPEG(f, small)
	for _, seed := range [][]byte{
		helloPDF(""),
		helloPDF(" /OpenAction [3 0 R /Fit]"),
		helloPDF(" /OpenAction << /S /J#61vaScript /JS (x) >>"),
		objStmPDF(f, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
		xrefStreamPDF(),
		jpg,
		append(append([]byte{}, jpg...), jpg...),
		jpegWithComment(jpg, "<script>"),
		storagetest.PNG(f, small),
		storagetest.WebP(5, 3, color.NRGBA{R: 9, G: 8, B: 7, A: 200}, nil),
		append(storagetest.PNG(f, small), "<html>"...),
	} {
		f.Add(seed)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		// Images up to DefaultImageLimits take seconds to decode and encode
		// twice; small ones exercise the same paths.
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			t.Skip()
		}
		doc, err := storage.CheckDocument(ctx, data, docs...)
		if err != nil {
			if k := apperr.KindOf(err); k != apperr.Unprocessable && k != apperr.UnsupportedMediaType {
				t.Fatalf("error of kind %d: %v", k, err)
			}
			return
		}
		again, err := storage.CheckDocument(ctx, doc.Data, doc.Format)
		if err != nil {
			t.Fatalf("stored %s refused on a second check: %v", doc.Format.Name, err)
		}
		if doc.Format == storage.PDF && again.SHA256 != doc.SHA256 {
			t.Fatal("a PDF changed on a second check")
		}
	})
}

// SafeFilename's answer never leaves its directory nor breaks a header,
// ends with the format's extension and is bounded.
func FuzzSafeFilename(f *testing.F) {
	for _, seed := range []string{"../../etc/passwd", `C:\x\y.exe`, "a\x00b\n\"c\".pdf", "inv\u202Egpj.exe",
		"", "..", strings.Repeat("é", 90), "CON", "Café.jpg"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, ft := range []storage.Format{storage.PDF, storage.JPEG} {
			got := storage.SafeFilename(name, ft)
			if strings.ContainsAny(got, `/\"'`) || strings.Contains(got, "..") || !strings.HasSuffix(got, "."+ft.Ext) ||
				len(got) > storage.MaxFilenameBytes || !utf8.ValidString(got) || len(got) <= len(ft.Ext)+1 {
				t.Fatalf("SafeFilename(%q) = %q", name, got)
			}
			for _, r := range got {
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
					t.Fatalf("SafeFilename(%q) = %q keeps %U", name, got, r)
				}
			}
			if again := storage.SafeFilename(got, ft); again != got {
				t.Fatalf("SafeFilename(%q) = %q, then %q", name, got, again)
			}
		}
	})
}
