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
// address (per /64 for IPv6).
func rateLimit(d Deps) gin.HandlerFunc {
	return ratelimit.New(d.Config.RateLimitReadsPerMin, d.Config.RateLimitWritesPerMin, clientKey).Middleware()
}

func clientKey(c *gin.Context) string {
	if who := identity.ActorFrom(c.Request.Context()); !who.Anonymous() {
		return "account:" + who.ID.String()
	}
	return "address:" + ratelimit.AddressKey(c.ClientIP())
}
