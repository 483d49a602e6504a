package ratelimit

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RedisGCRA counts perMinute requests per key in Redis under prefix with the
// generic cell rate algorithm (go-redis's redis_rate): the budget refills
// evenly, one request every 60/perMinute seconds, up to perMinute at once.
// Unlike a fixed window, no window boundary lets a client spend two budgets
// back to back, and every replica naming the same Redis shares the count.
// Redis runs the algorithm in one script, so replicas never race on a key.
func RedisGCRA(client *redis.Client, prefix string, perMinute int) Counter {
	return gcra{lim: redis_rate.NewLimiter(client), prefix: prefix, limit: redis_rate.PerMinute(perMinute)}
}

type gcra struct {
	lim    *redis_rate.Limiter
	prefix string
	limit  redis_rate.Limit
}

func (g gcra) Take(ctx context.Context, key string) (Window, error) {
	r, err := g.lim.Allow(ctx, g.prefix+key, g.limit)
	if err != nil {
		return Window{}, err
	}
	w := Window{Limit: int64(g.limit.Burst), Remaining: int64(r.Remaining), Reached: r.Allowed == 0}
	// Refused: the next request is let through after RetryAfter. Allowed:
	// the whole budget is back after ResetAfter.
	if w.Reached {
		w.Reset = time.Now().Add(r.RetryAfter)
	} else {
		w.Reset = time.Now().Add(r.ResetAfter)
	}
	return w, nil
}
