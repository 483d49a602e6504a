package apitest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// All follows a list endpoint's next_cursor from path (which may carry
// filters and a limit) to the end and returns every item in order. It fails
// the test when a page is larger than its meta.limit or the walk does not
// end, the two ways a broken cursor shows.
func (a *API) All(path string, as Actor) []json.RawMessage {
	a.T.Helper()
	var all []json.RawMessage
	next := path
	for range 1000 {
		var page struct {
			Data []json.RawMessage `json:"data"`
			Meta struct {
				Limit      int     `json:"limit"`
				NextCursor *string `json:"next_cursor"`
			} `json:"meta"`
		}
		a.Get(next, as).Expect(http.StatusOK).JSON(&page)
		if len(page.Data) > page.Meta.Limit {
			a.T.Fatalf("GET %s: %d items on a page of limit %d", next, len(page.Data), page.Meta.Limit)
		}
		all = append(all, page.Data...)
		if page.Meta.NextCursor == nil {
			return all
		}
		next = withQuery(path, "cursor", *page.Meta.NextCursor)
	}
	a.T.Fatalf("GET %s: still paging after 1000 pages", path)
	return nil
}

// PageLimit is path with ?limit=n set, for walking a list in small pages.
func PageLimit(path string, n int) string { return withQuery(path, "limit", strconv.Itoa(n)) }

func withQuery(path, key, value string) string {
	p, q, _ := strings.Cut(path, "?")
	v, _ := url.ParseQuery(q)
	v.Set(key, value)
	return p + "?" + v.Encode()
}
