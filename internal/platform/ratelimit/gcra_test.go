package ratelimit_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/solodestination/api/internal/platform/ratelimit"
)

// testRedis is the shared test Redis (skipped without it, failed in CI).
func testRedis(t *testing.T) *redis.Client {
	t.Helper()
	const addr = "127.0.0.1:6379"
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no Redis on %s: %v", addr, err)
		}
		t.Fatalf("no Redis on %s (required in CI): %v", addr, err)
	}
	c.Close()
	client, err := ratelimit.OpenRedis("redis://" + addr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

// A budget of 3 a minute lets 3 through at once, then refuses the next
// until one request's worth (20 s) has refilled — not until a minute
// window ends, as a fixed window would. Two counters on the same Redis (two
// replicas) share the budget.
func TestRedisGCRA(t *testing.T) {
	client := testRedis(t)
	prefix := fmt.Sprintf("test:gcra:%d:", time.Now().UnixNano())
	a := ratelimit.RedisGCRA(client, prefix, 3)
	b := ratelimit.RedisGCRA(client, prefix, 3)
	ctx := context.Background()
	for i, c := range []ratelimit.Counter{a, b, a} {
		w, err := c.Take(ctx, "address:198.51.100.7")
		if err != nil {
			t.Fatal(err)
		}
		if w.Reached || w.Limit != 3 || w.Remaining != int64(2-i) {
			t.Fatalf("request %d: %+v, want allowed with %d left of 3", i+1, w, 2-i)
		}
	}
	w, err := b.Take(ctx, "address:198.51.100.7")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Reached || w.Remaining != 0 {
		t.Fatalf("4th request: %+v, want refused", w)
	}
	if wait := time.Until(w.Reset); wait < 15*time.Second || wait > 21*time.Second {
		t.Fatalf("4th request may retry in %v, want about 20 s (one request's refill)", wait)
	}
	// Another key has its own budget.
	if w, err := a.Take(ctx, "address:198.51.100.8"); err != nil || w.Reached || w.Remaining != 2 {
		t.Fatalf("other key: %+v, %v", w, err)
	}
}
