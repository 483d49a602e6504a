// Package cachesync keeps the response caches of replicas coherent: a
// catalog write on one replica publishes an invalidation, and every replica
// that hears it empties its own cache. The message goes through Redis
// pub/sub when REDIS_URL is set, else through PostgreSQL LISTEN/NOTIFY; on
// SQLite (one node) nothing is sent. A lost message (a reconnect) is covered
// by the cache's own TTL; a PostgreSQL listener that reconnects also empties
// its cache once, since it may have missed messages meanwhile.
package cachesync

import (
	"context"
	"crypto/rand"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// Bus publishes invalidations and delivers the other replicas' ones.
type Bus struct {
	// id marks this replica's messages, which it ignores: its own cache
	// was emptied when it published.
	id      string
	publish func(ctx context.Context) error
	ctx     context.Context
	stop    context.CancelFunc
	done    sync.WaitGroup // the listener
	log     *slog.Logger

	mu      sync.Mutex
	closed  bool
	pending sync.WaitGroup // publications in flight
}

func newBus(log *slog.Logger) *Bus {
	ctx, cancel := context.WithCancel(context.Background())
	return &Bus{id: rand.Text(), ctx: ctx, stop: cancel, log: log}
}

// publishTimeout bounds one publication; it runs outside the request.
const publishTimeout = 2 * time.Second

// Publish tells the other replicas to empty their caches. It
// returns at once: the message is sent in the background, and a failure is
// logged (the TTL still bounds staleness).
func (b *Bus) Publish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.pending.Add(1)
	go func() {
		defer b.pending.Done()
		ctx, cancel := context.WithTimeout(b.ctx, publishTimeout)
		defer cancel()
		if err := b.publish(ctx); err != nil && b.ctx.Err() == nil {
			b.log.Warn("cache invalidation not published; other replicas catch up within the cache TTL", "err", err)
		}
	}()
}

// Close stops listening and publishing and waits for both to end.
func (b *Bus) Close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.stop()
	b.done.Wait()
	b.pending.Wait()
}

// subscribeWait is how long a new Bus waits for its subscription to be in
// place before going on (it keeps trying in the background).
const subscribeWait = 2 * time.Second

// Redis publishes on channel of client and calls onMessage for every
// message on it, resubscribing after a lost connection.
func Redis(client *redis.Client, channel string, onMessage func(), log *slog.Logger) *Bus {
	b := newBus(log)
	b.publish = func(ctx context.Context) error { return client.Publish(ctx, channel, b.id).Err() }
	ctx := b.ctx
	ps := client.Subscribe(ctx, channel)
	wait, cancelWait := context.WithTimeout(ctx, subscribeWait)
	if _, err := ps.Receive(wait); err != nil {
		log.Warn("cache invalidations: Redis subscription not in place yet; retrying", "err", err)
	}
	cancelWait()
	// A pub/sub connection waits for messages indefinitely, whatever the
	// client's read timeout; Channel pings it and reconnects when it drops.
	msgs := ps.Channel(redis.WithChannelHealthCheckInterval(5 * time.Second))
	b.done.Add(1)
	go func() {
		defer b.done.Done()
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				if m.Payload != b.id {
					onMessage()
				}
			}
		}
	}()
	return b
}

// Postgres publishes with NOTIFY on channel (an identifier) through the
// pool of db, and LISTENs on a connection of its own from connect, opening
// another after a failure.
func Postgres(db *sql.DB, connect func(context.Context) (*pgx.Conn, error), channel string, onMessage func(), log *slog.Logger) *Bus {
	b := newBus(log)
	b.publish = func(ctx context.Context) error {
		_, err := db.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, b.id)
		return err
	}
	ctx := b.ctx
	ready := make(chan struct{})
	var once sync.Once
	b.done.Add(1)
	go func() {
		defer b.done.Done()
		first := true
		for ctx.Err() == nil {
			err := listen(ctx, connect, channel, b.id, func() {
				once.Do(func() { close(ready) })
				if !first {
					onMessage() // messages may have been missed while reconnecting
				}
				first = false
			}, onMessage)
			if ctx.Err() != nil {
				return
			}
			log.Warn("cache invalidations: PostgreSQL listener lost; reconnecting", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(subscribeWait):
		log.Warn("cache invalidations: PostgreSQL listener not in place yet; retrying")
	}
	return b
}

// listen runs LISTEN on a new connection and waits for notifications until
// ctx ends or the connection fails.
func listen(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), channel, self string, listening, onMessage func()) error {
	dial, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := connect(dial)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != self {
			onMessage()
		}
	}
}
