package web

import (
	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/pkg/cursor"
)

// Pager reads and writes the cursors of every list endpoint with one signing
// key. It is built once in the composition root and handed to the handler
// makers of list endpoints.
type Pager struct{ codec cursor.Codec }

// NewPager returns a Pager signing cursors with key.
func NewPager(key []byte) Pager { return Pager{codec: cursor.New(key)} }

// Page is the paging of one list request: its size and where the previous
// page ended. P is the list's position type: the sort keys of an item.
type Page[P any] struct {
	Limit int
	After *P // nil on the first page
	pager Pager
	scope string
}

var errBadCursor = apperr.BadRequest("The cursor is invalid or belongs to another query; start again without it.")

// ReadPage reads ?limit= (default 20, 1..100) and ?cursor=. scope names the
// query being paged (cursor.Fingerprint of every parameter that decides which
// items a page holds and in which order); a cursor issued for another scope,
// or not by this server, is a 400.
func ReadPage[P any](c *gin.Context, pg Pager, scope string) (Page[P], error) {
	limit, err := QueryLimit(c)
	if err != nil {
		return Page[P]{}, err
	}
	p := Page[P]{Limit: limit, pager: pg, scope: scope}
	if raw := c.Query("cursor"); raw != "" {
		var pos P
		if err := pg.codec.DecodeScoped(raw, scope, &pos); err != nil {
			return Page[P]{}, errBadCursor
		}
		p.After = &pos
	}
	return p, nil
}

// Next returns the cursor of the page after one that ended at last, or nil
// when no page follows. last is called only when more is true.
func (p Page[P]) Next(more bool, last func() P) (*string, error) {
	if !more {
		return nil, nil
	}
	s, err := p.pager.codec.EncodeScoped(p.scope, last())
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// Meta is the meta object of the page: its limit and the next cursor.
func (p Page[P]) Meta(more bool, last func() P) (ListMeta, error) {
	next, err := p.Next(more, last)
	return ListMeta{Limit: p.Limit, NextCursor: next}, err
}

// List is the body of a list response, {data, meta}. Domains may declare
// a named type of the same shape for the API description.
type List[T any] struct {
	Data []T      `json:"data"`
	Meta ListMeta `json:"meta"`
}

// NewList maps a page of items to their responses and adds the meta: the
// whole of a list handler after the service call. pos gives an item's
// position, for the next cursor.
func NewList[T, R, P any](p Page[P], items []T, more bool, pos func(T) P, toResponse func(T) R) (List[R], error) {
	out := List[R]{Data: make([]R, len(items))}
	for i, it := range items {
		out.Data[i] = toResponse(it)
	}
	var err error
	out.Meta, err = p.Meta(more, func() P { return pos(items[len(items)-1]) })
	return out, err
}
