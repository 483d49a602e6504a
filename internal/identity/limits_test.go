package identity_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/config"
)

// burst sends n logins at once and counts the answers by status.
func burst(api *apitest.API, n int, req func(i int) apitest.Req) map[int]int {
	var (
		mu     sync.Mutex
		counts = map[int]int{}
		wg     sync.WaitGroup
		start  = make(chan struct{})
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := api.Do(req(i))
			mu.Lock()
			defer mu.Unlock()
			counts[r.Code]++
			if r.Code == 429 && r.Header.Get("Retry-After") == "" {
				counts[-1]++ // a 429 without Retry-After
			}
		}()
	}
	close(start)
	wg.Wait()
	return counts
}

func loginReq(email, password, remote string) apitest.Req {
	return apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RemoteAddr: remote,
		Body: map[string]any{"email": email, "password": password}}
}

func TestLoginLimitHoldsUnderBurstPerAccount(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("burst")
	// Each attempt from its own address, so only the account limit applies.
	got := burst(api, 100, func(i int) apitest.Req {
		return loginReq(u.Email, "wrong-password", "198.51.100."+strconv.Itoa(i+1)+":4000")
	})
	t.Logf("100 parallel wrong passwords for one account: %v", got)
	if got[401] > 10 || got[401]+got[429] != 100 || got[-1] != 0 {
		t.Fatalf("100 parallel wrong passwords for one account: %v; want at most 10 × 401, the rest 429 with Retry-After", got)
	}
	api.Do(loginReq(u.Email, apitest.Password, "192.0.2.200:4000")).ExpectProblem(429, "rate_limited")
}

func TestLoginLimitHoldsUnderBurstPerAddress(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	got := burst(api, 100, func(i int) apitest.Req {
		return loginReq("guess"+strconv.Itoa(i)+"@example.org", "wrong-password", "203.0.113.9:5000")
	})
	t.Logf("100 parallel wrong logins from one address: %v", got)
	if got[401] > 30 || got[401]+got[429] != 100 || got[-1] != 0 {
		t.Fatalf("100 parallel wrong logins from one address: %v; want at most 30 × 401, the rest 429 with Retry-After", got)
	}
	u := api.User("same-address")
	api.Do(loginReq(u.Email, apitest.Password, "203.0.113.9:5000")).ExpectProblem(429, "rate_limited")
}

func TestSuccessfulLoginsDoNotCountButFailuresStay(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("regular")
	const addr = "198.51.100.20:4000"
	// Successes never use up the limit, even many in a row from one address.
	for range 40 {
		api.Do(loginReq(u.Email, apitest.Password, addr)).Expect(200)
	}
	// A success between failures does not wipe them out.
	for range 9 {
		api.Do(loginReq(u.Email, "wrong-password", addr)).Expect(401)
	}
	api.Do(loginReq(u.Email, apitest.Password, addr)).Expect(200)
	api.Do(loginReq(u.Email, "wrong-password", addr)).Expect(401)
	api.Do(loginReq(u.Email, apitest.Password, addr)).ExpectProblem(429, "rate_limited")
}

func TestLoginLimitKeysIPv6ByPrefix(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	// Thirty failures from thirty addresses of one /64.
	for i := range 30 {
		remote := "[2001:db8:1:2:" + strconv.FormatInt(int64(i+1), 16) + "::1]:4000"
		api.Do(loginReq("v6-"+strconv.Itoa(i)+"@example.org", "wrong-password", remote)).Expect(401)
	}
	u := api.User("v6")
	api.Do(loginReq(u.Email, apitest.Password, "[2001:db8:1:2:ffff:ffff:ffff:fffe]:4000")).ExpectProblem(429, "rate_limited")
	api.Do(loginReq(u.Email, apitest.Password, "[2001:db8:1:3::1]:4000")).Expect(200)
}

func TestAuthRoutesIgnoreBearerToken(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("stale")
	expired, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": u.ID.String(), "role": "user", "iss": identity.Issuer, "aud": identity.Audience, "jti": uuid.NewString(),
		"iat": time.Now().Add(-time.Hour).Unix(), "exp": time.Now().Add(-30 * time.Minute).Unix(),
	}).SignedString(apitest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	// The test server belongs to this test, so the cases run in a loop, not
	// as subtests.
	for _, header := range []string{"Bearer " + expired, "Bearer not.a.jwt", "Basic dXNlcjpwYXNz"} {
		send := func(path string, body map[string]any) *apitest.Response {
			return api.Do(apitest.Req{Method: "POST", Path: path, Body: body, Header: map[string]string{"Authorization": header}})
		}
		email := "stale-" + uuid.NewString()[:8] + "@example.org"
		send("/api/v1/auth/register", map[string]any{"email": email, "password": apitest.Password, "name": "Stale"}).Expect(201)
		var pair struct {
			RefreshToken string `json:"refresh_token"`
		}
		send("/api/v1/auth/login", map[string]any{"email": email, "password": apitest.Password}).Expect(200).JSON(&pair)
		send("/api/v1/auth/refresh", map[string]any{"refresh_token": pair.RefreshToken}).Expect(200).JSON(&pair)
		send("/api/v1/auth/logout", map[string]any{"refresh_token": pair.RefreshToken}).Expect(204)
		send("/api/v1/auth/refresh", map[string]any{"refresh_token": pair.RefreshToken}).ExpectProblem(401, "unauthorized")
	}
	// Everywhere else a bad token is still refused.
	api.Get("/api/v1/categories", apitest.Actor{Token: expired}).ExpectProblem(401, "unauthorized")
}

func TestLoginFamilyHasAbsoluteLifetime(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("long-lived")
	refresh := func(tok string) *apitest.Response {
		return api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": tok}, apitest.Anonymous)
	}
	startedAgo := func(d time.Duration) {
		t.Helper()
		if err := api.DB.Exec("UPDATE refresh_tokens SET family_started_at = ? WHERE user_id = ?",
			time.Now().UTC().Add(-d), u.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	// Day 89 of 90: refreshing works, but the new token ends with the login,
	// not 30 days later.
	startedAgo(89 * 24 * time.Hour)
	var pair struct {
		RefreshToken string `json:"refresh_token"`
	}
	refresh(u.RefreshToken).Expect(200).JSON(&pair)
	var latest struct{ ExpiresAt time.Time }
	api.DB.Raw("SELECT expires_at FROM refresh_tokens WHERE user_id = ? ORDER BY created_at DESC LIMIT 1", u.ID).Scan(&latest)
	if until := time.Until(latest.ExpiresAt); until > 25*time.Hour || until < 23*time.Hour {
		t.Fatalf("a token refreshed on day 89 expires in %v, want about a day", until)
	}
	// Day 91: the login is over, however recently it was refreshed.
	startedAgo(91 * 24 * time.Hour)
	refresh(pair.RefreshToken).ExpectProblem(401, "unauthorized")

	// The lifetime is configurable.
	short := apitest.New(t, func(c *config.Config) { c.RefreshFamilyMaxAge = 2 * time.Hour })
	v := short.User("short")
	if err := short.DB.Exec("UPDATE refresh_tokens SET family_started_at = ? WHERE user_id = ?",
		time.Now().UTC().Add(-3*time.Hour), v.ID).Error; err != nil {
		t.Fatal(err)
	}
	short.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": v.RefreshToken}, apitest.Anonymous).
		ExpectProblem(401, "unauthorized")
}
