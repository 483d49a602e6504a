package catalog_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

var plurals = []string{"attractions", "culinary", "events"}

func TestWritePermissions(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	actors := []struct {
		name   string
		as     apitest.Actor
		status int // expected for POST; PATCH/DELETE alike (200/204 for the allowed)
		code   string
	}{
		{"anonymous", apitest.Anonymous, 401, "unauthorized"},
		{"user", api.User("sari"), 403, "forbidden"},
		{"transport staff", api.Staff(identity.DeptTransport), 403, "forbidden"},
		{"revenue staff", api.Staff(identity.DeptRevenue), 403, "forbidden"},
		{"tourism staff", tourismStaff(api), 0, ""},
		{"admin", api.Admin(), 0, ""},
	}
	owner := tourismStaff(api)
	for _, plural := range plurals {
		for _, a := range actors {
			target := create(t, api, owner, plural, body(plural, "Target "+a.name))
			path := "/api/v1/" + plural
			post := api.Send(http.MethodPost, path, body(plural, "New by "+a.name), a.as)
			patch := api.Send(http.MethodPatch, path+"/"+target.ID, map[string]any{"address": "Jl. Slamet Riyadi"}, a.as)
			del := api.Send(http.MethodDelete, path+"/"+target.ID, nil, a.as)
			if a.status != 0 {
				post.ExpectProblem(a.status, a.code)
				patch.ExpectProblem(a.status, a.code)
				del.ExpectProblem(a.status, a.code)
				continue
			}
			post.Expect(http.StatusCreated)
			patch.Expect(http.StatusOK)
			del.Expect(http.StatusNoContent)
		}
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	tests := []struct {
		name   string
		plural string
		mod    func(map[string]any)
		fields []string
	}{
		{"missing name", "attractions", func(b map[string]any) { delete(b, "name") }, []string{"name.id"}},
		{"english name only", "attractions", set("name", map[string]any{"en": "Palace"}), []string{"name.id"}},
		{"blank name", "attractions", set("name", map[string]any{"id": "   "}), []string{"name.id"}},
		{"missing category", "attractions", func(b map[string]any) { delete(b, "category") }, []string{"category"}},
		{"category of another kind", "attractions", set("category", "soup"), []string{"category"}},
		{"unknown category", "culinary", set("category", "pizza"), []string{"category"}},
		{"missing location", "attractions", func(b map[string]any) { delete(b, "location") }, []string{"location"}},
		{"location without lng", "attractions", set("location", map[string]any{"lat": -7.5}), []string{"location.lng"}},
		{"latitude out of range", "attractions", set("location", map[string]any{"lat": 91, "lng": 110}), []string{"location.lat"}},
		{"longitude out of range", "culinary", set("location", map[string]any{"lat": -7, "lng": -181}), []string{"location.lng"}},
		{"bad tag", "attractions", set("tags", []string{"ok_tag", "two words"}), []string{"tags[1]"}},
		{"too many tags", "attractions", set("tags", strings.Split("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u", ",")), []string{"tags"}},
		{"bad day", "attractions", set("opening_hours", []map[string]any{{"day": 7, "open": "09:00", "close": "10:00"}}), []string{"opening_hours[0].day"}},
		{"missing day", "attractions", set("opening_hours", []map[string]any{{"open": "09:00", "close": "10:00"}}), []string{"opening_hours[0].day"}},
		{"bad open", "attractions", set("opening_hours", []map[string]any{{"day": 1, "open": "24:00", "close": "10:00"}}), []string{"opening_hours[0].open"}},
		{"open equals close", "culinary", set("opening_hours", []map[string]any{{"day": 1, "open": "10:00", "close": "10:00"}}), []string{"opening_hours[0].close"}},
		{"negative price", "attractions", set("ticket_prices", []map[string]any{{"label": "Dewasa", "amount_idr": -1}}), []string{"ticket_prices[0].amount_idr"}},
		{"price without label", "attractions", set("ticket_prices", []map[string]any{{"amount_idr": 5000}}), []string{"ticket_prices[0].label"}},
		{"price range 5", "culinary", set("price_range", 5), []string{"price_range"}},
		{"bad website", "culinary", set("contact", map[string]any{"website": "ftp://example.com"}), []string{"contact.website"}},
		{"bad phone", "culinary", set("contact", map[string]any{"phone": "call me"}), []string{"contact.phone"}},
		{"event ends before start", "events", set("ends_at", "2020-01-01T00:00:00Z"), []string{"ends_at"}},
		{"event without start", "events", func(b map[string]any) { delete(b, "starts_at") }, []string{"starts_at"}},
		{"several problems", "events", func(b map[string]any) {
			delete(b, "name")
			b["ticket_url"] = "not a url"
		}, []string{"name.id", "ticket_url"}},
	}
	for _, tc := range tests {
		p := api.Send(http.MethodPost, "/api/v1/"+tc.plural, body(tc.plural, "Tempat Uji", tc.mod), staff).
			ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		got := map[string]bool{}
		for _, e := range p.Errors {
			got[e.Field] = true
		}
		for _, f := range tc.fields {
			if !got[f] {
				t.Errorf("%s: errors %+v lack field %s", tc.name, p.Errors, f)
			}
		}
	}

	// Valid edge cases pass: overnight hours, 24:00, fields of other kinds ignored.
	ok := body("attractions", "Alun-alun Malam", set("opening_hours", []map[string]any{
		{"day": 5, "open": "17:00", "close": "01:00"}, {"day": 6, "open": "00:00", "close": "24:00"},
	}), set("price_range", 9), set("tags", []string{"Night_Market", "night_market"}))
	l := create(t, api, staff, "attractions", ok)
	if len(l.Tags) != 1 || l.Tags[0] != "night_market" {
		t.Errorf("tags not lower-cased and deduplicated: %v", l.Tags)
	}
}

func TestMalformedBodies(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	path := "/api/v1/attractions"
	api.Do(apitest.Req{Method: http.MethodPost, Path: path, RawBody: []byte(`{"name": {"id": "x"`), ContentType: "application/json", As: staff}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Do(apitest.Req{Method: http.MethodPost, Path: path, RawBody: []byte(`{"name": "just a string"}`), ContentType: "application/json", As: staff}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Send(http.MethodPost, path, body("attractions", "X", set("status", "hidden")), staff).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Send(http.MethodPost, path, body("attractions", "X", set("price_range", "cheap"), set("tags", "heritage")), staff).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Do(apitest.Req{Method: http.MethodPost, Path: path, RawBody: []byte(`name=x`), ContentType: "application/x-www-form-urlencoded", As: staff}).
		ExpectProblem(http.StatusUnsupportedMediaType, "unsupported_media_type")
	l := create(t, api, staff, "attractions", body("attractions", "Museum Keris"))
	api.Do(apitest.Req{Method: http.MethodPatch, Path: path + "/" + l.ID, RawBody: []byte(`[1,2]`), ContentType: "application/json", As: staff}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Send(http.MethodPatch, path+"/not-a-uuid", map[string]any{"address": "x"}, staff).ExpectProblem(http.StatusNotFound, "not_found")
	api.Send(http.MethodPatch, "/api/v1/culinary/"+l.ID, map[string]any{"address": "x"}, staff).ExpectProblem(http.StatusNotFound, "not_found")
	api.Send(http.MethodDelete, "/api/v1/events/"+l.ID, nil, staff).ExpectProblem(http.StatusNotFound, "not_found")
	api.Send(http.MethodPatch, path+"/"+l.ID, map[string]any{"location": map[string]any{"lat": 100, "lng": 0}}, staff).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
}

func TestDraftsAndArchive(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	user := api.User("budi")
	draft := create(t, api, staff, "culinary", body("culinary", "Soto Gading", func(b map[string]any) { delete(b, "status") }))
	if draft.Status != "draft" {
		t.Fatalf("default status %q, want draft", draft.Status)
	}
	for _, ref := range []string{draft.ID, draft.Slug} {
		api.Get("/api/v1/culinary/"+ref, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
		api.Get("/api/v1/culinary/"+ref, user).ExpectProblem(http.StatusNotFound, "not_found")
		r := api.Get("/api/v1/culinary/"+ref, staff).Expect(http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("draft seen by staff: Cache-Control %q", cc)
		}
	}
	if p := list(t, api, "/api/v1/culinary", nil); len(p.Data) != 0 {
		t.Errorf("public list shows a draft: %v", ids(p))
	}
	api.Get("/api/v1/culinary?status=draft", apitest.Anonymous).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Get("/api/v1/culinary?status=all", user).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Get("/api/v1/culinary?status=gone", staff).ExpectProblem(http.StatusBadRequest, "bad_request")
	list(t, api, "/api/v1/culinary", map[string][]string{"status": {"published"}})
	var staffPage page
	r := api.Get("/api/v1/culinary?status=draft", staff).Expect(http.StatusOK)
	r.JSON(&staffPage)
	if len(staffPage.Data) != 1 || staffPage.Data[0].ID != draft.ID {
		t.Errorf("staff draft list = %v", ids(staffPage))
	}
	if cc := r.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("staff status list: Cache-Control %q", cc)
	}

	// Publish, then archive with DELETE.
	api.Send(http.MethodPatch, "/api/v1/culinary/"+draft.ID, map[string]any{"status": "published"}, staff).Expect(http.StatusOK)
	api.Get("/api/v1/culinary/"+draft.Slug, apitest.Anonymous).Expect(http.StatusOK)
	if p := list(t, api, "/api/v1/culinary", nil); len(p.Data) != 1 {
		t.Errorf("published listing missing from the list: %v", ids(p))
	}
	api.Send(http.MethodDelete, "/api/v1/culinary/"+draft.ID, nil, staff).Expect(http.StatusNoContent)
	api.Send(http.MethodDelete, "/api/v1/culinary/"+draft.ID, nil, staff).Expect(http.StatusNoContent)
	api.Get("/api/v1/culinary/"+draft.ID, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	var archived listing
	api.Get("/api/v1/culinary/"+draft.ID, staff).Expect(http.StatusOK).JSON(&archived)
	if archived.Status != "archived" {
		t.Errorf("after DELETE status %q, want archived", archived.Status)
	}
	api.Get("/api/v1/culinary?status=archived", staff).Expect(http.StatusOK).JSON(&staffPage)
	if len(staffPage.Data) != 1 {
		t.Errorf("archived list = %v", ids(staffPage))
	}
	if p := list(t, api, "/api/v1/culinary", nil); len(p.Data) != 0 {
		t.Errorf("public list shows an archived listing: %v", ids(p))
	}
}

func TestSlugs(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	a := create(t, api, staff, "attractions", body("attractions", "Pura Mangkunegaran"))
	b := create(t, api, staff, "attractions", body("attractions", "Pura  Mangkunegaran!"))
	c := create(t, api, staff, "attractions", body("attractions", "pura mangkunegaran"))
	other := create(t, api, staff, "culinary", body("culinary", "Pura Mangkunegaran"))
	if a.Slug != "pura-mangkunegaran" || b.Slug != "pura-mangkunegaran-2" || c.Slug != "pura-mangkunegaran-3" {
		t.Errorf("slugs %q %q %q", a.Slug, b.Slug, c.Slug)
	}
	if other.Slug != "pura-mangkunegaran" {
		t.Errorf("slug of another kind %q, want pura-mangkunegaran (unique per kind)", other.Slug)
	}
	accents := create(t, api, staff, "culinary", body("culinary", "Kopi Café Ñandú"))
	if accents.Slug != "kopi-cafe-nandu" {
		t.Errorf("slug %q", accents.Slug)
	}

	// A draft follows its name; once published the slug stays, also after unpublishing.
	d := create(t, api, staff, "events", body("events", "Festival Jenang", set("status", "draft")))
	var got listing
	api.Send(http.MethodPatch, "/api/v1/events/"+d.ID, map[string]any{"name": map[string]any{"id": "Festival Jenang Solo"}}, staff).
		Expect(http.StatusOK).JSON(&got)
	if got.Slug != "festival-jenang-solo" {
		t.Errorf("draft renamed: slug %q", got.Slug)
	}
	api.Send(http.MethodPatch, "/api/v1/events/"+d.ID, map[string]any{"status": "published"}, staff).Expect(http.StatusOK)
	api.Send(http.MethodPatch, "/api/v1/events/"+d.ID, map[string]any{"name": map[string]any{"id": "Festival Jenang Surakarta"}}, staff).
		Expect(http.StatusOK).JSON(&got)
	if got.Slug != "festival-jenang-solo" {
		t.Errorf("published renamed: slug %q, want it kept", got.Slug)
	}
	api.Send(http.MethodPatch, "/api/v1/events/"+d.ID, map[string]any{"status": "draft", "name": map[string]any{"id": "Festival Lain"}}, staff).
		Expect(http.StatusOK).JSON(&got)
	if got.Slug != "festival-jenang-solo" {
		t.Errorf("unpublished renamed: slug %q, want it kept", got.Slug)
	}
	api.Get("/api/v1/events/festival-jenang-solo", staff).Expect(http.StatusOK)
}

func TestIgnoredAndKeptFields(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	b := body("culinary", "Timlo Sastro",
		set("id", "0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"), set("slug", "my-slug"),
		set("rating", map[string]any{"average": 5, "count": 1000}), set("created_at", "2001-01-01T00:00:00Z"),
		set("ticket_prices", []map[string]any{{"label": "x", "amount_idr": 1}}),
		set("specialties", []string{"Timlo komplit"}), set("price_range", 2), set("halal", true),
		set("tags", []string{"soup", "legendary"}),
		set("contact", map[string]any{"phone": "+62 271 123456", "instagram": "@timlosastro"}))
	var l map[string]any
	api.Send(http.MethodPost, "/api/v1/culinary", b, staff).Expect(http.StatusCreated).JSON(&l)
	if l["id"] == "0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" || l["slug"] != "timlo-sastro" {
		t.Errorf("id/slug taken from the body: %v %v", l["id"], l["slug"])
	}
	if r := l["rating"].(map[string]any); r["count"].(float64) != 0 {
		t.Errorf("rating taken from the body: %v", r)
	}
	if strings.HasPrefix(l["created_at"].(string), "2001") {
		t.Error("created_at taken from the body")
	}
	if _, ok := l["ticket_prices"]; ok {
		t.Error("a culinary spot has ticket_prices")
	}
	if _, ok := l["name"].(map[string]any); !ok {
		t.Errorf("write response name = %v, want the {id, en} object", l["name"])
	}
	if c := l["contact"].(map[string]any); c["instagram"] != "timlosastro" {
		t.Errorf("instagram %v", c["instagram"])
	}

	// PATCH replaces only the fields it sends.
	id := l["id"].(string)
	var p map[string]any
	api.Send(http.MethodPatch, "/api/v1/culinary/"+id+"?lang=en", map[string]any{"price_range": 3}, staff).Expect(http.StatusOK).JSON(&p)
	if p["price_range"].(float64) != 3 || p["halal"] != true || len(p["specialties"].([]any)) != 1 || len(p["tags"].([]any)) != 2 {
		t.Errorf("patch lost fields: %v", p)
	}
	if p["name"] != "Timlo Sastro (EN)" {
		t.Errorf("?lang=en write response name = %v", p["name"])
	}
}

func TestWritesAreAudited(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	admin := api.Admin()
	l := create(t, api, staff, "attractions", body("attractions", "Benteng Vastenburg"))
	api.Send(http.MethodPatch, "/api/v1/attractions/"+l.ID, map[string]any{"address": "Jl. Mayor Sunaryo"}, admin).Expect(http.StatusOK)
	api.Send(http.MethodDelete, "/api/v1/attractions/"+l.ID, nil, staff).Expect(http.StatusNoContent)
	var out struct {
		Data []struct {
			Action     string `json:"action"`
			Entity     string `json:"entity"`
			ActorEmail string `json:"actor_email"`
		} `json:"data"`
	}
	api.Get("/api/v1/admin/audit-log?entity_id="+l.ID, admin).Expect(http.StatusOK).JSON(&out)
	var actions []string
	for _, e := range out.Data {
		actions = append(actions, e.Action+" by "+e.ActorEmail)
		if e.Entity != "attraction" {
			t.Errorf("entity %q", e.Entity)
		}
	}
	want := []string{"attraction.archive by " + staff.Email, "attraction.update by " + admin.Email, "attraction.create by " + staff.Email}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audit = %v, want %v", actions, want)
	}
}
