package storage_test

import (
	"bytes"
	"context"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"testing"

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
