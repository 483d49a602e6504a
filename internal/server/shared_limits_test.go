package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

func login(api *apitest.API, email, password, addr string) *apitest.Response {
	return api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/auth/login", RemoteAddr: addr,
		Body: map[string]any{"email": email, "password": password}})
}

func readiness(t *testing.T, api *apitest.API) string {
	t.Helper()
	var body struct{ Status, Redis string }
	api.Get("/readyz", apitest.Actor{}).Expect(http.StatusOK).JSON(&body)
	if body.Status != "ready" {
		t.Fatalf("/readyz status = %q", body.Status)
	}
	return body.Redis
}

// With REDIS_URL, a lock-out earned on one replica holds on another: the
// failures are counted once, in Redis, not once per process.
func TestLoginLockOutHoldsAcrossReplicas(t *testing.T) {
	t.Parallel()
	a := apitest.New(t, apitest.Redis(t))
	b := a.Replica()
	if got := readiness(t, a); got != "up" {
		t.Fatalf("/readyz redis = %q, want up", got)
	}
	u := a.User("target")
	for i := range 10 {
		replica := a
		if i%2 == 1 {
			replica = b
		}
		login(replica, u.Email, "wrong-password", "198.51.100."+strconv.Itoa(i+1)+":4000").Expect(http.StatusUnauthorized)
	}
	for _, replica := range []*apitest.API{a, b} {
		r := login(replica, u.Email, apitest.Password, "198.51.100.99:4000")
		r.ExpectProblem(http.StatusTooManyRequests, "rate_limited")
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 15*60 {
			t.Fatalf("Retry-After = %q", r.Header.Get("Retry-After"))
		}
	}
	// Another account is not locked, on either replica.
	other := a.User("other")
	login(b, other.Email, apitest.Password, "198.51.100.99:4000").Expect(http.StatusOK)
}

// With REDIS_URL, a rate limit spent on one replica holds on the other.
func TestRateLimitHoldsAcrossReplicas(t *testing.T) {
	t.Parallel()
	a := apitest.New(t, apitest.Redis(t), rateLimited(3, 100))
	b := a.Replica()
	get := func(api *apitest.API) *apitest.Response {
		return api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/categories", RemoteAddr: "198.51.100.7:1000"})
	}
	expectBudget(t, get(a).Expect(http.StatusOK), 3, 2)
	expectBudget(t, get(b).Expect(http.StatusOK), 3, 1)
	expectBudget(t, get(a).Expect(http.StatusOK), 3, 0)
	get(b).ExpectProblem(http.StatusTooManyRequests, "rate_limited")
	get(a).ExpectProblem(http.StatusTooManyRequests, "rate_limited")
	// Another address has its own budget, shared too.
	other := apitest.Req{Method: http.MethodGet, Path: "/api/v1/categories", RemoteAddr: "198.51.100.8:1000"}
	expectBudget(t, b.Do(other).Expect(http.StatusOK), 3, 2)
}

// With Redis unreachable the API keeps serving: reads and writes go
// through without a limit, logins are refused with 503 and Retry-After
// (never an unlimited number of guesses), and /readyz stays 200 saying
// Redis is down.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	up := apitest.New(t, rateLimited(2, 2))
	u := up.User("amina") // signed in before the outage
	api := up.ReplicaWith(apitest.RedisDown(t))
	for range 5 {
		r := api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/categories", RemoteAddr: "198.51.100.7:1000"})
		r.Expect(http.StatusOK)
		if r.Header.Get("RateLimit-Limit") != "" {
			t.Fatalf("a read counted while Redis is down: %v", r.Header)
		}
	}
	for range 5 {
		api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me", As: u, RemoteAddr: "198.51.100.7:1000"}).Expect(http.StatusOK)
	}
	for range 3 {
		r := login(api, u.Email, apitest.Password, "198.51.100.7:1000")
		r.ExpectProblem(http.StatusServiceUnavailable, "unavailable")
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
			t.Fatalf("Retry-After = %q", r.Header.Get("Retry-After"))
		}
	}
	if got := readiness(t, api); got != "down" {
		t.Fatalf("/readyz redis = %q, want down", got)
	}
}

// While Redis is down every request fails to count, but the log gets at
// most one warning per 10 s from the rate limits and from /readyz, not one
// per request: anonymous callers must not be able to fill it.
func TestRedisOutageLogsAreBounded(t *testing.T) {
	t.Parallel()
	api, logs := apitest.NewLogged(t, rateLimited(100, 100), apitest.RedisDown(t))
	for range 30 {
		api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/categories", RemoteAddr: "198.51.100.9:1000"}).Expect(http.StatusOK)
		api.Do(apitest.Req{Method: http.MethodGet, Path: "/readyz", RemoteAddr: "198.51.100.9:1000"}).Expect(http.StatusOK)
	}
	out := logs.String()
	if n := strings.Count(out, "rate limit store failed"); n > 1 {
		t.Errorf("%d rate-limit warnings for 30 requests, want at most 1", n)
	}
	if n := strings.Count(out, "redis unreachable"); n > 1 {
		t.Errorf("%d readiness warnings for 30 probes, want at most 1", n)
	}
}
