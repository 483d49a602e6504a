package server_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/config"
)

func rateLimited(reads, writes int) apitest.Option {
	return func(c *config.Config) { c.RateLimitReadsPerMin, c.RateLimitWritesPerMin = reads, writes }
}

func expectBudget(t *testing.T, r *apitest.Response, limit, remaining int) {
	t.Helper()
	if got := r.Header.Get("RateLimit-Limit"); got != strconv.Itoa(limit) {
		t.Fatalf("RateLimit-Limit = %q, want %d", got, limit)
	}
	if got := r.Header.Get("RateLimit-Remaining"); got != strconv.Itoa(remaining) {
		t.Fatalf("RateLimit-Remaining = %q, want %d", got, remaining)
	}
	if reset, err := strconv.Atoi(r.Header.Get("RateLimit-Reset")); err != nil || reset < 0 || reset > 60 {
		t.Fatalf("RateLimit-Reset = %q, want seconds within the minute", r.Header.Get("RateLimit-Reset"))
	}
}

func TestAnonymousReadsAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, rateLimited(5, 100))
	get := func(addr string) *apitest.Response {
		return api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/categories", RemoteAddr: addr})
	}
	for i := range 5 {
		expectBudget(t, get("198.51.100.7:1000").Expect(http.StatusOK), 5, 4-i)
	}
	over := get("198.51.100.7:2000")
	over.ExpectProblem(http.StatusTooManyRequests, "rate_limited")
	expectBudget(t, over, 5, 0)
	if s, err := strconv.Atoi(over.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Fatalf("Retry-After = %q", over.Header.Get("Retry-After"))
	}
	get("198.51.100.8:1000").Expect(http.StatusOK) // another address has its own budget

	// One IPv6 subscriber picks any address in its /64: they share a budget.
	for range 5 {
		get("[2001:db8:1:2::1]:1000").Expect(http.StatusOK)
	}
	get("[2001:db8:1:2::ffff]:1000").ExpectProblem(http.StatusTooManyRequests, "rate_limited")
	get("[2001:db8:1:3::1]:1000").Expect(http.StatusOK)

	// Probes stay outside the API's limits.
	for range 10 {
		if r := api.Do(apitest.Req{Method: http.MethodGet, Path: "/healthz", RemoteAddr: "198.51.100.7:1000"}); r.Code != 200 {
			t.Fatalf("/healthz = %d", r.Code)
		}
	}
}

// Signed-in callers have their own budget, whatever address they share
// with others (carrier NAT), and keep it when their address changes.
func TestSignedInCallersAreLimitedPerAccount(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, rateLimited(3, 100))
	amina := api.User("amina")
	const nat = "203.0.113.9:4000"
	for range 3 {
		api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/categories", RemoteAddr: nat}).Expect(http.StatusOK)
	}
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/categories", RemoteAddr: nat}).
		ExpectProblem(http.StatusTooManyRequests, "rate_limited")
	for i := range 3 {
		r := api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me", As: amina, RemoteAddr: nat}).Expect(http.StatusOK)
		expectBudget(t, r, 3, 2-i)
	}
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me", As: amina, RemoteAddr: "198.51.100.50:1"}).
		ExpectProblem(http.StatusTooManyRequests, "rate_limited")
}

// Registration is a write: one address cannot create accounts (and start
// 19 MiB password hashes) without end.
func TestRegistrationIsLimitedPerAddress(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, rateLimited(100, 3))
	register := func(i int, addr string) *apitest.Response {
		return api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/auth/register", RemoteAddr: addr,
			Body: map[string]any{"email": fmt.Sprintf("flood%d@example.org", i), "password": apitest.Password, "name": "Flood"}})
	}
	for i := range 3 {
		expectBudget(t, register(i, "198.51.100.20:1").Expect(http.StatusCreated), 3, 2-i)
	}
	r := register(3, "198.51.100.20:1")
	r.ExpectProblem(http.StatusTooManyRequests, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	register(4, "198.51.100.21:1").Expect(http.StatusCreated)
	var n int64
	api.DB.Raw("SELECT COUNT(*) FROM users WHERE email LIKE 'flood%'").Scan(&n)
	if n != 4 {
		t.Fatalf("%d accounts created, want 4", n)
	}
}

// With the limits off (the test harness default, or 0 in the environment)
// nothing is counted and no RateLimit headers are sent.
func TestRateLimitsOff(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	for range 50 {
		r := api.Get("/api/v1/categories", apitest.Anonymous).Expect(http.StatusOK)
		if r.Header.Get("RateLimit-Limit") != "" {
			t.Fatal("RateLimit headers with limits off")
		}
	}
	reads := apitest.New(t, rateLimited(0, 2))
	for range 20 {
		reads.Get("/api/v1/categories", apitest.Anonymous).Expect(http.StatusOK)
	}
}
