package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/web"
)

// Links that outlive a request use the configured origin whatever Host and
// X-Forwarded-Proto the request carried; without one, the request's own.
func TestOrigin(t *testing.T) {
	gin.SetMode(gin.TestMode)
	serve := func(mw ...gin.HandlerFunc) string {
		r := gin.New()
		r.Use(mw...)
		r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, web.Origin(c)) })
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = "evil.example"
		req.Header.Set("X-Forwarded-Proto", "https")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	if got := serve(web.PublicOrigin("https://api.solo.example")); got != "https://api.solo.example" {
		t.Errorf("configured: %q", got)
	}
	if got := serve(); got != "https://evil.example" {
		t.Errorf("unconfigured: %q", got)
	}
}
