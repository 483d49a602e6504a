package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

// URLPrefix is where stored objects are served; a key k is at URLPrefix + k.
const URLPrefix = "/media/"

// URL returns the path at which the object under key is served.
func URL(key string) string { return URLPrefix + key }

// ImmutableCacheControl lets browsers and CDNs keep an object for a year
// without revalidating: keys are content-unique, so a key's bytes never change.
const ImmutableCacheControl = "public, max-age=31536000, immutable"

// Serve handles GET /media/*key (described in cmd/oas3/platform.yaml).
func Serve(s Storage) web.HandlerFunc {
	return func(c *gin.Context) error {
		key := strings.TrimPrefix(c.Param("key"), "/")
		notFound := &apperr.Error{Kind: apperr.NotFound, Code: "not_found", Detail: "No file is stored under this path."}
		if !ValidKey(key) {
			return notFound
		}
		obj, err := s.Open(c.Request.Context(), key)
		if errors.Is(err, ErrNotFound) {
			return notFound
		}
		if err != nil {
			return err
		}
		defer obj.Close()

		h := c.Writer.Header()
		h.Set("Content-Type", obj.ContentType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", ImmutableCacheControl)
		// The key is content-unique, so a hash of it is a strong validator.
		sum := sha256.Sum256([]byte(key))
		h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
		if rs, ok := obj.ReadCloser.(io.ReadSeeker); ok {
			// ServeContent answers Range and conditional requests.
			http.ServeContent(c.Writer, c.Request, "", obj.ModTime, rs)
			return nil
		}
		if web.ETagMatches(c.GetHeader("If-None-Match"), h.Get("ETag")) {
			c.Status(http.StatusNotModified)
			return nil
		}
		if obj.Size >= 0 {
			h.Set("Content-Length", strconv.FormatInt(obj.Size, 10))
		}
		c.Status(http.StatusOK)
		_, err = io.Copy(c.Writer, obj)
		if err != nil {
			web.Logger(c).Warn("media copy interrupted", "key", key, "err", err)
		}
		return nil
	}
}
