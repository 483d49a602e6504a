package transport

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/platform/jobs"
	"github.com/solodestination/api/internal/platform/web"
)

// Minimum ridership (DOMAIN.md §4.2): a trip generated from a schedule with
// min_passengers carries a confirmation cutoff (confirm_by). At the cutoff
// the trip is confirmed if at least min_passengers seats are booked, and
// cancelled otherwise, with its bookings. A trip without confirm_by (one-off
// trips) runs as created, and so does one created after its cutoff had
// passed: a cutoff only decides trips that were bookable before it.

// RidershipCheck is the periodic job that decides the trips past their
// cutoff.
type RidershipCheck struct{}

// Kind names the job in the queue.
func (RidershipCheck) Kind() string { return "transport.ridership_check" }

// RegisterJobs adds the transport jobs to q: the ridership check every
// interval.
func (s *Service) RegisterJobs(q *jobs.Queue, every time.Duration) {
	jobs.Every[RidershipCheck](q, every, func(ctx context.Context) error {
		_, err := s.DecideRidership(ctx)
		return err
	})
}

// RidershipOutcome counts what one pass decided.
type RidershipOutcome struct {
	Confirmed, Cancelled int
}

// ridershipBatch bounds the trips one query of a pass loads.
const ridershipBatch = 200

// DecideRidership confirms or cancels every trip that is still scheduled and
// unconfirmed, has not departed and whose cutoff has passed at the service's
// clock (and came after the trip was created). Each trip is decided in its own transaction by one conditional
// UPDATE that repeats those conditions, so passes running at once on several
// replicas, or a pass run twice, decide each trip once and notify nobody
// twice. Trips without a cutoff are never touched. The decisions are audited
// with no actor: the job acts for the operator.
func (s *Service) DecideRidership(ctx context.Context) (RidershipOutcome, error) {
	var out RidershipOutcome
	if web.MetaFrom(ctx).ID == "" {
		ctx = web.WithMeta(ctx, web.RequestMeta{ID: "job:" + RidershipCheck{}.Kind()})
	}
	now := s.now()
	var after time.Time
	var afterID uuid.UUID
	for {
		var due []struct {
			ID        uuid.UUID
			ConfirmBy time.Time
		}
		// Uses the partial index on confirm_by of the trips still pending.
		err := s.db.WithContext(ctx).Table("transport_trips").Select("id", "confirm_by").
			Where("confirmed_at IS NULL AND status = 'scheduled' AND confirm_by IS NOT NULL AND confirm_by <= ? AND departs_at > ?", now, now).
			Where("confirm_by > created_at").
			Where("(confirm_by > ? OR (confirm_by = ? AND id > ?))", after, after, afterID).
			Order("confirm_by, id").Limit(ridershipBatch).Scan(&due).Error
		if err != nil {
			return out, fmt.Errorf("list trips past their cutoff: %w", err)
		}
		for _, t := range due {
			confirmed, cancelled, err := s.decideTrip(ctx, t.ID, now)
			if err != nil {
				return out, err
			}
			if confirmed {
				out.Confirmed++
			}
			if cancelled {
				out.Cancelled++
			}
		}
		if len(due) < ridershipBatch {
			return out, nil
		}
		after, afterID = due[len(due)-1].ConfirmBy, due[len(due)-1].ID
	}
}

// decideTrip confirms trip id, or cancels it for too few passengers, if it
// is still undecided at now; neither when another pass got there first.
func (s *Service) decideTrip(ctx context.Context, id uuid.UUID, now time.Time) (confirmed, cancelled bool, err error) {
	err = s.db.InTx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE transport_trips SET confirmed_at = ?, updated_at = ?
			WHERE id = ? AND status = 'scheduled' AND confirmed_at IS NULL AND confirm_by <= ? AND confirm_by > created_at
			AND departs_at > ? AND capacity - seats_available >= min_passengers`, now, now, id, now, now)
		if res.Error != nil {
			return fmt.Errorf("confirm trip: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			confirmed = true
			return audit.Record(ctx, tx, "transport_trip.confirm", "transport_trip", id.String(), nil)
		}
		var bookings int64
		cancelled, bookings, err = s.cancelTrip(ctx, tx, id, cancelMinPassengers, now)
		if err != nil || !cancelled {
			return err
		}
		return audit.Record(ctx, tx, "transport_trip.cancel", "transport_trip", id.String(),
			map[string]any{"reason": cancelMinPassengers, "bookings_cancelled": bookings})
	})
	return confirmed, cancelled, err
}
