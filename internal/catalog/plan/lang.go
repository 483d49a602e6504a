package plan

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Content languages of listing names.
const (
	langID = "id"
	langEN = "en"
)

// requestLang picks the language of listing names: ?lang=id|en first, then
// the best supported language of Accept-Language, else Indonesian.
func requestLang(c *gin.Context) string {
	switch strings.ToLower(c.Query("lang")) {
	case langID:
		return langID
	case langEN:
		return langEN
	}
	return fromAcceptLanguage(c.GetHeader("Accept-Language"))
}

// fromAcceptLanguage returns the supported language with the highest
// q-value in an Accept-Language header (the first listed on a tie), or "id".
func fromAcceptLanguage(header string) string {
	best, bestQ := langID, 0.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		var lang string
		switch primary {
		case "id", "in": // "in" is the withdrawn ISO 639 code some old clients still send
			lang = langID
		case "en":
			lang = langEN
		default:
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
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
