package catalog

import "github.com/solodestination/api/internal/platform/web"

// Lang is the language of a response's localised texts (web.Lang).
type Lang = web.Lang

const (
	LangID  = web.LangID
	LangEN  = web.LangEN
	LangAll = web.LangAll
)
