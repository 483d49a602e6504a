// Package ref resolves the {id} of catalog paths — a listing's UUID or its
// slug — to the listing's id, for the packages that hang off listings
// (reviews, images).
package ref

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

// Visibility says which listings a lookup may find.
type Visibility bool

const (
	AnyStatus     Visibility = false // staff work on drafts too
	PublishedOnly Visibility = true  // what the public may see
)

// Listing returns the id of the listing of kind k whose id or slug is r; a
// listing outside v is missing, exactly like one that does not exist.
func Listing(ctx context.Context, db *gorm.DB, k kind.Kind, r string, v Visibility) (uuid.UUID, error) {
	var row struct{ ID uuid.UUID }
	q := db.WithContext(ctx).Table("listings").Select("id").Where("kind = ?", string(k))
	if v == PublishedOnly {
		q = q.Where("status = 'published'")
	}
	if id, err := uuid.Parse(r); err == nil {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("slug = ?", r)
	}
	err := q.Take(&row).Error
	if database.IsNotFound(err) {
		return uuid.Nil, apperr.Missing(string(k), r)
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("find listing: %w", err)
	}
	return row.ID, nil
}
