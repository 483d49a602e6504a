package catalog

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/httpcache"
	"github.com/solodestination/api/internal/platform/web"
)

const cacheKeyCtx = "catalog.cache"

type cacheTicket struct {
	cache *httpcache.Cache
	key   string
	gen   uint64
}

// cacheParams are the query parameters a cached handler reads (besides
// lang, which enters the key as the negotiated language). The cache key
// holds only these, in this order and as the handler reads them, so
// parameters it ignores, repeats it does not read, or another order of the
// same parameters cannot make new keys.
type cacheParams []string

var (
	listCacheParams    = cacheParams{"q", "category", "tag", "near", "radius_m", "open_now", "min_rating", "from", "to", "sort", "status", "limit", "cursor"}
	searchCacheParams  = cacheParams{"q", "types", "near", "radius_m", "limit", "cursor"}
	suggestCacheParams = cacheParams{"q"}
	noCacheParams      = cacheParams{}
)

// repeatedParams are read with every value (QueryArray); the others by
// their first value only (Query, GetQuery).
var repeatedParams = map[string]bool{"tag": true}

// key is the canonical cache key of the request: language, path, and the
// parameters the handler reads, present ones only, values escaped.
func (p cacheParams) key(c *gin.Context, lang Lang) string {
	var b strings.Builder
	b.WriteString(string(lang))
	b.WriteByte(' ')
	b.WriteString(c.Request.URL.Path)
	b.WriteByte('?')
	query := c.Request.URL.Query()
	for _, name := range p {
		values, ok := query[name]
		if !ok {
			continue
		}
		if !repeatedParams[name] {
			values = values[:1]
		}
		for _, v := range values {
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
			b.WriteByte('&')
		}
	}
	return b.String()
}

// serveCached answers an anonymous public read from the response cache when
// it can. On a miss it leaves a ticket so writeBody stores the response.
// Authenticated requests bypass the cache: staff may see unpublished data.
func serveCached(c *gin.Context, cache *httpcache.Cache, params cacheParams) bool {
	if cache == nil || c.GetHeader("Authorization") != "" {
		return false
	}
	lang := web.RequestLang(c)
	key := params.key(c, lang)
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
	if status == http.StatusOK && web.ETagMatches(c.GetHeader("If-None-Match"), e.ETag) {
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
