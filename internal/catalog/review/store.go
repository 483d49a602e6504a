package review

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/catalog/ref"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

type reviewRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	ListingID uuid.UUID
	AuthorID  uuid.UUID
	Rating    int
	Body      string
	Status    string
	HiddenBy  *uuid.UUID
	HiddenAt  *time.Time
	DeletedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (reviewRow) TableName() string { return "reviews" }

func (r reviewRow) toDomain() Review {
	return Review{ID: r.ID, ListingID: r.ListingID, AuthorID: r.AuthorID,
		Rating: r.Rating, Text: r.Body, Status: Status(r.Status), CreatedAt: r.CreatedAt}
}

// store runs review queries on a handle that may be a transaction.
type store struct{ db *gorm.DB }

// publishedListing resolves a listing of kind k by id or slug (anything not published is missing, as it is to the public).
func (s store) publishedListing(ctx context.Context, k kind.Kind, r string) (uuid.UUID, error) {
	return ref.Listing(ctx, s.db, k, r, ref.PublishedOnly)
}

// visible returns up to limit visible reviews of a listing older than after
// (ids are UUIDv7, so id order is creation order), without author names.
func (s store) visible(ctx context.Context, listingID uuid.UUID, after *uuid.UUID, limit int) ([]Review, error) {
	q := s.db.WithContext(ctx).Model(&reviewRow{}).
		Where("listing_id = ? AND status = ?", listingID, string(StatusVisible))
	if after != nil {
		q = q.Where("id < ?", *after)
	}
	var rows []reviewRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list reviews: %w", err)
	}
	out := make([]Review, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// insert adds a review. The partial unique index on (listing_id, author_id)
// is what enforces one live review per user and listing, also under
// concurrent posts; a violation is the 409.
func (s store) insert(ctx context.Context, r reviewRow) error {
	err := s.db.WithContext(ctx).Create(&r).Error
	if database.IsDuplicate(err) {
		return apperr.StateConflict("conflict", "You have already reviewed this listing; delete that review to write a new one.")
	}
	if err != nil {
		return fmt.Errorf("insert review: %w", err)
	}
	return nil
}

// forUpdate loads a live (not deleted) review and, on PostgreSQL, locks it
// until the transaction ends, so two removals of the same review run one
// after the other and the second sees the first one's status. SQLite write
// transactions are already serial (BEGIN IMMEDIATE).
func (s store) forUpdate(ctx context.Context, id uuid.UUID) (Review, error) {
	q := s.db.WithContext(ctx).Where("id = ? AND status <> ?", id, string(StatusDeleted))
	if s.db.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var r reviewRow
	err := q.Take(&r).Error
	if database.IsNotFound(err) {
		return Review{}, apperr.Missing("review", id)
	}
	if err != nil {
		return Review{}, fmt.Errorf("load review: %w", err)
	}
	return r.toDomain(), nil
}

// setStatus moves a review from one status to another; the from-guard makes
// a lost race a no-op (false) instead of a second subtraction.
func (s store) setStatus(ctx context.Context, id uuid.UUID, from, to Status, by uuid.UUID, at time.Time) (bool, error) {
	cols := map[string]any{"status": string(to), "updated_at": at}
	switch to {
	case StatusDeleted:
		cols["deleted_at"] = at
	case StatusHidden:
		cols["hidden_by"] = by
		cols["hidden_at"] = at
	}
	res := s.db.WithContext(ctx).Model(&reviewRow{}).Where("id = ? AND status = ?", id, string(from)).Updates(cols)
	if res.Error != nil {
		return false, fmt.Errorf("update review status: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// hiddenBy reports whether author's live review of a listing is hidden: it
// keeps the author's one slot, so a new post is refused with its own reason.
func (s store) hiddenBy(ctx context.Context, listingID, author uuid.UUID) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&reviewRow{}).
		Where("listing_id = ? AND author_id = ? AND status = ?", listingID, author, string(StatusHidden)).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check hidden review: %w", err)
	}
	return n > 0, nil
}
