package web

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
)

// MaxQueryBytes is the longest query string accepted. Real queries of this
// API (filters, a search, a cursor) stay far below it; longer ones only
// cost memory wherever the query is kept (logs, cache keys).
const MaxQueryBytes = 4 << 10

// LimitQuery refuses query strings over MaxQueryBytes with 414 uri_too_long,
// for every endpoint.
func LimitQuery() gin.HandlerFunc {
	return func(c *gin.Context) {
		if len(c.Request.URL.RawQuery) > MaxQueryBytes {
			RenderError(c, &apperr.Error{Kind: apperr.URITooLong, Code: "uri_too_long",
				Detail: fmt.Sprintf("The query string is longer than %d bytes.", MaxQueryBytes)})
			return
		}
		c.Next()
	}
}
