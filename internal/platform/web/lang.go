package web

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// AcceptedLang returns the best of the API's two content languages, "id" and
// "en", in an Accept-Language header by quality (RFC 9110 §12.5.4; the first
// listed wins a tie), or "id" when neither is acceptable.
func AcceptedLang(header string) string {
	best, bestQ := "id", 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		var l string
		switch primary {
		case "id", "in": // "in" is the withdrawn code for Indonesian, still sent by old Android
			l = "id"
		case "en":
			l = "en"
		default:
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// Lang is the language of a response's localised texts.
type Lang string

const (
	LangID Lang = "id"
	LangEN Lang = "en"
	// LangAll returns the {"id", "en"} objects, for editing screens.
	LangAll Lang = "all"
)

// NegotiateLang picks the response language: ?lang= wins (id, en or all;
// anything else means id), then the best of id and en in Accept-Language,
// then Indonesian.
func NegotiateLang(query, acceptLanguage string) Lang {
	if query != "" {
		switch l := Lang(strings.ToLower(strings.TrimSpace(query))); l {
		case LangID, LangEN, LangAll:
			return l
		default:
			return LangID
		}
	}
	return Lang(AcceptedLang(acceptLanguage))
}

// RequestLang is NegotiateLang for the request's ?lang= and Accept-Language.
func RequestLang(c *gin.Context) Lang {
	return NegotiateLang(c.Query("lang"), c.GetHeader("Accept-Language"))
}

// One is l for a body that has a single language: all becomes Indonesian.
func (l Lang) One() Lang {
	if l == LangAll {
		return LangID
	}
	return l
}

// ContentLanguage is the Content-Language header value for l.
func (l Lang) ContentLanguage() string {
	if l == LangAll {
		return "id, en"
	}
	return string(l)
}

// Pick returns the text in l, falling back to Indonesian, which every
// localised text has.
func (l Lang) Pick(id, en string) string {
	if l == LangEN && en != "" {
		return en
	}
	return id
}

// SetLangHeaders tells clients and caches which language the body is in.
func SetLangHeaders(c *gin.Context, l Lang) {
	c.Header("Content-Language", l.ContentLanguage())
	c.Writer.Header().Add("Vary", "Accept-Language") // Add: gzip may have put Accept-Encoding there
}
