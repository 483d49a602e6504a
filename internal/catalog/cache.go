package catalog

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/httpcache"
)

const cacheKeyCtx = "catalog.cache"

type cacheTicket struct {
	cache *httpcache.Cache
	key   string
	gen   uint64
}

// serveCached answers an anonymous public read from the response cache when
// it can. On a miss it leaves a ticket so writeBody stores the response.
// Authenticated requests bypass the cache: staff may see unpublished data.
func serveCached(c *gin.Context, cache *httpcache.Cache) bool {
	if cache == nil || c.GetHeader("Authorization") != "" {
		return false
	}
	lang := negotiateLang(c.Query("lang"), c.GetHeader("Accept-Language"))
	key := string(lang) + " " + c.Request.URL.Path + "?" + c.Request.URL.RawQuery
	if e, ok := cache.Get(key); ok {
		writeEntry(c, http.StatusOK, e)
		return true
	}
	c.Set(cacheKeyCtx, cacheTicket{cache: cache, key: key, gen: cache.Generation()})
	return false
}

// writeEntry sends a public body: ETag and conditional 304, and the gzip
// form when the client takes it (the compression middleware leaves bodies
// that already carry a Content-Encoding alone).
func writeEntry(c *gin.Context, status int, e *httpcache.Entry) {
	h := c.Writer.Header()
	if e.ContentLanguage != "" {
		h.Set("Content-Language", e.ContentLanguage)
		h.Add("Vary", "Accept-Language")
	}
	h.Set("ETag", e.ETag)
	h.Set("Cache-Control", publicCache)
	if status == http.StatusOK && etagMatches(c.GetHeader("If-None-Match"), e.ETag) {
		c.Status(http.StatusNotModified)
		return
	}
	body := e.Body
	if e.Gzip != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(c.GetHeader("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body = e.Gzip
		}
	}
	c.Data(status, "application/json; charset=utf-8", body)
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}
