package storage

import (
	"bytes"
	"context"
	"io"
)

// Putter is where an upload is written: a public Storage or a *Private.
type Putter interface {
	Put(ctx context.Context, key string, r io.Reader, contentType string) error
}

// Stored describes an object written by PutImage.
type Stored struct {
	Key           string
	Format        Format
	Size          int64
	Width, Height int
}

// PutImage is the upload path for images: it sanitises data (see
// SanitizeImage) and stores the result under keyBase plus the extension of
// the format it was encoded in, so the key always tells the truth about the
// bytes and the served Content-Type follows from it.
func PutImage(ctx context.Context, dst Putter, keyBase string, data []byte, lim ImageLimits) (Stored, error) {
	img, err := SanitizeImage(ctx, data, lim)
	if err != nil {
		return Stored{}, err
	}
	key := keyBase + "." + img.Format.Ext
	if err := dst.Put(ctx, key, bytes.NewReader(img.Data), img.Format.ContentType); err != nil {
		return Stored{}, err
	}
	return Stored{Key: key, Format: img.Format, Size: int64(len(img.Data)), Width: img.Width, Height: img.Height}, nil
}
