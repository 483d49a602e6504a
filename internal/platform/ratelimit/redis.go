package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/ulule/limiter/v3"
	sredis "github.com/ulule/limiter/v3/drivers/store/redis"
	"golang.org/x/time/rate"
)

// OpenRedis connects to the Redis at url (redis:// or rediss://) with short
// timeouts and no retries: a limit that cannot be counted at once is decided
// by its caller (let through, or refused), never waited for.
func OpenRedis(url string) (*redis.Client, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	o.DialTimeout = 500 * time.Millisecond
	o.ReadTimeout = 500 * time.Millisecond
	o.WriteTimeout = 500 * time.Millisecond
	o.MaxRetries = -1   // none
	o.DialerRetries = 1 // one dial per command, no back-off between dials
	quietRedisLog.Do(func() { redis.SetLogger(&redisLog{every: rate.Sometimes{Interval: 10 * time.Second}}) })
	return redis.NewClient(o), nil
}

var quietRedisLog sync.Once

// redisLog takes go-redis's own messages (while Redis is down, one per
// command that fails to dial) into the structured log, at most one per
// 10 s: requests must not be able to fill the log.
type redisLog struct{ every rate.Sometimes }

func (l *redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.every.Do(func() {
		slog.WarnContext(ctx, "redis client (logged at most every 10 s)", "detail", fmt.Sprintf(format, v...))
	})
}

// RedisStore is ulule/limiter's Redis store under prefix, shared by every
// replica that names the same Redis. The store loads its scripts when it is
// first used rather than when it is built, so an API started while Redis is
// down serves (its callers decide what a failed count means) and starts
// counting in Redis once it answers.
func RedisStore(client *redis.Client, prefix string) limiter.Store {
	return &lazyStore{client: client, prefix: prefix}
}

type lazyStore struct {
	client *redis.Client
	prefix string
	mu     sync.Mutex
	store  limiter.Store
}

func (l *lazyStore) load() (limiter.Store, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.store == nil {
		s, err := sredis.NewStoreWithOptions(l.client, limiter.StoreOptions{Prefix: l.prefix})
		if err != nil {
			return nil, err
		}
		l.store = s
	}
	return l.store, nil
}

func (l *lazyStore) Get(ctx context.Context, key string, rate limiter.Rate) (limiter.Context, error) {
	s, err := l.load()
	if err != nil {
		return limiter.Context{}, err
	}
	return s.Get(ctx, key, rate)
}

func (l *lazyStore) Peek(ctx context.Context, key string, rate limiter.Rate) (limiter.Context, error) {
	s, err := l.load()
	if err != nil {
		return limiter.Context{}, err
	}
	return s.Peek(ctx, key, rate)
}

func (l *lazyStore) Reset(ctx context.Context, key string, rate limiter.Rate) (limiter.Context, error) {
	s, err := l.load()
	if err != nil {
		return limiter.Context{}, err
	}
	return s.Reset(ctx, key, rate)
}

func (l *lazyStore) Increment(ctx context.Context, key string, count int64, rate limiter.Rate) (limiter.Context, error) {
	s, err := l.load()
	if err != nil {
		return limiter.Context{}, err
	}
	return s.Increment(ctx, key, count, rate)
}
