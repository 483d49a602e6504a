package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
)

// countRows counts the rows of each table whose content a hostile request
// might have reached.
func countRows(t testing.TB, api *apitest.API) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"users", "listings", "reviews", "itineraries", "favorites"} {
		var n int64
		if err := api.DB.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func newListingBody(name map[string]any, description map[string]any) map[string]any {
	return map[string]any{"name": name, "description": description, "category": "museum",
		"location": map[string]any{"lat": -7.5778, "lng": 110.8278}, "status": "published"}
}

// TestHostileTextIsRefusedAndNotStored sends NUL, invalid UTF-8, control
// and bidirectional-override characters through bodies, paths and query
// strings of every kind of endpoint: each is a 4xx naming what is wrong,
// never a 5xx, and nothing reaches the database.
func TestHostileTextIsRefusedAndNotStored(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	sari := api.User("Sari")
	staff := api.Staff(identity.DeptTourism)
	admin := api.Admin()
	l := api.Listing(kind.Attraction, "published")
	before := countRows(t, api)

	register := func(email, password, name string) map[string]any {
		return map[string]any{"email": email, "password": password, "name": name}
	}
	const pw = "kain-batik-2026"
	const reversed = "Budi Santoso \u202e(atawisiraP saniD)\u202c"
	cases := []struct {
		name   string
		req    apitest.Req
		status int
		field  string // the field the problem must name, for bodies
	}{
		{"register e-mail with NUL", apitest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: register("nul\x00@example.org", pw, "Nul")}, 422, "email"},
		{"register name with NUL", apitest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: register("nul-name@example.org", pw, "Nul\x00Name")}, 422, "name"},
		{"register name with bidi override", apitest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: register("bidi@example.org", pw, reversed)}, 422, "name"},
		{"register name with newline", apitest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: register("nl@example.org", pw, "Two\nLines")}, 422, "name"},
		{"register password with NUL", apitest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: register("pw@example.org", "kain-batik\x00-2026", "Pw")}, 422, "password"},
		{"register body not UTF-8", apitest.Req{Method: "POST", Path: "/api/v1/auth/register",
			RawBody: []byte("{\"email\":\"utf@example.org\",\"password\":\"kain-batik-2026\",\"name\":\"Caf\xe9\"}")}, 400, ""},
		{"login e-mail with NUL", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"email": sari.Email + "\x00", "password": apitest.Password}}, 422, "email"},
		{"login password with NUL", apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"email": sari.Email, "password": "x\x00"}}, 422, "password"},
		{"me name with NUL", apitest.Req{Method: "PATCH", Path: "/api/v1/me", Body: map[string]any{"name": "Sari\x00"}, As: sari}, 422, "name"},
		{"me name with bidi override", apitest.Req{Method: "PATCH", Path: "/api/v1/me", Body: map[string]any{"name": reversed}, As: sari}, 422, "name"},
		{"me phone with C1 control", apitest.Req{Method: "PATCH", Path: "/api/v1/me", Body: map[string]any{"phone": "+62812\u0085345678"}, As: sari}, 422, "phone"},
		{"review text with NUL", apitest.Req{Method: "POST", Path: l.Path("/reviews"), Body: map[string]any{"rating": 5, "text": "Bagus\x00"}, As: sari}, 422, "text"},
		{"review text with bidi isolate", apitest.Req{Method: "POST", Path: l.Path("/reviews"), Body: map[string]any{"rating": 5, "text": "Bagus \u2067x\u2069"}, As: sari}, 422, "text"},
		{"itinerary name with NUL", apitest.Req{Method: "POST", Path: "/api/v1/me/itineraries", Body: map[string]any{"name": "Solo\x00"}, As: sari}, 422, "name"},
		{"itinerary name with newline", apitest.Req{Method: "POST", Path: "/api/v1/me/itineraries", Body: map[string]any{"name": "Solo\nTrip"}, As: sari}, 422, "name"},
		{"itinerary note with escape code", apitest.Req{Method: "POST", Path: "/api/v1/me/itineraries", Body: map[string]any{"name": "Solo",
			"items": []map[string]any{{"kind": "attractions", "id": l.Slug, "day": 1, "note": "\x1b[31mred"}}}, As: sari}, 422, "items[0].note"},
		{"listing name with bidi override", apitest.Req{Method: "POST", Path: "/api/v1/attractions",
			Body: newListingBody(map[string]any{"id": reversed}, map[string]any{"id": "Deskripsi"}), As: staff}, 422, "name.id"},
		{"listing English name with newline", apitest.Req{Method: "POST", Path: "/api/v1/attractions",
			Body: newListingBody(map[string]any{"id": "Museum", "en": "Two\nLines"}, map[string]any{"id": "Deskripsi"}), As: staff}, 422, "name.en"},
		{"listing description with NUL", apitest.Req{Method: "POST", Path: "/api/v1/attractions",
			Body: newListingBody(map[string]any{"id": "Museum"}, map[string]any{"id": "Baris\nkedua\x00"}), As: staff}, 422, "description.id"},
		{"listing tag with NUL", apitest.Req{Method: "POST", Path: "/api/v1/attractions",
			Body: func() map[string]any {
				b := newListingBody(map[string]any{"id": "Museum"}, map[string]any{"id": "D"})
				b["tags"] = []string{"ok", "a\x00b"}
				return b
			}(), As: staff}, 422, "tags[1]"},
		{"anonymous path id NUL", apitest.Req{Method: "GET", Path: "/api/v1/attractions/%00"}, 400, ""},
		{"anonymous path id not UTF-8", apitest.Req{Method: "GET", Path: "/api/v1/attractions/%FF"}, 400, ""},
		{"anonymous path id bidi", apitest.Req{Method: "GET", Path: "/api/v1/culinary/%E2%80%AEabc"}, 400, ""},
		{"reviews of NUL id", apitest.Req{Method: "GET", Path: "/api/v1/events/%00/reviews"}, 400, ""},
		{"favourite NUL id", apitest.Req{Method: "PUT", Path: "/api/v1/me/favorites/attractions/a%00b", As: sari}, 400, ""},
		{"delete review not UTF-8 id", apitest.Req{Method: "DELETE", Path: "/api/v1/reviews/%FF", As: sari}, 400, ""},
		{"tag filter with NUL", apitest.Req{Method: "GET", Path: "/api/v1/attractions?tag=a%00b"}, 400, ""},
		{"category filter not UTF-8", apitest.Req{Method: "GET", Path: "/api/v1/culinary?category=%FF"}, 400, ""},
		{"search with NUL", apitest.Req{Method: "GET", Path: "/api/v1/search?q=keraton%00"}, 400, ""},
		{"suggest not UTF-8", apitest.Req{Method: "GET", Path: "/api/v1/search/suggest?q=ker%FF"}, 400, ""},
		{"query parameter name with NUL", apitest.Req{Method: "GET", Path: "/api/v1/attractions?a%00=1"}, 400, ""},
		{"malformed percent-encoding", apitest.Req{Method: "GET", Path: "/api/v1/attractions?tag=%zz"}, 400, ""},
		{"admin user search with NUL", apitest.Req{Method: "GET", Path: "/api/v1/admin/users?q=a%00", As: admin}, 400, ""},
		{"admin user id not UTF-8", apitest.Req{Method: "PATCH", Path: "/api/v1/admin/users/%FF", Body: map[string]any{"disabled": true}, As: admin}, 400, ""},
		{"audit entity not UTF-8", apitest.Req{Method: "GET", Path: "/api/v1/admin/audit-log?entity=%FF", As: admin}, 400, ""},
		{"audit action with NUL", apitest.Req{Method: "GET", Path: "/api/v1/admin/audit-log?action=a%00", As: admin}, 400, ""},
		{"audit entity id with bidi", apitest.Req{Method: "GET", Path: "/api/v1/admin/audit-log?entity_id=%E2%80%8F1", As: admin}, 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := *api
			a.T = t
			r := a.Do(tc.req)
			code := "bad_request"
			if tc.status == 422 {
				code = "validation_failed"
			}
			p := r.ExpectProblem(tc.status, code)
			if tc.field == "" {
				return
			}
			for _, e := range p.Errors {
				if e.Field == tc.field {
					return
				}
			}
			t.Errorf("problem does not name %q: %s", tc.field, r.Body)
		})
	}
	after := countRows(t, api)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d rows before, %d after", table, n, after[table])
		}
	}
	var me map[string]any
	api.Get("/api/v1/me", sari).Expect(http.StatusOK).JSON(&me)
	if me["name"] != "Sari" || me["phone"] != "" {
		t.Errorf("profile changed: %v", me)
	}
}

// TestLineBreaksOnlyInFreeText: descriptions, review text and itinerary
// notes are free text and keep newlines and tabs, names do not; passwords
// may hold anything but NUL.
func TestLineBreaksOnlyInFreeText(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := api.Staff(identity.DeptTourism)
	l := api.Listing(kind.Attraction, "published")

	const desc = "Baris pertama.\n\n\tBaris kedua."
	var created map[string]any
	api.Send(http.MethodPost, "/api/v1/attractions?lang=all",
		newListingBody(map[string]any{"id": "Museum Radya Pustaka"}, map[string]any{"id": desc, "en": "One\ntwo"}), staff).
		Expect(http.StatusCreated).JSON(&created)
	api.Send(http.MethodPost, "/api/v1/attractions",
		newListingBody(map[string]any{"id": "Museum\nRadya Pustaka"}, map[string]any{"id": desc}), staff).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	api.Send(http.MethodPatch, "/api/v1/attractions/"+created["id"].(string),
		map[string]any{"name": map[string]any{"id": "Museum", "en": "Museum\tRadya"}}, staff).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	var read map[string]any
	api.Get("/api/v1/attractions/"+created["id"].(string)+"?lang=id", apitest.Anonymous).Expect(http.StatusOK).JSON(&read)
	if read["description"] != desc {
		t.Errorf("description %q, want %q", read["description"], desc)
	}

	// A password with a tab and a control character is hashed like any other.
	const pw = "tab\there\x01-batik-2026"
	api.Send(http.MethodPost, "/api/v1/auth/register",
		map[string]any{"email": "tab@example.org", "password": pw, "name": "Tab"}, apitest.Anonymous).Expect(http.StatusCreated)
	tab := api.Login("tab@example.org", pw)

	var rev map[string]any
	api.Send(http.MethodPost, l.Path("/reviews"), map[string]any{"rating": 4, "text": "Bagus.\nPemandunya ramah."}, tab).
		Expect(http.StatusCreated).JSON(&rev)
	if rev["text"] != "Bagus.\nPemandunya ramah." {
		t.Errorf("review text %q", rev["text"])
	}
	var it map[string]any
	api.Send(http.MethodPost, "/api/v1/me/itineraries", map[string]any{"name": "Solo",
		"items": []map[string]any{{"kind": "attractions", "id": l.Slug, "day": 1, "note": "Pagi.\nBawa air."}}}, tab).
		Expect(http.StatusCreated).JSON(&it)
	if items, _ := it["items"].([]any); len(items) != 1 || items[0].(map[string]any)["note"] != "Pagi.\nBawa air." {
		t.Errorf("itinerary items %v", it["items"])
	}
	api.Send(http.MethodPatch, "/api/v1/me/itineraries/"+it["id"].(string), map[string]any{"name": "Solo\nTrip"}, tab).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	if got := api.Get("/api/v1/attractions/"+created["id"].(string)+"?lang=en", apitest.Anonymous).Map()["name"]; got != "Museum Radya Pustaka" {
		t.Errorf("name %q", got)
	}
}

// TestJSONBodyRules covers the decoding rules of the contract: exact key
// names, no duplicate keys, no null body, application/json only, and time
// errors that name their field.
func TestJSONBodyRules(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	sari := api.User("Sari")
	staff := api.Staff(identity.DeptTourism)

	// A key that differs only in case is an unknown field: ignored.
	var me map[string]any
	api.Do(apitest.Req{Method: "PATCH", Path: "/api/v1/me", RawBody: []byte(`{"Name":"Other","PHONE":"+6281234567890"}`), As: sari}).
		Expect(http.StatusOK).JSON(&me)
	if me["name"] != "Sari" || me["phone"] != "" {
		t.Errorf("case-mismatched keys were applied: %v", me)
	}

	api.Do(apitest.Req{Method: "PATCH", Path: "/api/v1/me", RawBody: []byte(`{"name":"A","name":"B"}`), As: sari}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Do(apitest.Req{Method: "PATCH", Path: "/api/v1/me", RawBody: []byte(`null`), As: sari}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Do(apitest.Req{Method: "POST", Path: "/api/v1/auth/login", ContentType: "application/merge-patch+json",
		RawBody: []byte(`{"email":"` + sari.Email + `","password":"` + apitest.Password + `"}`)}).
		ExpectProblem(http.StatusUnsupportedMediaType, "unsupported_media_type")
	api.Do(apitest.Req{Method: "POST", Path: "/api/v1/auth/login", ContentType: "application/json; charset=utf-8",
		RawBody: []byte(`{"email":"` + sari.Email + `","password":"` + apitest.Password + `"}`)}).Expect(http.StatusOK)

	ev := newListingBody(map[string]any{"id": "Sekaten"}, map[string]any{"id": "Pasar malam"})
	ev["category"], ev["starts_at"], ev["ends_at"] = "festival", "17-08-2026 19:00", "2026-08-17T22:00:00+07:00"
	p := api.Send(http.MethodPost, "/api/v1/events", ev, staff).ExpectProblem(http.StatusBadRequest, "bad_request")
	if !strings.Contains(p.Detail, "starts_at") || !strings.Contains(p.Detail, "RFC 3339") || len(p.Errors) != 1 || p.Errors[0].Field != "starts_at" {
		t.Errorf("time error does not name starts_at: %+v", p)
	}
	if me := api.Get("/api/v1/me", sari).Map(); me["name"] != "Sari" {
		t.Errorf("name changed to %v", me["name"])
	}
}

// TestQueryNumbersAndLengths: non-finite numbers and over-long search text
// are refused with 400, not treated as filters.
func TestQueryNumbersAndLengths(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	api.Listing(kind.Attraction, "published")
	for _, path := range []string{
		"/api/v1/attractions?min_rating=NaN",
		"/api/v1/attractions?min_rating=-Inf",
		"/api/v1/culinary?min_rating=nan",
		"/api/v1/attractions?near=-7.57,110.82&radius_m=NaN",
		"/api/v1/attractions?near=NaN,110.82",
		"/api/v1/search/suggest?q=" + strings.Repeat("a", 201),
		"/api/v1/search/suggest?q=" + url.QueryEscape(strings.Repeat("é", 201)),
		"/api/v1/search?q=" + strings.Repeat("keraton+", 30),
		"/api/v1/attractions?q=" + strings.Repeat("b", 201),
	} {
		api.Get(path, apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
	for _, path := range []string{
		"/api/v1/attractions?min_rating=4.5",
		"/api/v1/search/suggest?q=" + url.QueryEscape(strings.Repeat("é", 200)),
	} {
		api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
	}
}

// FuzzProfileName sends arbitrary text as a profile name and as a path id
// and query value, on the test database (PostgreSQL with TEST_DATABASE_URL):
// never a 5xx, and text with a forbidden character is never stored.
func FuzzProfileName(f *testing.F) {
	for _, seed := range []string{"Sari", "Sari\x00", "\xff\xfe", "Budi \u202eatawisiraP", "a\nb", "a\tb", "\u0085", "\u061c",
		"\u2066x\u2069", "e\u0301", "日本", "🙂", "\\u0000", `"quoted"`, "\ud7ff", "  padded  ", strings.Repeat("x", 101)} {
		f.Add(seed)
	}
	api := apitest.New(f)
	sari := api.User("Sari")
	f.Fuzz(func(t *testing.T, s string) {
		a := *api
		a.T = t
		r := a.Do(apitest.Req{Method: "PATCH", Path: "/api/v1/me", RawBody: jsonObject("name", s), As: sari})
		if r.Code >= 500 {
			t.Fatalf("name %q: status %d %s", s, r.Code, r.Body)
		}
		if r.Code == http.StatusOK {
			if forbidden(s) {
				t.Fatalf("name %q with a forbidden character was accepted", s)
			}
			if got := a.Get("/api/v1/me", sari).Map()["name"]; got != strings.TrimSpace(s) {
				t.Fatalf("name %q stored as %q", s, got)
			}
		} else if r.Code != 400 && r.Code != 422 {
			t.Fatalf("name %q: status %d %s", s, r.Code, r.Body)
		}
		for _, path := range []string{"/api/v1/attractions/" + url.PathEscape(s), "/api/v1/attractions?tag=" + url.QueryEscape(s),
			"/api/v1/search?q=" + url.QueryEscape(s)} {
			if r := a.Get(path, apitest.Anonymous); r.Code >= 500 || (forbidden(s) && r.Code != 400) {
				t.Fatalf("%s: status %d %s", path, r.Code, r.Body)
			}
		}
	})
}

// jsonObject writes {"key": s} keeping s's bytes as they are (invalid
// UTF-8 included), escaping only what JSON requires.
func jsonObject(key, s string) []byte {
	var b strings.Builder
	b.WriteString(`{"` + key + `":"`)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString(`"}`)
	return []byte(b.String())
}

// forbidden is an independent statement of what no single-line field may hold.
func forbidden(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
			r == 0x200e || r == 0x200f || r == 0x061c {
			return true
		}
	}
	return false
}
