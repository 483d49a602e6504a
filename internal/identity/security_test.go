package identity_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// logLines returns the records of logs whose message is msg.
func logLines(t *testing.T, logs *apitest.LogBuffer, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// has reports whether rec carries every key with the value given.
func has(rec map[string]any, kv ...string) bool {
	for i := 0; i < len(kv); i += 2 {
		if rec[kv[i]] != kv[i+1] {
			return false
		}
	}
	return true
}

func find(recs []map[string]any, kv ...string) map[string]any {
	for _, r := range recs {
		if has(r, kv...) {
			return r
		}
	}
	return nil
}

func TestSecurityEventsAreLogged(t *testing.T) {
	t.Parallel()
	api, logs := apitest.NewLogged(t)
	u := api.User("watched")
	const secret = "guessed-password-42"

	// A wrong password names the account by id; an unknown email by a digest.
	api.Do(loginReq(u.Email, secret, "198.51.100.1:4000")).Expect(401)
	api.Do(loginReq("ghost@example.org", secret, "198.51.100.2:4000")).Expect(401)
	failed := logLines(t, logs, "login failed")
	if find(failed, "reason", "wrong_password", "user_id", u.ID.String(), "ip", "198.51.100.1") == nil {
		t.Errorf("no failed login for %s by user id in %v", u.ID, failed)
	}
	ghost := find(failed, "reason", "unknown_email", "ip", "198.51.100.2")
	if ghost == nil || len(ghost["email_digest"].(string)) != 24 {
		t.Errorf("no failed login for an unknown email with a digest in %v", failed)
	}
	for _, r := range failed {
		if r["request_id"] == "" || r["request_id"] == nil {
			t.Errorf("security event without request id: %v", r)
		}
	}

	// The failure that uses up the account's limit logs the lock-out, once.
	for i := range 9 {
		api.Do(loginReq(u.Email, secret, "198.51.100.1"+itoa(i)+":4000")).Expect(401)
	}
	api.Do(loginReq(u.Email, apitest.Password, "198.51.100.99:4000")).ExpectProblem(429, "rate_limited")
	locked := logLines(t, logs, "login locked")
	if len(locked) != 1 || !has(locked[0], "scope", "account", "user_id", u.ID.String()) {
		t.Errorf("account lock-out events = %v", locked)
	}

	// And the address's.
	for i := range 30 {
		api.Do(loginReq("spray"+itoa(i)+"@example.org", secret, "[2001:db8:7::"+itoa(i+1)+"]:4000")).Expect(401)
	}
	if find(logLines(t, logs, "login locked"), "scope", "address", "address_key", "2001:db8:7::/64") == nil {
		t.Errorf("no address lock-out in %v", logLines(t, logs, "login locked"))
	}

	// Reuse names the user and the login.
	r := api.User("reuser")
	api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": r.RefreshToken}, apitest.Anonymous).Expect(200)
	api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": r.RefreshToken}, apitest.Anonymous).
		ExpectProblem(401, "unauthorized")
	var family string
	api.DB.Raw("SELECT family_id FROM refresh_tokens WHERE user_id = ? LIMIT 1", r.ID).Scan(&family)
	reused := logLines(t, logs, "refresh token reused")
	if len(reused) != 1 || !has(reused[0], "user_id", r.ID.String(), "family_id", family) {
		t.Errorf("reuse events = %v, want one for user %s family %s", reused, r.ID, family)
	}

	// A refresh after an administrator disabled the account is not a reuse.
	admin := api.Admin()
	d := api.User("disabled")
	api.Send("PATCH", "/api/v1/admin/users/"+d.ID.String(), map[string]any{"disabled": true}, admin).Expect(200)
	api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": d.RefreshToken}, apitest.Anonymous).
		ExpectProblem(403, "account_disabled")
	if find(logLines(t, logs, "refresh refused"), "reason", "account_disabled", "user_id", d.ID.String()) == nil {
		t.Errorf("no refused refresh for the disabled account in %v", logLines(t, logs, "refresh refused"))
	}
	if find(logLines(t, logs, "refresh token reused"), "user_id", d.ID.String()) != nil {
		t.Error("the disabled account's refresh was logged as reuse")
	}

	// Nothing secret is ever written.
	all := logs.String()
	for _, s := range []string{secret, apitest.Password, "ghost@example.org", r.RefreshToken, d.RefreshToken} {
		if strings.Contains(all, s) {
			t.Errorf("log contains %q", s)
		}
	}
}
