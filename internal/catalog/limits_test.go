package catalog_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// TestSearchWordsLimit holds q to the 200 characters the description
// states: one more is a 400, not silently cut off.
func TestSearchWordsLimit(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	longest := strings.Repeat("é", 200)
	for _, path := range []string{"/api/v1/attractions?q=", "/api/v1/search?q=", "/api/v1/search/suggest?q="} {
		api.Get(path+longest, apitest.Anonymous).Expect(http.StatusOK)
		api.Do(apitest.Req{Method: http.MethodGet, Path: path + longest + "e", Invalid: true}).
			ExpectProblem(http.StatusBadRequest, "bad_request")
	}
}

// TestQueryNumbersNotANumber refuses what strconv parses but the description
// forbids: NaN is no rating, radius or coordinate.
func TestQueryNumbersNotANumber(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	for _, q := range []string{"min_rating=NaN", "near=NaN,NaN", "near=-7.5,110.8&radius_m=NaN", "min_rating=Inf"} {
		api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/attractions?" + q, Invalid: true}).
			ExpectProblem(http.StatusBadRequest, "bad_request")
	}
}
