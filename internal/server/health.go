package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

type healthResponse struct {
	Status string `json:"status" example:"ok"`
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
		c.JSON(http.StatusOK, healthResponse{Status: "ready"})
		return nil
	}
}
