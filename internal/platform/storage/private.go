package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Private keeps files that only their owners and the staff handling them may
// read, such as permit documents. It wraps a store of its own (never the one
// served at /media: NewPrivateDisk puts it in a sibling directory, the
// object store under a sibling prefix of the same private bucket) and is
// deliberately not a Storage: its read method is Get, not Open, so it cannot
// be handed to Serve or to anything else that publishes a Storage. Reads go
// through a handler that has checked who is asking, and then through Send.
type Private struct{ s Storage }

// NewPrivate returns a private store over s. s must not be served publicly.
func NewPrivate(s Storage) *Private { return &Private{s: s} }

// NewPrivateDisk returns a private store in dir (DATA_DIR/private), which
// must not be the public media directory nor inside it.
func NewPrivateDisk(dir string) (*Private, error) {
	d, err := NewDisk(dir)
	if err != nil {
		return nil, err
	}
	return NewPrivate(d), nil
}

// Put stores everything r yields under key (see Storage.Put).
func (p *Private) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	return p.s.Put(ctx, key, r, contentType)
}

// Get returns the object under key, or ErrNotFound. The caller closes it and
// is responsible for having checked that the reader may see it.
func (p *Private) Get(ctx context.Context, key string) (*Object, error) {
	return p.s.Open(ctx, key)
}

// Delete removes the object under key; deleting a missing key is not an error.
func (p *Private) Delete(ctx context.Context, key string) error {
	return p.s.Delete(ctx, key)
}

// Send writes the object under key as the response of an authorised
// handler, as an attachment named filename. Unlike /media nothing may keep
// a copy (no-store), and the browser neither sniffs it nor runs it in the
// API's origin (nosniff, a sandboxing CSP), since the bytes came from a
// citizen. A missing object is 404 not_found.
func (p *Private) Send(c *gin.Context, key, filename string) error {
	obj, err := p.Get(c.Request.Context(), key)
	if errors.Is(err, ErrNotFound) {
		return &apperr.Error{Kind: apperr.NotFound, Code: "not_found", Detail: "No such document."}
	}
	if err != nil {
		return fmt.Errorf("open private object: %w", err)
	}
	defer obj.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", obj.ContentType)
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if cd := mime.FormatMediaType("attachment", map[string]string{"filename": filename}); cd != "" {
		h.Set("Content-Disposition", cd)
	} else {
		h.Set("Content-Disposition", "attachment")
	}
	if obj.Size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	}
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, obj); err != nil {
		// The status is sent; all that is left is to stop.
		c.Error(err)
	}
	return nil
}
