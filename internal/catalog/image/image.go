// Package image manages the photos of catalog listings: tourism staff upload
// them, the files go through the shared upload path of platform/storage
// (size limit, format by its bytes, checked and re-encoded) to the public
// store, the rows to listing_images, and they are served from /media.
package image

import (
	"time"

	"github.com/google/uuid"
)

// Limits of an upload.
const (
	MaxBytes      = 5 << 20 // per image as sent; the multipart body limit is larger
	MaxCaptionLen = 200     // characters
	MaxOrderIDs   = 100     // ids a reorder may list, as many images as a listing response shows
	// MaxPerListing is how many images a listing may hold: all of them fit
	// in a listing response and in one reorder.
	MaxPerListing = MaxOrderIDs
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
