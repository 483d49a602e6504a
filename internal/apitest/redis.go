package apitest

import (
	"fmt"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/config"
)

// RedisAddr is the Redis the tests share (this machine's, and CI's).
const RedisAddr = "127.0.0.1:6379"

var redisKeys atomic.Int64

// Redis points the API (and its replicas, which copy its configuration) at
// the test Redis under a key prefix of this test's own, so tests running at
// once never count into each other's keys. Without a reachable Redis the
// test is skipped, except in CI (CI set), where it fails.
func Redis(t testing.TB) Option {
	t.Helper()
	c, err := net.DialTimeout("tcp", RedisAddr, time.Second)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no Redis on %s: %v", RedisAddr, err)
		}
		t.Fatalf("no Redis on %s (required in CI): %v", RedisAddr, err)
	}
	c.Close()
	prefix := fmt.Sprintf("test:%s:%d:%d:", strings.ReplaceAll(t.Name(), "/", "."), time.Now().UnixNano(), redisKeys.Add(1))
	return func(cfg *config.Config) {
		cfg.RedisURL = "redis://" + RedisAddr + "/0"
		cfg.RedisKeyPrefix = prefix
	}
}

// RedisDown points the API at a Redis that refuses every connection (a
// port nothing listens on), as during a Redis outage.
func RedisDown(t testing.TB) Option {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return func(cfg *config.Config) {
		cfg.RedisURL = "redis://" + addr + "/0"
		cfg.RedisKeyPrefix = "test:down:"
	}
}
