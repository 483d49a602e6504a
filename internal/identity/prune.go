package identity

import (
	"context"
	"sync/atomic"
	"time"
)

// Refresh tokens are pruned by the logins and refreshes themselves, at most
// once per pruneInterval per process and pruneBatch rows at a time, so the
// work is bounded and needs no scheduler. Expired tokens go at once; revoked
// ones are kept revokedRetention so a late reuse is still recognised and
// logged as such. Spent tokens of a live login stay until they expire: they
// are what reuse detection looks up.
const (
	pruneInterval    = 10 * time.Minute
	pruneBatch       = 1000
	revokedRetention = 24 * time.Hour
)

type pruner struct {
	every time.Duration
	batch int
	last  atomic.Int64 // unix nanoseconds of the last run
}

// pruneRefreshTokens deletes one batch of dead refresh tokens when the last
// run is older than the interval. Failing to prune never fails the caller.
func (s *Service) pruneRefreshTokens(ctx context.Context) {
	now := s.now()
	last := s.pruner.last.Load()
	if last != 0 && now.Sub(time.Unix(0, last)) < s.pruner.every {
		return
	}
	if !s.pruner.last.CompareAndSwap(last, now.UnixNano()) {
		return // another request is pruning
	}
	n, err := s.store().pruneRefresh(ctx, now, now.Add(-revokedRetention), s.pruner.batch)
	if err != nil {
		s.log.WarnContext(ctx, "prune refresh tokens", "err", err)
		return
	}
	if n > 0 {
		s.log.DebugContext(ctx, "pruned refresh tokens", "count", n)
	}
}
