package catalog

import (
	"strings"

	"github.com/solodestination/api/internal/platform/web"
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
	return Lang(web.AcceptedLang(acceptLanguage))
}
