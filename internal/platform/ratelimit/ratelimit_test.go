package ratelimit_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/ratelimit"
)

func engine(l *ratelimit.Limits) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	v1 := r.Group("/api/v1", l.Middleware())
	ok := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	v1.POST("/payments/webhook", ok)
	v1.POST("/reviews", ok)
	v1.GET("/reviews", ok)
	return r
}

func send(h http.Handler, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

// The signed payment webhook is never limited, however often the gateway
// calls, while every other write from the same client is.
func TestWebhookIsExempt(t *testing.T) {
	h := engine(ratelimit.New(2, 2, func(*gin.Context) string { return "one client" }))
	for range 20 {
		r := send(h, http.MethodPost, "/api/v1/payments/webhook")
		if r.Code != http.StatusNoContent || r.Header().Get("RateLimit-Limit") != "" {
			t.Fatalf("webhook: %d %v", r.Code, r.Header())
		}
	}
	for range 2 {
		if r := send(h, http.MethodPost, "/api/v1/reviews"); r.Code != http.StatusNoContent {
			t.Fatalf("write within the limit: %d", r.Code)
		}
	}
	if r := send(h, http.MethodPost, "/api/v1/reviews"); r.Code != http.StatusTooManyRequests {
		t.Fatalf("write over the limit: %d", r.Code)
	}
	// Reads have their own budget.
	if r := send(h, http.MethodGet, "/api/v1/reviews"); r.Code != http.StatusNoContent {
		t.Fatalf("read after writes ran out: %d", r.Code)
	}
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"198.51.100.7":             "198.51.100.7",
		"::ffff:198.51.100.7":      "198.51.100.7",
		"2001:db8:1:2:aaaa::1":     "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::": "2001:db8:1:2::/64",
		"not an address":           "not an address",
	} {
		if got := ratelimit.AddressKey(in); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", in, got, want)
		}
	}
}
