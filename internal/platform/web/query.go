package web

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
)

// CleanURL refuses, with a 400, a request whose path or query string holds
// characters no single-line field may (see TextProblem), or a query string
// that is not percent-encoded properly. Mounted on the API group, it covers
// every path id and query filter of every endpoint before a handler or the
// database sees them.
func CleanURL() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkURL(c.Request.URL); err != nil {
			RenderError(c, err)
			return
		}
		c.Next()
	}
}

func checkURL(u *url.URL) error {
	if p := TextProblem(u.Path, SingleLine); p != "" {
		return apperr.BadRequest("The path " + p + ".")
	}
	values, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return apperr.BadRequest("The query string is not properly percent-encoded.")
	}
	names := make([]string, 0, len(values))
	for name := range values {
		if p := TextProblem(name, SingleLine); p != "" {
			return apperr.BadRequest("A query parameter name " + p + ".")
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range values[name] {
			if p := TextProblem(v, SingleLine); p != "" {
				return apperr.BadRequest(fmt.Sprintf("Query parameter %q %s.", name, p))
			}
		}
	}
	return nil
}

// ParseFinite parses a decimal number, refusing NaN and the infinities that
// strconv.ParseFloat accepts ("NaN", "Inf", "1e999").
func ParseFinite(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, strconv.ErrRange
	}
	return f, nil
}

// QueryFloat reads the number in query parameter name; ok is false when it
// is absent. A value that is not a finite number from min to max is a 400.
func QueryFloat(c *gin.Context, name string, min, max float64) (v float64, ok bool, err error) {
	raw, ok := c.GetQuery(name)
	if !ok {
		return 0, false, nil
	}
	v, err = ParseFinite(raw)
	if err != nil || v < min || v > max {
		return 0, true, apperr.BadRequest(fmt.Sprintf("%s must be a number from %g to %g.", name, min, max))
	}
	return v, true, nil
}
