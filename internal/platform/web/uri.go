package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/pkg/problem"
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
			WriteProblem(c, problem.Problem{
				Type: problem.TypeURI("uri_too_long"), Title: "URI too long", Status: http.StatusRequestURITooLong,
				Detail:   fmt.Sprintf("The query string is longer than %d bytes.", MaxQueryBytes),
				Instance: c.Request.URL.Path, Code: "uri_too_long", RequestID: RequestID(c.Request.Context()),
			})
			return
		}
		c.Next()
	}
}
