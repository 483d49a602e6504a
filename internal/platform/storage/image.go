package storage

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"time"

	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"

	"github.com/solodestination/api/internal/platform/apperr"
)

// ImageLimits bound the pixels of an accepted image. A small file can
// declare a huge canvas (a 300 KB PNG of 50 000 × 50 000 pixels decodes to
// 10 GB), so the header is checked before any pixel is decoded.
type ImageLimits struct {
	MaxSide   int   // pixels, width and height each
	MaxPixels int64 // width × height
}

// DefaultImageLimits fit any phone or camera photo: 40 Mpx is a 7 700 × 5 200
// image, and a decoded one holds about 160 MB.
var DefaultImageLimits = ImageLimits{MaxSide: 8000, MaxPixels: 40_000_000}

// ImageFormats are the formats SanitizeImage accepts.
var ImageFormats = []Format{JPEG, PNG, WebP}

// JPEGQuality is used when re-encoding: visually lossless for photos.
const JPEGQuality = 90

// DecodeMemory bounds the memory all image decodes hold at once. Each decode
// reserves its estimate (pixels × bytes per pixel, more if it is turned
// upright) before it starts, so a burst of large uploads waits instead of
// exhausting memory, while small images still decode side by side.
const DecodeMemory = 320 << 20

// decodeWait is how long an upload waits for decode memory before it is
// answered 503 with Retry-After.
const decodeWait = 10 * time.Second

var decodeSlots = semaphore.NewWeighted(DecodeMemory)

// Image is an upload made safe to serve: decoded and encoded again, so it
// holds nothing but pixels (no trailing bytes, no EXIF, GPS or other
// metadata), turned upright, in Format.
type Image struct {
	Data          []byte
	Format        Format
	Width, Height int
}

// SanitizeImage checks an uploaded image and re-encodes it. In order: the
// format by its bytes (415), the header's dimensions against lim (422 on
// field "file") before any pixel is decoded, a reservation of decode memory
// (503 when none frees up in time), then decoding (422 when the data is
// broken), EXIF orientation, and encoding: JPEG stays JPEG and PNG stays PNG;
// WebP, which Go cannot encode without cgo, becomes PNG when it has
// transparency and JPEG when not.
func SanitizeImage(ctx context.Context, data []byte, lim ImageLimits) (Image, error) {
	f, err := Sniff(data, ImageFormats...)
	if err != nil {
		return Image{}, err
	}
	decodeConfig, decode := codec(f)
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return Image{}, unreadable(f)
	}
	if err := checkDimensions(cfg.Width, cfg.Height, lim); err != nil {
		return Image{}, err
	}
	if f == WebP {
		// The config of an extended WebP is its canvas; the frame, which is
		// what gets decoded, declares its own size and must match.
		if w, h, ok := webpFrameSize(data); !ok || w != cfg.Width || h != cfg.Height {
			return Image{}, unreadable(f)
		}
	}
	orientation := exifOrientation(f, data)

	need := decodeCost(cfg, orientation, progressiveComponents(f, data))
	waitCtx, cancel := context.WithTimeout(ctx, decodeWait)
	defer cancel()
	if err := decodeSlots.Acquire(waitCtx, need); err != nil {
		return Image{}, &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", RetryAfter: 5 * time.Second,
			Detail: "Too many images are being processed; try again shortly.", Err: err}
	}
	defer decodeSlots.Release(need)

	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return Image{}, unreadable(f)
	}
	img = orient(img, orientation)

	out := JPEG
	if f == PNG || f == WebP && !opaque(img) {
		out = PNG
	}
	var buf bytes.Buffer
	if out == PNG {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	}
	if err != nil {
		return Image{}, fmt.Errorf("encode %s: %w", out.Name, err)
	}
	b := img.Bounds()
	return Image{Data: buf.Bytes(), Format: out, Width: b.Dx(), Height: b.Dy()}, nil
}

// codec picks the decoder by the sniffed format rather than through
// image.Decode's registry, so no other registered format can slip in.
func codec(f Format) (func(io.Reader) (image.Config, error), func(io.Reader) (image.Image, error)) {
	switch f {
	case PNG:
		return png.DecodeConfig, png.Decode
	case WebP:
		return webp.DecodeConfig, webp.Decode
	default:
		return jpeg.DecodeConfig, jpeg.Decode
	}
}

func checkDimensions(w, h int, lim ImageLimits) error {
	if w <= 0 || h <= 0 {
		return apperr.FieldInvalid("file", "has no pixels")
	}
	if w > lim.MaxSide || h > lim.MaxSide || int64(w)*int64(h) > lim.MaxPixels {
		return apperr.FieldInvalid("file", fmt.Sprintf(
			"is %d × %d pixels; images may be at most %d pixels wide and high and %d megapixels",
			w, h, lim.MaxSide, lim.MaxPixels/1_000_000))
	}
	return nil
}

// decodeCost estimates the bytes a decode holds: the decoded image, the
// coefficients a progressive JPEG keeps for the whole image until its last
// scan (four bytes per pixel and component at most), and the
// four-byte-per-pixel turned copy when it has to be turned. Never more than the
// whole budget, so the largest allowed image still gets its turn, alone.
func decodeCost(cfg image.Config, orientation, progressiveComponents int) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	perPixel := int64(8) // 16-bit colour, the worst case
	switch cfg.ColorModel {
	case color.GrayModel, color.AlphaModel:
		perPixel = 1
	case color.Gray16Model:
		perPixel = 2
	case color.YCbCrModel, color.NYCbCrAModel: // 4:4:4 at most, plus alpha
		perPixel = 4
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		perPixel = 4
	default:
		if _, ok := cfg.ColorModel.(color.Palette); ok {
			perPixel = 1
		}
	}
	perPixel += 4 * int64(progressiveComponents)
	if orientation > 1 {
		perPixel += 4 // the turned copy
	}
	return min(px*perPixel, DecodeMemory)
}

// progressiveComponents is the number of colour components of a progressive
// JPEG, whose decoder holds every coefficient until the end; 0 otherwise.
func progressiveComponents(f Format, data []byte) int {
	if f != JPEG {
		return 0
	}
	n := 0
	jpegSegments(data, func(marker byte, seg []byte) bool {
		const sofProgressive = 0xC2
		if marker == sofProgressive && len(seg) >= 6 {
			n = int(seg[5])
			return false
		}
		return true
	})
	return n
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

func unreadable(f Format) error {
	return apperr.FieldInvalid("file", fmt.Sprintf("is not a readable %s image", f.Name))
}
