package storage_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

func sanitize(t *testing.T, data []byte) storage.Image {
	t.Helper()
	img, err := storage.SanitizeImage(context.Background(), data, storage.DefaultImageLimits)
	if err != nil {
		t.Fatalf("SanitizeImage: %v", err)
	}
	return img
}

func decode(t *testing.T, img storage.Image) image.Image {
	t.Helper()
	dec := png.Decode
	if img.Format == storage.JPEG {
		dec = jpeg.Decode
	}
	out, err := dec(bytes.NewReader(img.Data))
	if err != nil {
		t.Fatalf("stored %s does not decode: %v", img.Format.Name, err)
	}
	if got := http.DetectContentType(img.Data); got != img.Format.ContentType {
		t.Fatalf("stored bytes are %s, format says %s", got, img.Format.ContentType)
	}
	return out
}

// The header is refused before any pixel is decoded: a 50 000 × 50 000 RGBA
// canvas would need 10 GB, and refusing it allocates next to nothing. Not
// parallel, so no other test's allocations are counted.
func TestSanitizeRefusesPixelBombWithoutDecoding(t *testing.T) {
	bomb := storagetest.PixelBomb(t, 50_000, 50_000, 300<<10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := storage.SanitizeImage(context.Background(), bomb, storage.DefaultImageLimits)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.Unprocessable || e.Fields["file"] == "" {
		t.Fatalf("err = %v, want 422 on file", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("refused a %d-byte 50000×50000 PNG in %v, allocating %d bytes", len(bomb), elapsed, alloc)
	if alloc > 1<<20 {
		t.Fatalf("refusing the bomb allocated %d bytes", alloc)
	}
	if elapsed > 500*time.Millisecond { // decoding it would take minutes
		t.Fatalf("refusing the bomb took %v", elapsed)
	}
}

// An extended WebP can declare a 1×1 canvas, which is all DecodeConfig
// reports, over a 16 383 × 16 383 frame (1 GiB decoded): the frame's own
// size is checked too, before decoding.
func TestSanitizeRefusesWebPFrameLargerThanCanvas(t *testing.T) {
	data := storagetest.WebPLyingCanvas(1, 1, 16383, 16383)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := storage.SanitizeImage(context.Background(), data, storage.DefaultImageLimits)
	runtime.ReadMemStats(&after)
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.Unprocessable || e.Fields["file"] == "" {
		t.Fatalf("err = %v, want 422 on file", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("refusing allocated %d bytes", alloc)
	}
	// The same frame honestly declared is refused by the limits.
	_, err = storage.SanitizeImage(context.Background(), storagetest.WebP(16383, 16383, color.NRGBA{A: 255}, nil), storage.DefaultImageLimits)
	if e, ok := apperr.As(err); !ok || !strings.Contains(e.Fields["file"], "16383 × 16383") {
		t.Fatalf("err = %v", err)
	}
}

func TestSanitizeLimits(t *testing.T) {
	t.Parallel()
	lim := storage.DefaultImageLimits
	cases := []struct {
		name   string
		w, h   uint32
		refuse bool
	}{
		{"too wide", 8001, 1, true},
		{"too high", 1, 8001, true},
		{"too many pixels", 6400, 6400, true}, // 40.96 Mpx, each side allowed
		{"widest allowed", 8000, 1, false},
	}
	for _, c := range cases {
		data := storagetest.PixelBomb(t, c.w, c.h, 1)
		_, err := storage.SanitizeImage(context.Background(), data, lim)
		e, _ := apperr.As(err)
		refused := e != nil && e.Kind == apperr.Unprocessable && e.Fields["file"] != "" &&
			!bytes.Contains([]byte(e.Fields["file"]), []byte("readable"))
		if refused != c.refuse {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
}

func TestSanitizeDropsTrailingBytes(t *testing.T) {
	t.Parallel()
	html := []byte("<html><script>alert(document.cookie)</script></html>")
	for _, f := range []struct {
		name string
		data []byte
		end  []byte
	}{
		{"png", storagetest.PNG(t, storagetest.Halves(8, 8)), storagetest.IEND},
		{"jpeg", storagetest.JPEG(t, storagetest.Halves(8, 8)), []byte{0xFF, 0xD9}},
	} {
		img := sanitize(t, append(append([]byte{}, f.data...), html...))
		if !bytes.HasSuffix(img.Data, f.end) || bytes.Contains(img.Data, []byte("<html")) {
			t.Fatalf("%s: stored file does not end at its end marker: ...%q", f.name, img.Data[max(0, len(img.Data)-64):])
		}
		decode(t, img)
	}
}

func TestSanitizeDropsEXIF(t *testing.T) {
	t.Parallel()
	exif := storagetest.EXIF(1)
	for name, data := range map[string][]byte{
		"jpeg": storagetest.JPEGWithEXIF(storagetest.JPEG(t, storagetest.Halves(8, 8)), exif),
		"png":  storagetest.PNGWithEXIF(storagetest.PNG(t, storagetest.Halves(8, 8)), exif),
		"webp": storagetest.WebP(8, 8, color.NRGBA{R: 10, G: 20, B: 30, A: 255}, exif),
	} {
		img := sanitize(t, data)
		decode(t, img)
		if bytes.Contains(img.Data, []byte("Exif")) || bytes.Contains(img.Data, []byte("eXIf")) ||
			bytes.Contains(img.Data, storagetest.GPSLatitude) || bytes.Contains(img.Data, []byte("Cam\x00")) {
			t.Fatalf("%s: metadata kept", name)
		}
		if img.Format == storage.JPEG && hasJPEGSegment(img.Data, 0xE1) {
			t.Fatalf("%s: stored JPEG has an APP1 segment", name)
		}
	}
}

// hasJPEGSegment reports whether a marker appears among the segments before
// the scan.
func hasJPEGSegment(b []byte, marker byte) bool {
	for i := 2; i+4 <= len(b) && b[i] == 0xFF && b[i+1] != 0xDA; {
		if b[i+1] == marker {
			return true
		}
		i += 2 + int(b[i+2])<<8 | int(b[i+3])
	}
	return false
}

// Each EXIF orientation ends up upright: the red left half of the stored
// 16×8 picture lands where the orientation says (top for 6, bottom for 8, ...).
func TestSanitizeAppliesOrientation(t *testing.T) {
	t.Parallel()
	red := func(c color.Color) bool { r, _, b, _ := c.RGBA(); return r > 0xC000 && b < 0x4000 }
	// Where red ends up, checked at two probe points of the upright image.
	cases := []struct {
		o      int
		w, h   int
		redAt  image.Point
		blueAt image.Point
	}{
		{1, 16, 8, image.Pt(0, 0), image.Pt(15, 0)},
		{2, 16, 8, image.Pt(15, 0), image.Pt(0, 0)},
		{3, 16, 8, image.Pt(15, 7), image.Pt(0, 7)},
		{4, 16, 8, image.Pt(0, 7), image.Pt(15, 7)},
		{5, 8, 16, image.Pt(0, 0), image.Pt(0, 15)},
		{6, 8, 16, image.Pt(0, 0), image.Pt(0, 15)},
		{7, 8, 16, image.Pt(0, 15), image.Pt(0, 0)},
		{8, 8, 16, image.Pt(0, 15), image.Pt(0, 0)},
	}
	for _, c := range cases {
		for _, f := range []struct {
			name string
			data []byte
		}{
			{"png", storagetest.PNGWithEXIF(storagetest.PNG(t, storagetest.Halves(16, 8)), storagetest.EXIF(c.o))},
			{"jpeg", storagetest.JPEGWithEXIF(storagetest.JPEG(t, storagetest.Halves(16, 8)), storagetest.EXIF(c.o))},
		} {
			img := sanitize(t, f.data)
			out := decode(t, img)
			if b := out.Bounds(); b.Dx() != c.w || b.Dy() != c.h || img.Width != c.w || img.Height != c.h {
				t.Fatalf("%s orientation %d: %v, want %dx%d", f.name, c.o, b, c.w, c.h)
			}
			if !red(out.At(c.redAt.X, c.redAt.Y)) || red(out.At(c.blueAt.X, c.blueAt.Y)) {
				t.Fatalf("%s orientation %d: red not at %v", f.name, c.o, c.redAt)
			}
		}
	}
	// A WebP carries its EXIF in a chunk of its own.
	img := sanitize(t, storagetest.WebP(4, 2, color.NRGBA{R: 200, A: 255}, storagetest.EXIF(6)))
	if img.Width != 2 || img.Height != 4 {
		t.Fatalf("webp orientation 6: %dx%d", img.Width, img.Height)
	}
}

// Go cannot encode WebP without cgo: an opaque one is stored as JPEG, one
// with transparency as PNG, and the pixels survive.
func TestSanitizeWebP(t *testing.T) {
	t.Parallel()
	opaque := sanitize(t, storagetest.WebP(3, 2, color.NRGBA{R: 200, G: 100, B: 50, A: 255}, nil))
	if opaque.Format != storage.JPEG || opaque.Width != 3 || opaque.Height != 2 {
		t.Fatalf("opaque webp stored as %s %dx%d", opaque.Format.Name, opaque.Width, opaque.Height)
	}
	if r, g, b, _ := decode(t, opaque).At(1, 1).RGBA(); r>>8 < 190 || g>>8 < 90 || g>>8 > 110 || b>>8 > 60 {
		t.Fatalf("opaque webp colour lost: %d %d %d", r>>8, g>>8, b>>8)
	}
	clear := sanitize(t, storagetest.WebP(3, 2, color.NRGBA{R: 200, A: 128}, nil))
	if clear.Format != storage.PNG {
		t.Fatalf("translucent webp stored as %s", clear.Format.Name)
	}
	if c := color.NRGBAModel.Convert(decode(t, clear).At(2, 1)).(color.NRGBA); c.A != 128 || c.R != 200 {
		t.Fatalf("translucent webp pixel %v", c)
	}
}

func TestSanitizeRefusesOtherAndBrokenFiles(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		data []byte
		kind apperr.Kind
	}{
		"text":                {[]byte("just text"), apperr.UnsupportedMediaType},
		"pdf":                 {[]byte("%PDF-1.7\n"), apperr.UnsupportedMediaType},
		"truncated png":       {storagetest.PNG(t, storagetest.Halves(64, 64))[:60], apperr.Unprocessable},
		"png header and html": {append([]byte("\x89PNG\r\n\x1a\n"), "<html></html>"...), apperr.Unprocessable},
		"truncated jpeg":      {storagetest.JPEG(t, storagetest.Halves(64, 64))[:200], apperr.Unprocessable},
		"webp header only":    {[]byte("RIFF\x10\x00\x00\x00WEBPVP8L\x04\x00\x00\x00"), apperr.Unprocessable},
	}
	for name, c := range cases {
		_, err := storage.SanitizeImage(context.Background(), c.data, storage.DefaultImageLimits)
		if e, ok := apperr.As(err); !ok || e.Kind != c.kind {
			t.Errorf("%s: err = %v, want kind %d", name, err, c.kind)
		}
	}
}
