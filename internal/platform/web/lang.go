package web

import (
	"strconv"
	"strings"
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
