package web

import (
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Page sizes of every list endpoint.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// ListMeta is the "meta" object of every list response.
type ListMeta struct {
	Limit      int     `json:"limit" example:"20" format:"int32" minimum:"1" maximum:"100"`
	NextCursor *string `json:"next_cursor" example:"eyJrIjpbIjAxOTMiXX0.c2ln" maxLength:"2048" extensions:"x-nullable"`
	Total      *int64  `json:"total,omitempty" example:"42" format:"int64" minimum:"0" maximum:"9223372036854775807" extensions:"x-optional"`
} // @name ListMeta

// QueryLimit reads ?limit=, defaulting to 20; values outside 1..100 are a 400.
func QueryLimit(c *gin.Context) (int, error) {
	raw := c.Query("limit")
	if raw == "" {
		return DefaultLimit, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, apperr.BadRequest("limit must be a whole number from 1 to 100.")
	}
	return n, nil
}

// PathUUID reads a UUID path parameter; anything else is a 404, since no
// resource can have that id.
func PathUUID(c *gin.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.Nil, apperr.Missing("resource", c.Param(name))
	}
	return id, nil
}
