package plan

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/web"
)

// Content languages of listing names.
const (
	langID = "id"
	langEN = "en"
)

// requestLang picks the language of listing names as the catalog does:
// ?lang=id|en wins (any other value means Indonesian), then the best
// supported language of Accept-Language, else Indonesian.
func requestLang(c *gin.Context) string {
	switch q := strings.ToLower(strings.TrimSpace(c.Query("lang"))); q {
	case "":
		return web.AcceptedLang(c.GetHeader("Accept-Language"))
	case langEN:
		return langEN
	default:
		return langID
	}
}

// localName returns the name in lang, falling back to Indonesian, which
// every listing has.
func localName(lang, nameID, nameEN string) string {
	if lang == langEN && nameEN != "" {
		return nameEN
	}
	return nameID
}

// setLangHeaders tells clients and caches which language the body is in.
func setLangHeaders(c *gin.Context, lang string) {
	c.Header("Content-Language", lang)
	c.Writer.Header().Add("Vary", "Accept-Language") // Add: gzip has put Accept-Encoding there
}
