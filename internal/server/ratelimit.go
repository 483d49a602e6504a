package server

import (
	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/ratelimit"
)

// rateLimit limits /api/v1 per client (RATE_LIMIT_READS_PER_MIN,
// RATE_LIMIT_WRITES_PER_MIN). It runs after authentication, so signed-in
// callers are counted per account: thousands of phones behind one carrier
// NAT address must not share one budget. Anonymous callers are counted per
// address (per /64 for IPv6). With REDIS_URL the counts live in Redis and
// hold across replicas, counted by GCRA (an evenly refilling budget, no
// window boundary to burst across); while Redis fails, requests are let
// through.
func rateLimit(d Deps) gin.HandlerFunc {
	if d.Redis == nil {
		return ratelimit.New(d.Config.RateLimitReadsPerMin, d.Config.RateLimitWritesPerMin, clientKey).Middleware()
	}
	l := &ratelimit.Limits{Key: clientKey}
	if n := d.Config.RateLimitReadsPerMin; n > 0 {
		l.Reads = ratelimit.RedisGCRA(d.Redis, d.Config.RedisKeyPrefix+"ratelimit:reads:", n)
	}
	if n := d.Config.RateLimitWritesPerMin; n > 0 {
		l.Writes = ratelimit.RedisGCRA(d.Redis, d.Config.RedisKeyPrefix+"ratelimit:writes:", n)
	}
	return l.Middleware()
}

func clientKey(c *gin.Context) string {
	if who := identity.ActorFrom(c.Request.Context()); !who.Anonymous() {
		return "account:" + who.ID.String()
	}
	return "address:" + ratelimit.AddressKey(c.ClientIP())
}
