package catalog

import (
	"strconv"
	"strings"
)

// Lang is the language of a response's localised texts.
type Lang string

const (
	LangID Lang = "id"
	LangEN Lang = "en"
	// LangAll returns the {"id", "en"} objects, for editing screens.
	LangAll Lang = "all"
)

// contentLanguage is the Content-Language header value for l.
func (l Lang) contentLanguage() string {
	if l == LangAll {
		return "id, en"
	}
	return string(l)
}

// negotiateLang picks the response language: ?lang= wins (id, en or all;
// anything else means id), then the best of id and en in Accept-Language,
// then Indonesian.
func negotiateLang(query string, acceptLanguage string) Lang {
	if query != "" {
		switch l := Lang(strings.ToLower(strings.TrimSpace(query))); l {
		case LangID, LangEN, LangAll:
			return l
		default:
			return LangID
		}
	}
	return fromAcceptLanguage(acceptLanguage)
}

// fromAcceptLanguage returns the supported language with the highest
// quality in an Accept-Language header (RFC 9110 §12.5.4).
func fromAcceptLanguage(h string) Lang {
	best, bestQ := LangID, 0.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		var l Lang
		switch primary {
		case "id", "in": // "in" is the withdrawn code for Indonesian, still sent by old Android
			l = LangID
		case "en":
			l = LangEN
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
