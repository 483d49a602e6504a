package catalog

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
)

// The rating aggregate (rating_sum, rating_count, rating_avg) is the
// catalog's: reviews change it only through these methods, inside their own
// transaction tx, so a review and its count commit or roll back together.

// AddRating counts a new visible review in the listing's aggregate with one
// atomic UPDATE (the database adds, never Go), only while the listing is
// published. False means the listing is no longer published.
func (s *Service) AddRating(ctx context.Context, tx *gorm.DB, listingID uuid.UUID, rating int) (bool, error) {
	res := tx.WithContext(ctx).Exec(`UPDATE listings SET
		rating_sum = rating_sum + ?,
		rating_count = rating_count + 1,
		rating_avg = (rating_sum + ?) * 1.0 / (rating_count + 1)
		WHERE id = ? AND status = 'published'`, rating, rating, listingID)
	if res.Error != nil {
		return false, fmt.Errorf("add rating: %w", res.Error)
	}
	s.purgeAfterCommit(tx)
	return res.RowsAffected == 1, nil
}

// SubtractRating takes a visible review out of the aggregate. SET
// expressions see the row's old values on both engines.
func (s *Service) SubtractRating(ctx context.Context, tx *gorm.DB, listingID uuid.UUID, rating int) error {
	res := tx.WithContext(ctx).Exec(`UPDATE listings SET
		rating_sum = rating_sum - ?,
		rating_count = rating_count - 1,
		rating_avg = CASE WHEN rating_count <= 1 THEN 0 ELSE (rating_sum - ?) * 1.0 / (rating_count - 1) END
		WHERE id = ? AND rating_count > 0`, rating, rating, listingID)
	if res.Error != nil {
		return fmt.Errorf("subtract rating: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("subtract rating: listing %s has no rating to subtract from", listingID)
	}
	s.purgeAfterCommit(tx)
	return nil
}

// purgeAfterCommit empties the public response cache once tx has
// committed: a purge before the commit would let a reader cache the old
// state again, and a rolled-back write has nothing to purge.
func (s *Service) purgeAfterCommit(tx *gorm.DB) {
	database.AfterCommit(tx, s.cache.Invalidate) // a nil cache ignores it
}
