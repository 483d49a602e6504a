package web_test

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

func pageRequest(query string) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/things?"+query, nil)
	return c
}

// Following next_cursor walks a list page by page; a cursor is refused on
// another query, from another key, or edited; bad limits are 400s.
func TestReadPageFollowsItsOwnCursorsOnly(t *testing.T) {
	pg := web.NewPager([]byte("key"))
	items := []int{10, 9, 8, 7, 6}
	page := func(query string) (web.List[int], error) {
		p, err := web.ReadPage[int](pageRequest(query), pg, "things:all")
		if err != nil {
			return web.List[int]{}, err
		}
		var rest []int
		for _, it := range items {
			if p.After == nil || it < *p.After {
				rest = append(rest, it)
			}
		}
		more := len(rest) > p.Limit
		if more {
			rest = rest[:p.Limit]
		}
		return web.NewList(p, rest, more, func(i int) int { return i }, func(i int) int { return i * 10 })
	}

	var seen []int
	query := "limit=2"
	for range 5 {
		l, err := page(query)
		if err != nil {
			t.Fatal(err)
		}
		if l.Meta.Limit != 2 {
			t.Fatalf("meta.limit = %d", l.Meta.Limit)
		}
		seen = append(seen, l.Data...)
		if l.Meta.NextCursor == nil {
			break
		}
		query = "limit=2&cursor=" + *l.Meta.NextCursor
	}
	if want := []int{100, 90, 80, 70, 60}; len(seen) != len(want) || seen[0] != 100 || seen[4] != 60 {
		t.Fatalf("pages gave %v, want %v", seen, want)
	}

	first, _ := page("limit=2")
	next := *first.Meta.NextCursor
	isBadRequest := func(err error) bool {
		var e *apperr.Error
		return errors.As(err, &e) && e.Kind == apperr.Invalid
	}
	for name, read := range map[string]func() error{
		"other scope": func() error { _, err := web.ReadPage[int](pageRequest("cursor="+next), pg, "things:mine"); return err },
		"other key": func() error {
			_, err := web.ReadPage[int](pageRequest("cursor="+next), web.NewPager([]byte("other")), "things:all")
			return err
		},
		"edited":    func() error { _, err := page("cursor=" + next + "x"); return err },
		"limit 0":   func() error { _, err := page("limit=0"); return err },
		"limit 101": func() error { _, err := page("limit=101"); return err },
	} {
		if err := read(); !isBadRequest(err) {
			t.Errorf("%s: err = %v, want a 400", name, err)
		}
	}
	if l, err := page(""); err != nil || l.Meta.Limit != web.DefaultLimit || l.Meta.NextCursor != nil {
		t.Errorf("default page: %+v, %v", l.Meta, err)
	}
}
