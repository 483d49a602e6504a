package review

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/httpcache"
)

// Service is the review use cases; it owns their transactions.
type Service struct {
	db    *database.DB
	now   func() time.Time
	cache *httpcache.Cache // public catalog responses that show ratings
}

// NewService returns the review service over db.
func NewService(db *database.DB, cache *httpcache.Cache) *Service {
	return &Service{db: db, cache: cache, now: func() time.Time { return time.Now().UTC() }}
}

// Page is a position in a listing's reviews.
type Page struct {
	After uuid.UUID // the last id of the previous page; Nil for the first
	Limit int
}

// List returns a page of the visible reviews of a published listing, newest
// first, the listing's id (for binding cursors to it), and whether more follow.
func (s *Service) List(ctx context.Context, k kind.Kind, ref string, p Page) ([]Review, uuid.UUID, bool, error) {
	st := store{s.db.DB}
	listingID, err := st.publishedListing(ctx, k, ref)
	if err != nil {
		return nil, uuid.Nil, false, err
	}
	rs, err := st.visible(ctx, listingID, p.After, p.Limit+1)
	if err != nil {
		return nil, uuid.Nil, false, err
	}
	more := len(rs) > p.Limit
	if more {
		rs = rs[:p.Limit]
	}
	return rs, listingID, more, nil
}

// Create adds who's review of a published listing and counts it in the
// listing's rating in the same transaction.
func (s *Service) Create(ctx context.Context, who identity.Actor, k kind.Kind, ref string, d Draft) (Review, error) {
	if who.Anonymous() {
		return Review{}, apperr.Unauthorized("Log in to write a review.")
	}
	if p := d.problems(); len(p) > 0 {
		return Review{}, apperr.Validation(p)
	}
	now := s.now()
	row := reviewRow{ID: uuid.Must(uuid.NewV7()), AuthorID: who.ID, Rating: d.Rating, Body: d.Text,
		Status: string(StatusVisible), CreatedAt: now, UpdatedAt: now}
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{tx}
		listingID, err := st.publishedListing(ctx, k, ref)
		if err != nil {
			return err
		}
		row.ListingID = listingID
		if err := st.insert(ctx, row); err != nil {
			return err
		}
		ok, err := st.addRating(ctx, listingID, d.Rating)
		if err != nil {
			return err
		}
		if !ok { // unpublished between the lookup and now
			return apperr.Missing(string(k), ref)
		}
		row.AuthorName, err = st.authorName(ctx, who.ID)
		return err
	})
	if err != nil {
		return Review{}, fmt.Errorf("create review: %w", err)
	}
	s.cache.Invalidate()
	return row.toDomain(), nil
}

// Remove deletes who's own review, or hides someone else's when who is
// tourism staff or an admin. Either way a visible review leaves the listing's
// rating exactly once; hiding a hidden review changes nothing.
func (s *Service) Remove(ctx context.Context, who identity.Actor, id uuid.UUID) (Removal, error) {
	var outcome Removal
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{tx}
		r, err := st.forUpdate(ctx, id)
		if err != nil {
			return err
		}
		outcome = removalFor(who, r)
		to := StatusDeleted
		switch outcome {
		case RemovalDenied:
			return apperr.Denied("Only the author or tourism staff may remove this review.")
		case RemovalHidden:
			if r.Status == StatusHidden {
				return nil // idempotent: already out of the aggregate and the list
			}
			to = StatusHidden
		}
		now := s.now()
		changed, err := st.setStatus(ctx, id, r.Status, to, who.ID, now)
		if err != nil {
			return err
		}
		if !changed {
			return nil // someone else changed it first; they did the subtraction
		}
		if r.Status == StatusVisible {
			if err := st.subtractRating(ctx, r.ListingID, r.Rating); err != nil {
				return err
			}
		}
		if outcome == RemovalHidden {
			return audit.Record(ctx, tx, "review.hide", "review", id.String(),
				map[string]any{"listing_id": r.ListingID, "author_id": r.AuthorID, "rating": r.Rating})
		}
		return nil
	})
	if err != nil {
		return RemovalDenied, fmt.Errorf("remove review %s: %w", id, err)
	}
	s.cache.Invalidate()
	return outcome, nil
}
