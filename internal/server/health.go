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

// healthz handles GET /healthz.
//
//	@Summary	Liveness
//	@Tags		platform
//	@Produce	json
//	@Success	200	{object}	healthResponse
//	@Router		/healthz [get]
func healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, healthResponse{Status: "ok"})
}

// readyz handles GET /readyz.
//
//	@Summary		Readiness
//	@Description	200 while the database answers; 503 when it does not or while the instance is shutting down.
//	@Tags			platform
//	@Produce		json
//	@Success		200	{object}	healthResponse
//	@Failure		503	{object}	problem.Problem
//	@Router			/readyz [get]
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

// metricsDoc documents GET /metrics, served by promhttp.
//
//	@Summary		Prometheus metrics
//	@Description	Requests by route template, method and status; latency histogram; database pool; Go runtime and process.
//	@Tags			platform
//	@Produce		plain
//	@Success		200	{string}	string	"Prometheus text exposition format"
//	@Router			/metrics [get]
func metricsDoc() {}
