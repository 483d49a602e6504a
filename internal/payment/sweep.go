package payment

import (
	"context"
	"fmt"
	"time"

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
		if res.RowsAffected < sweepBatch {
			return total, nil
		}
	}
}
