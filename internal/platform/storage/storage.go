// Package storage keeps uploaded files outside the database behind a small
// interface with two backends: the local disk (Disk, one node) and an
// S3-compatible object store (package s3store, STORAGE_URL) that every
// replica reaches. The domains that upload cannot tell them apart; package
// contract holds both to the same tests.
//
// Everything in the media store is public: GET /media/{key} serves any key in
// it. Private files (permit documents, for instance) go in a Private store,
// which no public route serves and which is read only through handlers that
// have authorised the reader.
//
// Uploads take one path, whatever the domain: ReadForm reads the multipart
// body within a size limit, Sniff tells the format by its bytes, images are
// checked and re-encoded by SanitizeImage (PutImage does both and stores the
// result), and a Storage or Private store keeps the bytes.
package storage

import (
	"context"
	"errors"
	"io"
	"path"
	"strings"
	"time"
)

// ErrNotFound means no object is stored under the key.
var ErrNotFound = errors.New("storage: object not found")

// ErrInvalidKey means the key is not one a store accepts (see ValidKey).
var ErrInvalidKey = errors.New("storage: invalid key")

// Storage stores immutable objects under keys such as
// "listings/<listing-id>/<image-id>.webp". Keys are content-unique: an object
// is never rewritten in place, which is what lets readers cache it forever.
type Storage interface {
	// Put stores everything r yields under key. A failed Put leaves nothing
	// behind under key.
	Put(ctx context.Context, key string, r io.Reader, contentType string) error
	// Open returns the object under key, or ErrNotFound. The caller closes it.
	Open(ctx context.Context, key string) (*Object, error)
	// Delete removes the object under key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Object is an opened stored object. Its body may also be an io.Seeker, which
// lets HTTP serving answer range requests.
type Object struct {
	io.ReadCloser
	Size        int64
	ContentType string
	ModTime     time.Time
}

// MaxKeyLen bounds keys, well below common file-system and object-store limits.
const MaxKeyLen = 512

// ValidKey reports whether key is a well-formed storage key: slash-separated
// segments of letters, digits, '.', '_' and '-', none empty, none starting
// with a dot (so "." and ".." and hidden temporary files are impossible), no
// leading or trailing slash. Checking this before touching any backend makes
// path traversal impossible by construction.
func ValidKey(key string) bool {
	if key == "" || len(key) > MaxKeyLen {
		return false
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
			if !ok {
				return false
			}
		}
	}
	return true
}

// contentTypes maps the extensions the API stores to their media types. A
// fixed table, not mime.TypeByExtension, so the answer never depends on the
// host's /etc/mime.types.
var contentTypes = map[string]string{
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".webp": "image/webp",
	".pdf":  "application/pdf",
}

// ContentTypeOf returns the media type implied by key's extension, or
// application/octet-stream.
func ContentTypeOf(key string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(key))]; ok {
		return ct
	}
	return "application/octet-stream"
}
