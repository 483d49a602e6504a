package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

type healthResponse struct {
	Status string `json:"status" example:"ok"`
	// Redis is "up" or "down" when REDIS_URL is set, absent otherwise. A
	// Redis outage leaves the instance ready: reads and writes go on
	// without their rate limits and logins are refused until it is back.
	Redis string `json:"redis,omitempty" enums:"up,down" example:"up"`
} // @name Health

// healthz handles GET /healthz (described in cmd/oas3/platform.yaml).
func healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, healthResponse{Status: "ok"})
}

// readyz handles GET /readyz (described in cmd/oas3/platform.yaml).
func readyz(d Deps) web.HandlerFunc {
	return func(c *gin.Context) error {
		c.Header("Cache-Control", "no-store")
		if d.Draining.Load() {
			return &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", Detail: "The instance is shutting down.", RetryAfter: time.Second}
		}
		if err := d.DB.Ping(c.Request.Context()); err != nil {
			return &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", Detail: "The database is unreachable.",
				RetryAfter: web.DatabaseRetryAfter, Err: err}
		}
		res := healthResponse{Status: "ready"}
		if d.Redis != nil {
			res.Redis = "up"
			ctx, cancel := context.WithTimeout(c.Request.Context(), time.Second)
			defer cancel()
			if err := d.Redis.Ping(ctx).Err(); err != nil {
				res.Redis = "down"
				redisDownWarnings.Do(func() {
					web.Logger(c).Warn("redis unreachable; logins are refused and rate limits are off until it answers (logged at most every 10 s)", "err", err)
				})
			}
		}
		c.JSON(http.StatusOK, res)
		return nil
	}
}

// redisDownWarnings bounds the warnings /readyz writes while Redis is down:
// anyone may call it, as often as they like.
var redisDownWarnings = rate.Sometimes{Interval: 10 * time.Second}
