// Package cachesync keeps the in-memory caches of replicas coherent: a
// write on one replica publishes an invalidation of a topic (the catalog's
// responses, the accounts behind access tokens), and every replica that
// hears it empties its own cache of that topic. The message goes through
// Redis pub/sub when REDIS_URL is set, else through PostgreSQL
// LISTEN/NOTIFY; on SQLite (one node) nothing is sent. A lost message (a
// reconnect) is covered by each cache's own TTL; a PostgreSQL listener that
// reconnects also empties every topic once, since it may have missed
// messages meanwhile.
package cachesync

import (
	"context"
	"crypto/rand"
	"database/sql"
	"log/slog"
	"strings"
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
	publish func(ctx context.Context, payload string) error
	ctx     context.Context
	stop    context.CancelFunc
	done    sync.WaitGroup // the listener
	log     *slog.Logger

	mu       sync.Mutex
	closed   bool
	pending  sync.WaitGroup // publications in flight
	handlers map[string]func()
}

// On makes every invalidation of topic that another replica publishes call
// empty. Register the topics before the first write.
func (b *Bus) On(topic string, empty func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handlers[topic] = empty
}

// deliver runs the handler of a message's payload, "<replica> <topic>". A
// message of this replica is ignored; one without a topic (from a replica
// that predates topics) or a reconnect empties every topic.
func (b *Bus) deliver(payload string) {
	from, topic, _ := strings.Cut(payload, " ")
	if from == b.id {
		return
	}
	b.mu.Lock()
	var run []func()
	for t, h := range b.handlers {
		if topic == "" || t == topic {
			run = append(run, h)
		}
	}
	b.mu.Unlock()
	for _, h := range run {
		h()
	}
}

func newBus(log *slog.Logger) *Bus {
	ctx, cancel := context.WithCancel(context.Background())
	return &Bus{id: rand.Text(), ctx: ctx, stop: cancel, log: log, handlers: map[string]func(){}}
}

// publishTimeout bounds one publication; it runs outside the request.
const publishTimeout = 2 * time.Second

// Publish tells the other replicas to empty their caches of topic. It
// returns at once: the message is sent in the background, and a failure is
// logged (the TTL still bounds staleness).
func (b *Bus) Publish(topic string) {
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
		if err := b.publish(ctx, b.id+" "+topic); err != nil && b.ctx.Err() == nil {
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

// Redis publishes on channel of client and delivers every message on it,
// resubscribing after a lost connection.
func Redis(client *redis.Client, channel string, log *slog.Logger) *Bus {
	b := newBus(log)
	b.publish = func(ctx context.Context, payload string) error { return client.Publish(ctx, channel, payload).Err() }
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
				b.deliver(m.Payload)
			}
		}
	}()
	return b
}

// Postgres publishes with NOTIFY on channel (an identifier) through the
// pool of db, and LISTENs on a connection of its own from connect, opening
// another after a failure.
func Postgres(db *sql.DB, connect func(context.Context) (*pgx.Conn, error), channel string, log *slog.Logger) *Bus {
	b := newBus(log)
	b.publish = func(ctx context.Context, payload string) error {
		_, err := db.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, payload)
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
			err := listen(ctx, connect, channel, func() {
				once.Do(func() { close(ready) })
				if !first {
					b.deliver("") // messages may have been missed while reconnecting
				}
				first = false
			}, b.deliver)
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
func listen(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), channel string, listening func(), deliver func(payload string)) error {
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
		deliver(n.Payload)
	}
}
