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
	"github.com/solodestination/api/pkg/cursor"
)

// Ratings keeps the rating aggregate of listings, which the catalog owns
// (*catalog.Service implements it). Both methods write with the caller's
// transaction, so a review and its count commit together.
type Ratings interface {
	// AddRating counts a new visible review; false means the listing is no
	// longer published.
	AddRating(ctx context.Context, tx *gorm.DB, listingID uuid.UUID, rating int) (bool, error)
	// SubtractRating takes a visible review out of the aggregate.
	SubtractRating(ctx context.Context, tx *gorm.DB, listingID uuid.UUID, rating int) error
}

// Authors names review authors; accounts belong to identity
// (*identity.Service implements it).
type Authors interface {
	Names(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]string, error)
}

// Service is the review use cases; it owns their transactions.
type Service struct {
	db      *database.DB
	now     func() time.Time
	ratings Ratings
	authors Authors
}

// NewService returns the review service over db.
func NewService(db *database.DB, ratings Ratings, authors Authors) *Service {
	return &Service{db: db, ratings: ratings, authors: authors, now: func() time.Time { return time.Now().UTC() }}
}

// List returns up to limit visible reviews of a published listing older
// than after (nil: the newest), newest first, and whether more follow.
func (s *Service) List(ctx context.Context, k kind.Kind, ref string, after *uuid.UUID, limit int) ([]Review, bool, error) {
	st := store{s.db.DB}
	listingID, err := st.publishedListing(ctx, k, ref)
	if err != nil {
		return nil, false, err
	}
	rs, err := st.visible(ctx, listingID, after, limit+1)
	if err != nil {
		return nil, false, err
	}
	rs, more := cursor.Cut(rs, limit)
	if err := s.name(ctx, rs); err != nil {
		return nil, false, err
	}
	return rs, more, nil
}

// name fills in the authors' names.
func (s *Service) name(ctx context.Context, rs []Review) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		ids[i] = r.AuthorID
	}
	names, err := s.authors.Names(ctx, ids)
	if err != nil {
		return fmt.Errorf("name review authors: %w", err)
	}
	for i := range rs {
		rs[i].AuthorName = names[rs[i].AuthorID]
	}
	return nil
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
		hidden, err := st.hiddenBy(ctx, listingID, who.ID)
		if err != nil {
			return err
		}
		if hidden {
			return apperr.StateConflict("conflict", "Your review of this listing was hidden by moderators; you cannot write another.")
		}
		if err := st.insert(ctx, row); err != nil {
			return err
		}
		ok, err := s.ratings.AddRating(ctx, tx, listingID, d.Rating)
		if err != nil {
			return err
		}
		if !ok { // unpublished between the lookup and now
			return apperr.Missing(string(k), ref)
		}
		return nil
	})
	if err != nil {
		return Review{}, fmt.Errorf("create review: %w", err)
	}
	r := []Review{row.toDomain()}
	if err := s.name(ctx, r); err != nil {
		return Review{}, err
	}
	return r[0], nil
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
			to = StatusHidden
		}
		if r.Status == StatusHidden {
			// Already out of the aggregate and the list. The author's delete
			// changes nothing either: a hidden review keeps its author's one
			// slot, or deleting it and posting again would undo moderation.
			return nil
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
			if err := s.ratings.SubtractRating(ctx, tx, r.ListingID, r.Rating); err != nil {
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
	return outcome, nil
}
