package identity_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/config"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	reg := "/api/v1/auth/register"

	var u map[string]any
	api.Send("POST", reg, map[string]any{
		"email": "  Sari@Example.COM ", "password": "batik-laweyan-1", "name": "Sari", "phone": "+62 812-3456-7890",
		"role": "admin", "department": "revenue", "id": uuid.NewString(), "unknown_field": true,
	}, apitest.Anonymous).Expect(201).JSON(&u)
	if u["role"] != "user" || u["department"] != nil || u["email"] != "sari@example.com" || u["phone"] != "+6281234567890" {
		t.Fatalf("registered user = %v; role/department must be ignored, email and phone normalised", u)
	}
	if _, leaked := u["password_hash"]; leaked {
		t.Fatal("password hash in response")
	}

	api.Send("POST", reg, map[string]any{"email": "SARI@example.com", "password": "another-password", "name": "Other"},
		apitest.Anonymous).ExpectProblem(409, "conflict")

	p := api.Send("POST", reg, map[string]any{"email": "not-an-email", "password": "short", "name": ""},
		apitest.Anonymous).ExpectProblem(422, "validation_failed")
	fields := map[string]bool{}
	for _, e := range p.Errors {
		fields[e.Field] = true
	}
	for _, f := range []string{"email", "password", "name"} {
		if !fields[f] {
			t.Errorf("errors[] lacks %q: %+v", f, p.Errors)
		}
	}

	api.Do(apitest.Req{Method: "POST", Path: reg, RawBody: []byte(`{"email": "a@b.co",`)}).ExpectProblem(400, "bad_request")
	api.Do(apitest.Req{Method: "POST", Path: reg, RawBody: []byte(`{"email": 42}`)}).ExpectProblem(400, "bad_request")
	api.Do(apitest.Req{Method: "POST", Path: reg, RawBody: []byte(`[]`)}).ExpectProblem(400, "bad_request")
	api.Do(apitest.Req{Method: "POST", Path: reg, RawBody: []byte(`{} {}`)}).ExpectProblem(400, "bad_request")
	api.Do(apitest.Req{Method: "POST", Path: reg, RawBody: []byte(`email=a`), ContentType: "application/x-www-form-urlencoded"}).
		ExpectProblem(415, "unsupported_media_type")
	big := `{"name": "` + strings.Repeat("a", 1<<20) + `"}`
	api.Do(apitest.Req{Method: "POST", Path: reg, RawBody: []byte(big)}).ExpectProblem(413, "payload_too_large")

	// None of the refused requests created an account.
	var n int64
	api.DB.Raw("SELECT COUNT(*) FROM users").Scan(&n)
	if n != 1 {
		t.Fatalf("%d users after one successful registration", n)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("budi")

	var tok map[string]any
	api.Send("POST", "/api/v1/auth/login", map[string]any{"email": strings.ToUpper(u.Email), "password": apitest.Password},
		apitest.Anonymous).Expect(200).JSON(&tok)
	if tok["token_type"] != "Bearer" || tok["expires_in"] != float64(900) || tok["refresh_token"] == "" {
		t.Fatalf("login response = %v", tok)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok["access_token"].(string), claims); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"sub", "role", "exp", "iat", "iss", "aud", "jti"} {
		if _, ok := claims[c]; !ok {
			t.Errorf("access token lacks claim %q", c)
		}
	}

	wrongPass := api.Send("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "wrong-password"}, apitest.Anonymous)
	wrongMail := api.Send("POST", "/api/v1/auth/login", map[string]any{"email": "nobody@example.org", "password": "wrong-password"}, apitest.Anonymous)
	p1, p2 := wrongPass.ExpectProblem(401, "unauthorized"), wrongMail.ExpectProblem(401, "unauthorized")
	if p1.Detail != p2.Detail || p1.Title != p2.Title {
		t.Fatalf("wrong password and unknown email differ: %+v vs %+v", p1, p2)
	}
}

func TestLoginRateLimits(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("target")
	login := func(email, password, addr string, xff string) *apitest.Response {
		h := map[string]string{}
		if xff != "" {
			h["X-Forwarded-For"] = xff
		}
		return api.Do(apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RemoteAddr: addr, Header: h,
			Body: map[string]any{"email": email, "password": password}})
	}
	// Per account: 10 failures, from changing addresses, lock the account.
	for i := range 10 {
		login(u.Email, "wrong-password", "198.51.100."+itoa(i+1)+":4000", "").Expect(401)
	}
	r := login(u.Email, apitest.Password, "198.51.100.99:4000", "")
	r.ExpectProblem(429, "rate_limited")
	if ra := r.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After = %q", ra)
	}

	// Per address: 30 failures over many accounts; a forged X-Forwarded-For
	// from an untrusted peer does not escape the limit.
	for i := range 30 {
		login("someone"+itoa(i)+"@example.org", "wrong-password", "203.0.113.5:5000", "10.0.0."+itoa(i)).Expect(401)
	}
	other := api.User("other")
	login(other.Email, apitest.Password, "203.0.113.5:5000", "192.0.2.77").ExpectProblem(429, "rate_limited")
	login(other.Email, apitest.Password, "203.0.113.6:5000", "").Expect(200)
}

func TestTrustedProxyAddress(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, func(c *config.Config) { c.TrustedProxies = []string{"192.0.2.1"} })
	for i := range 30 {
		api.Do(apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RemoteAddr: "192.0.2.1:1000",
			Header: map[string]string{"X-Forwarded-For": "198.51.100.7"},
			Body:   map[string]any{"email": "x" + itoa(i) + "@example.org", "password": "wrong-password"}}).Expect(401)
	}
	// The limited address is the client's, not the proxy's.
	u := api.User("behind-proxy")
	api.Do(apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RemoteAddr: "192.0.2.1:1000",
		Header: map[string]string{"X-Forwarded-For": "198.51.100.7"},
		Body:   map[string]any{"email": u.Email, "password": apitest.Password}}).ExpectProblem(429, "rate_limited")
	api.Do(apitest.Req{Method: "POST", Path: "/api/v1/auth/login", RemoteAddr: "192.0.2.1:1000",
		Header: map[string]string{"X-Forwarded-For": "198.51.100.8"},
		Body:   map[string]any{"email": u.Email, "password": apitest.Password}}).Expect(200)
}

func TestAccessTokenVerification(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("wulan")
	api.Get("/api/v1/me", u).Expect(200)

	sign := func(method jwt.SigningMethod, key any, mutate func(jwt.MapClaims)) string {
		c := jwt.MapClaims{
			"sub": u.ID.String(), "role": "admin", "iss": identity.Issuer, "aud": identity.Audience,
			"iat": time.Now().Unix(), "exp": time.Now().Add(10 * time.Minute).Unix(), "jti": uuid.NewString(),
		}
		if mutate != nil {
			mutate(c)
		}
		s, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := sign(jwt.SigningMethodHS256, apitest.Secret, nil)
	api.Get("/api/v1/me", apitest.Actor{Token: good}).Expect(200)

	parts := strings.Split(u.Token, ".")
	tampered := parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2]
	cases := map[string]string{
		"tampered payload": tampered,
		"alg none":         sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil),
		"wrong key":        sign(jwt.SigningMethodHS256, []byte("another-secret-another-secret-0000"), nil),
		"HS512":            sign(jwt.SigningMethodHS512, apitest.Secret, nil),
		"expired":          sign(jwt.SigningMethodHS256, apitest.Secret, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() }),
		"no expiry":        sign(jwt.SigningMethodHS256, apitest.Secret, func(c jwt.MapClaims) { delete(c, "exp") }),
		"wrong audience":   sign(jwt.SigningMethodHS256, apitest.Secret, func(c jwt.MapClaims) { c["aud"] = "another-api" }),
		"wrong issuer":     sign(jwt.SigningMethodHS256, apitest.Secret, func(c jwt.MapClaims) { c["iss"] = "someone-else" }),
		"unknown subject":  sign(jwt.SigningMethodHS256, apitest.Secret, func(c jwt.MapClaims) { c["sub"] = uuid.NewString() }),
		"garbage":          "not.a.jwt",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			api.Get("/api/v1/me", apitest.Actor{Token: tok}).ExpectProblem(401, "unauthorized")
		})
	}
	api.Do(apitest.Req{Method: "GET", Path: "/api/v1/me", Header: map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}}).
		ExpectProblem(401, "unauthorized")
	r := api.Get("/api/v1/me", apitest.Anonymous)
	r.ExpectProblem(401, "unauthorized")
	if r.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}

	// A forged role claim gives nothing: roles are read from the database.
	api.Get("/api/v1/admin/users", apitest.Actor{Token: good}).ExpectProblem(403, "forbidden")
}

func TestRefreshRotationAndReuse(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("rotate")
	refresh := func(tok string) *apitest.Response {
		return api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": tok}, apitest.Anonymous)
	}
	var second struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	refresh(u.RefreshToken).Expect(200).JSON(&second)
	if second.RefreshToken == u.RefreshToken || second.AccessToken == "" {
		t.Fatal("refresh did not rotate")
	}
	api.Get("/api/v1/me", apitest.Actor{Token: second.AccessToken}).Expect(200)

	// The spent token is refused, and presenting it revokes the whole login.
	refresh(u.RefreshToken).ExpectProblem(401, "unauthorized")
	refresh(second.RefreshToken).ExpectProblem(401, "unauthorized")

	// Another login of the same user is untouched.
	other := api.Login(u.Email, apitest.Password)
	refresh(other.RefreshToken).Expect(200)

	refresh("made-up-token").ExpectProblem(401, "unauthorized")
	api.Send("POST", "/api/v1/auth/refresh", map[string]any{}, apitest.Anonymous).ExpectProblem(422, "validation_failed")
}

func TestConcurrentRefreshSpendsOnce(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("race")
	const n = 8
	codes := make(chan int, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			codes <- api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": u.RefreshToken}, apitest.Anonymous).Code
		}()
	}
	close(start)
	ok := 0
	for range n {
		if <-codes == 200 {
			ok++
		}
	}
	if ok > 1 {
		t.Fatalf("one refresh token was spent %d times", ok)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("leaving")
	api.Send("POST", "/api/v1/auth/logout", map[string]any{"refresh_token": u.RefreshToken}, apitest.Anonymous).Expect(204)
	api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": u.RefreshToken}, apitest.Anonymous).
		ExpectProblem(401, "unauthorized")
	// Idempotent, and harmless for unknown tokens.
	api.Send("POST", "/api/v1/auth/logout", map[string]any{"refresh_token": u.RefreshToken}, apitest.Anonymous).Expect(204)
	api.Send("POST", "/api/v1/auth/logout", map[string]any{"refresh_token": "unknown"}, apitest.Anonymous).Expect(204)
}

func TestMe(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("profile")
	var me map[string]any
	api.Send("PATCH", "/api/v1/me", map[string]any{"name": "Profile Baru", "preferred_lang": "en", "phone": "081234567890", "role": "admin"}, u).
		Expect(200).JSON(&me)
	if me["name"] != "Profile Baru" || me["preferred_lang"] != "en" || me["phone"] != "081234567890" || me["role"] != "user" {
		t.Fatalf("PATCH /me = %v", me)
	}
	api.Send("PATCH", "/api/v1/me", map[string]any{"preferred_lang": "fr"}, u).ExpectProblem(400, "bad_request")
	api.Send("PATCH", "/api/v1/me", map[string]any{"name": "  "}, u).ExpectProblem(422, "validation_failed")
	api.Send("PATCH", "/api/v1/me", map[string]any{"phone": "12ab"}, u).ExpectProblem(422, "validation_failed")
	api.Get("/api/v1/me", u).Expect(200).JSON(&me)
	if me["name"] != "Profile Baru" {
		t.Fatal("a refused PATCH changed the profile")
	}
}

func TestAdminManagesUsers(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	admin := api.Admin()
	u := api.User("promote")
	staff := api.Staff(identity.DeptRevenue)
	patch := func(as apitest.Actor, id uuid.UUID, body map[string]any) *apitest.Response {
		return api.Do(apitest.Req{Method: "PATCH", Path: "/api/v1/admin/users/" + id.String(), Body: body, As: as,
			Header: map[string]string{"X-Request-ID": "req-" + id.String()[:8]}})
	}

	// Gates.
	api.Get("/api/v1/admin/users", apitest.Anonymous).ExpectProblem(401, "unauthorized")
	api.Get("/api/v1/admin/users", u).ExpectProblem(403, "forbidden")
	api.Get("/api/v1/admin/users", staff).ExpectProblem(403, "forbidden")
	patch(staff, u.ID, map[string]any{"role": "admin"}).ExpectProblem(403, "forbidden")

	// Validation and enums.
	patch(admin, u.ID, map[string]any{"role": "staff"}).ExpectProblem(422, "validation_failed")
	patch(admin, u.ID, map[string]any{"role": "superuser"}).ExpectProblem(400, "bad_request")
	patch(admin, u.ID, map[string]any{"role": "staff", "department": "parks"}).ExpectProblem(400, "bad_request")
	patch(admin, u.ID, map[string]any{"department": "tourism"}).ExpectProblem(422, "validation_failed")
	patch(admin, uuid.New(), map[string]any{"disabled": true}).ExpectProblem(404, "not_found")
	patch(admin, admin.ID, map[string]any{"disabled": true}).ExpectProblem(409, "conflict")

	var got map[string]any
	patch(admin, u.ID, map[string]any{"role": "staff", "department": "tourism"}).Expect(200).JSON(&got)
	if got["role"] != "staff" || got["department"] != "tourism" {
		t.Fatalf("promotion = %v", got)
	}
	// The promoted user's existing token carries the new role at once.
	api.Get("/api/v1/me", u).Expect(200).JSON(&got)
	if got["role"] != "staff" {
		t.Fatalf("/me after promotion = %v", got)
	}

	// Listing with filters and a total.
	var list struct {
		Data []map[string]any `json:"data"`
		Meta struct {
			Limit      int     `json:"limit"`
			NextCursor *string `json:"next_cursor"`
			Total      int     `json:"total"`
		} `json:"meta"`
	}
	api.Get("/api/v1/admin/users?role=staff&limit=1", admin).Expect(200).JSON(&list)
	if list.Meta.Total != 2 || len(list.Data) != 1 || list.Meta.NextCursor == nil {
		t.Fatalf("staff page 1 = %+v", list)
	}
	first, staffCursor := list.Data[0]["id"], *list.Meta.NextCursor
	api.Get("/api/v1/admin/users?role=staff&limit=1&cursor="+*list.Meta.NextCursor, admin).Expect(200).JSON(&list)
	if len(list.Data) != 1 || list.Data[0]["id"] == first || list.Meta.NextCursor != nil {
		t.Fatalf("staff page 2 = %+v", list)
	}
	api.Get("/api/v1/admin/users?role=user&cursor="+staffCursor, admin).ExpectProblem(400, "bad_request")
	api.Get("/api/v1/admin/users?role=staff&cursor=x"+staffCursor, admin).ExpectProblem(400, "bad_request")
	api.Get("/api/v1/admin/users?role=wizard", admin).ExpectProblem(400, "bad_request")
	api.Get("/api/v1/admin/users?limit=101", admin).ExpectProblem(400, "bad_request")
	api.Get("/api/v1/admin/users?q=PROMOTE", admin).Expect(200).JSON(&list)
	if len(list.Data) != 1 || list.Data[0]["id"] != u.ID.String() {
		t.Fatalf("q search = %+v", list.Data)
	}

	// Disabling: login refused, refresh refused (saying why), the access token stops at once.
	patch(admin, u.ID, map[string]any{"disabled": true}).Expect(200)
	api.Get("/api/v1/me", u).ExpectProblem(403, "account_disabled")
	api.Send("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": apitest.Password}, apitest.Anonymous).
		ExpectProblem(403, "account_disabled")
	api.Send("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": u.RefreshToken}, apitest.Anonymous).
		ExpectProblem(403, "account_disabled")

	// Every admin write is in the audit log with who, what, where and the request id.
	var audit struct {
		Data []map[string]any `json:"data"`
	}
	api.Get("/api/v1/admin/audit-log?entity=user&entity_id="+u.ID.String(), admin).Expect(200).JSON(&audit)
	if len(audit.Data) != 2 {
		t.Fatalf("audit entries = %v", audit.Data)
	}
	e := audit.Data[0]
	if e["actor_id"] != admin.ID.String() || e["actor_email"] != admin.Email || e["action"] != "user.update_access" ||
		e["request_id"] != "req-"+u.ID.String()[:8] || e["ip"] == "" || e["at"] == "" {
		t.Fatalf("audit entry = %v", e)
	}
	if !strings.Contains(e["details"].(string), `"disabled":true`) {
		t.Fatalf("newest entry should record the disabling: %v", e)
	}
	api.Get("/api/v1/admin/audit-log?actor_id="+u.ID.String(), admin).Expect(200).JSON(&audit)
	if len(audit.Data) != 0 {
		t.Fatalf("filter by actor = %v", audit.Data)
	}
	api.Get("/api/v1/admin/audit-log?from=yesterday", admin).ExpectProblem(400, "bad_request")
	api.Get("/api/v1/admin/audit-log", staff).ExpectProblem(403, "forbidden")

	// Refused writes are not audited.
	var n int64
	api.DB.Raw("SELECT COUNT(*) FROM audit_log").Scan(&n)
	if n != 2 {
		t.Fatalf("%d audit rows, want 2", n)
	}
}

func TestFirstAdminFromConfig(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, func(c *config.Config) { c.AdminEmail, c.AdminPassword = "root@example.org", "very-secret-pass" })
	a := api.Login("root@example.org", "very-secret-pass")
	var me map[string]any
	api.Get("/api/v1/me", a).Expect(200).JSON(&me)
	if me["role"] != "admin" {
		t.Fatalf("configured admin = %v", me)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
