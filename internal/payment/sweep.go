package payment

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/jobs"
)

// ExpirySweep is the periodic job that expires pending payments whose offer
// has run out.
type ExpirySweep struct{}

// Kind names the job in the queue.
func (ExpirySweep) Kind() string { return "payment.expiry_sweep" }

// SweepInterval is how often the sweep runs.
const SweepInterval = time.Minute

// NotifyGrace is how long after a payment's expiry the sweep leaves it
// pending: a notification of a payment made just before the end may still
// be on its way, and would otherwise find the payment expired and become a
// refund.
const NotifyGrace = 15 * time.Minute

// sweepBatch bounds the rows one UPDATE of a sweep touches.
const sweepBatch = 500

// RegisterJobs adds the payment jobs to q: the expiry sweep every interval.
func (s *Service) RegisterJobs(q *jobs.Queue, every time.Duration) {
	jobs.Every[ExpirySweep](q, every, func(ctx context.Context) error {
		if _, err := s.Reconcile(ctx); err != nil {
			return err
		}
		_, err := s.ExpireOverdue(ctx)
		return err
	})
}

// ExpireOverdue moves every payment still pending NotifyGrace after its
// expiry to expired and reports how many. Each batch is one conditional
// UPDATE that repeats "still pending", so a notification racing it, a
// start superseding the payment or a second sweep on another replica
// decide each payment once.
func (s *Service) ExpireOverdue(ctx context.Context) (int64, error) {
	now := s.now()
	cutoff := now.Add(-NotifyGrace)
	var total int64
	for {
		res := s.db.WithContext(ctx).Exec(`UPDATE payments SET status = ?, updated_at = ?
			WHERE status = ? AND id IN (SELECT id FROM payments WHERE status = ? AND expires_at <= ? LIMIT ?)`,
			string(Expired), now, string(Pending), string(Pending), cutoff, sweepBatch)
		if res.Error != nil {
			return total, fmt.Errorf("expire payments: %w", res.Error)
		}
		total += res.RowsAffected
		s.metrics.entered(nil, Expired, res.RowsAffected)
		if res.RowsAffected < sweepBatch {
			return total, nil
		}
	}
}

// ReconcileAfter is how long a payment waits for its notification before
// the sweep asks the gateway instead.
const ReconcileAfter = 5 * time.Minute

// reconcileBatch bounds the payments one pass asks the gateway about.
const reconcileBatch = 100

// Reconcile asks a gateway that can answer (a Reconciler) about payments
// pending for ReconcileAfter, oldest first, and applies each answer as the
// notification it stands for: through Verify and the same state machine,
// so a lost notification settles the payment and a repeated one changes
// nothing. A payment the gateway cannot answer for is left to the next
// pass. It reports how many answers were applied.
func (s *Service) Reconcile(ctx context.Context) (int, error) {
	rec, ok := s.gateway.(Reconciler)
	if !ok {
		return 0, nil
	}
	var ids []uuid.UUID
	err := s.db.WithContext(ctx).Model(&paymentRow{}).
		Where("status = ? AND provider = ? AND created_at <= ?", string(Pending), s.gateway.Name(), s.now().Add(-ReconcileAfter)).
		Order("created_at").Limit(reconcileBatch).Pluck("id", &ids).Error
	if err != nil {
		return 0, fmt.Errorf("list payments to reconcile: %w", err)
	}
	applied := 0
	for _, id := range ids {
		body, err := rec.StatusBody(ctx, id)
		if err != nil {
			continue
		}
		if _, err := s.notify(ctx, http.Header{}, body, nil); err != nil {
			if apperr.KindOf(err) == apperr.Internal {
				return applied, err
			}
			continue // refused (unknown there, bad signature): not ours to settle
		}
		applied++
	}
	return applied, nil
}
