// Package image manages the photos of catalog listings: tourism staff upload
// them (JPEG, PNG or WebP, recognised by their bytes), the files go to
// storage and the rows to listing_images, and they are served from /media.
package image

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Limits of an upload.
const (
	MaxBytes      = 5 << 20 // per image; the multipart body limit is larger
	MaxCaptionLen = 200     // characters
)

// Image is one stored photo of a listing.
type Image struct {
	ID          uuid.UUID
	ListingID   uuid.UUID
	Key         string // storage key, served at /media/<key>
	Caption     string
	ContentType string
	Size        int64
	Position    int
	CreatedAt   time.Time
}

// formats maps the media types accepted to the extension of their keys.
var formats = map[string]string{
	"image/jpeg": "jpg",
	"image/png":  "png",
	"image/webp": "webp",
}

// detect recognises an accepted image by its leading bytes, whatever the
// file name or the declared Content-Type say.
func detect(data []byte) (contentType, ext string, err error) {
	ct := http.DetectContentType(data)
	ext, ok := formats[ct]
	if !ok {
		return "", "", &apperr.Error{Kind: apperr.UnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "The file is not a JPEG, PNG or WebP image."}
	}
	return ct, ext, nil
}
