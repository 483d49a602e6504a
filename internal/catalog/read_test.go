package catalog_test

import (
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

func TestLanguages(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	both := create(t, api, staff, "attractions", body("attractions", "Pura Mangkunegaran",
		set("name", map[string]any{"id": "Pura Mangkunegaran", "en": "Mangkunegaran Palace"}),
		set("description", map[string]any{"id": "Istana Mangkunegaran.", "en": "The Mangkunegaran palace."})))
	idOnly := create(t, api, staff, "attractions", body("attractions", "Pasar Klewer",
		set("name", map[string]any{"id": "Pasar Klewer"}), set("description", map[string]any{"id": "Pasar batik."})))

	get := func(path string, header map[string]string) (*apitest.Response, map[string]any) {
		r := api.Do(apitest.Req{Method: http.MethodGet, Path: path, Header: header}).Expect(http.StatusOK)
		return r, r.Map()
	}
	tests := []struct {
		name     string
		query    string
		header   map[string]string
		lang     string // Content-Language
		wantName string
		wantDesc string
	}{
		{"default Indonesian", "", nil, "id", "Pura Mangkunegaran", "Istana Mangkunegaran."},
		{"lang=en", "?lang=en", nil, "en", "Mangkunegaran Palace", "The Mangkunegaran palace."},
		{"Accept-Language en", "", map[string]string{"Accept-Language": "en-US,en;q=0.8"}, "en", "Mangkunegaran Palace", "The Mangkunegaran palace."},
		{"lang wins over the header", "?lang=id", map[string]string{"Accept-Language": "en"}, "id", "Pura Mangkunegaran", "Istana Mangkunegaran."},
		{"unknown lang is Indonesian", "?lang=fr", map[string]string{"Accept-Language": "en"}, "id", "Pura Mangkunegaran", "Istana Mangkunegaran."},
		{"unsupported header is Indonesian", "", map[string]string{"Accept-Language": "de-DE"}, "id", "Pura Mangkunegaran", "Istana Mangkunegaran."},
	}
	for _, tc := range tests {
		r, m := get("/api/v1/attractions/"+both.Slug+tc.query, tc.header)
		if m["name"] != tc.wantName || m["description"] != tc.wantDesc {
			t.Errorf("%s: name %v, description %v", tc.name, m["name"], m["description"])
		}
		if got := r.Header.Get("Content-Language"); got != tc.lang {
			t.Errorf("%s: Content-Language %q, want %q", tc.name, got, tc.lang)
		}
		if !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept-Language") {
			t.Errorf("%s: Vary %v lacks Accept-Language", tc.name, r.Header.Values("Vary"))
		}
	}
	// English falls back to Indonesian text when there is none.
	if _, m := get("/api/v1/attractions/"+idOnly.ID+"?lang=en", nil); m["name"] != "Pasar Klewer" || m["description"] != "Pasar batik." {
		t.Errorf("fallback: %v / %v", m["name"], m["description"])
	}
	// lang=all returns the objects, in lists too.
	r, m := get("/api/v1/attractions/"+both.ID+"?lang=all", nil)
	if name, ok := m["name"].(map[string]any); !ok || name["id"] != "Pura Mangkunegaran" || name["en"] != "Mangkunegaran Palace" {
		t.Errorf("lang=all name %v", m["name"])
	}
	if r.Header.Get("Content-Language") != "id, en" {
		t.Errorf("lang=all Content-Language %q", r.Header.Get("Content-Language"))
	}
	var p struct {
		Data []map[string]any `json:"data"`
	}
	api.Get("/api/v1/attractions?lang=all&sort=name", apitest.Anonymous).Expect(http.StatusOK).JSON(&p)
	if d, ok := p.Data[0]["description"].(map[string]any); !ok || d["en"] != "" || d["id"] != "Pasar batik." {
		t.Errorf("list lang=all description %v", p.Data[0]["description"])
	}
	api.Get("/api/v1/attractions?lang=en&sort=name", apitest.Anonymous).Expect(http.StatusOK).JSON(&p)
	if p.Data[0]["name"] != "Mangkunegaran Palace" || p.Data[1]["description"] != "Pasar batik." {
		t.Errorf("list lang=en: %v / %v", p.Data[0]["name"], p.Data[1]["description"])
	}
}

// TestReadShapesAgree holds the hand-written encoder of the read endpoints
// to the documented listingResponse, which writes use.
func TestReadShapesAgree(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	bodies := map[string]map[string]any{
		"attractions": body("attractions", `Museum "Radya" <Pustaka> & Co`, set("tags", []string{"museum", "history"}),
			set("opening_hours", []map[string]any{{"day": 1, "open": "09:00", "close": "14:00"}, {"day": 5, "open": "20:00", "close": "02:00"}}),
			set("ticket_prices", []map[string]any{{"label": "Dewasa", "amount_idr": 15000}}),
			set("contact", map[string]any{"phone": "+62271123456", "website": "https://example.com/?a=1&b=2"}),
			set("address", "Jl. Slamet Riyadi No. 275\nSurakarta\t\u2028")),
		"culinary": body("culinary", "Serabi Notosuman", set("specialties", []string{"Serabi cokelat"}), set("halal", true)),
		"events":   body("events", "Festival Ñandú", set("venue", "Benteng"), set("ticket_url", "https://tiket.example.com/x")),
	}
	for plural, b := range bodies {
		created := create(t, api, staff, plural, b)
		for _, lang := range []string{"id", "en", "all"} {
			var patched, read map[string]any
			api.Send(http.MethodPatch, "/api/v1/"+plural+"/"+created.ID+"?lang="+lang, map[string]any{}, staff).Expect(http.StatusOK).JSON(&patched)
			api.Get("/api/v1/"+plural+"/"+created.ID+"?lang="+lang, apitest.Anonymous).Expect(http.StatusOK).JSON(&read)
			var listed struct {
				Data []map[string]any `json:"data"`
			}
			api.Get("/api/v1/"+plural+"?lang="+lang, apitest.Anonymous).Expect(http.StatusOK).JSON(&listed)
			delete(patched, "updated_at") // the PATCH touched it after the read above
			delete(read, "updated_at")
			if !reflect.DeepEqual(patched, read) {
				t.Errorf("%s lang=%s: read differs from the typed response\n read %v\ntyped %v", plural, lang, read, patched)
			}
			delete(listed.Data[0], "updated_at")
			if !reflect.DeepEqual(listed.Data[0], read) {
				t.Errorf("%s lang=%s: list item differs from detail\n list %v\n read %v", plural, lang, listed.Data[0], read)
			}
		}
	}
}

func TestETagAndCaching(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	l := create(t, api, staff, "culinary", body("culinary", "Timlo Sastro"))
	for _, path := range []string{
		"/api/v1/culinary/" + l.Slug, "/api/v1/culinary", "/api/v1/categories",
		"/api/v1/search?q=timlo", "/api/v1/search/suggest?q=tim",
	} {
		first := api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
		etag := first.Header.Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", path)
			continue
		}
		if cc := first.Header.Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		again := api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
		if again.Header.Get("ETag") != etag {
			t.Errorf("%s: ETag changed without a change", path)
		}
		for _, inm := range []string{etag, `"other", ` + etag, strings.TrimPrefix(etag, "W/"), "*"} {
			nm := api.Do(apitest.Req{Method: http.MethodGet, Path: path, Header: map[string]string{"If-None-Match": inm}})
			nm.Expect(http.StatusNotModified)
			if len(nm.Body) != 0 || nm.Header.Get("ETag") != etag {
				t.Errorf("%s: 304 with body %q, ETag %q", path, nm.Body, nm.Header.Get("ETag"))
			}
		}
		api.Do(apitest.Req{Method: http.MethodGet, Path: path, Header: map[string]string{"If-None-Match": `W/"stale"`}}).Expect(http.StatusOK)
		en := api.Do(apitest.Req{Method: http.MethodGet, Path: path, Header: map[string]string{"Accept-Language": "en"}}).Expect(http.StatusOK)
		if path != "/api/v1/search/suggest?q=tim" && en.Header.Get("ETag") == etag {
			t.Errorf("%s: the English response has the Indonesian ETag", path)
		}
	}
	// A change makes a new ETag, and the old one no longer matches.
	path := "/api/v1/culinary/" + l.ID
	old := api.Get(path, apitest.Anonymous).Header.Get("ETag")
	api.Send(http.MethodPatch, path, map[string]any{"address": "Jl. Jend. Sudirman"}, staff).Expect(http.StatusOK)
	r := api.Do(apitest.Req{Method: http.MethodGet, Path: path, Header: map[string]string{"If-None-Match": old}}).Expect(http.StatusOK)
	if r.Header.Get("ETag") == old {
		t.Error("ETag unchanged after an edit")
	}
	// Staff lists by status are private.
	r = api.Get("/api/v1/culinary?status=all", staff).Expect(http.StatusOK)
	if r.Header.Get("Cache-Control") != "private, no-store" || r.Header.Get("ETag") != "" {
		t.Errorf("staff list: Cache-Control %q, ETag %q", r.Header.Get("Cache-Control"), r.Header.Get("ETag"))
	}
}

func TestCategories(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	raw, err := os.ReadFile("demo/categories.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][]struct {
		Code string            `json:"code"`
		Name map[string]string `json:"name"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	var id, en map[string][]struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	api.Get("/api/v1/categories", apitest.Anonymous).Expect(http.StatusOK).JSON(&id)
	api.Get("/api/v1/categories?lang=en", apitest.Anonymous).Expect(http.StatusOK).JSON(&en)
	for _, plural := range plurals {
		if len(id[plural]) != len(want[plural]) || len(want[plural]) == 0 {
			t.Fatalf("%s: %d categories, want %d", plural, len(id[plural]), len(want[plural]))
		}
		for i, c := range want[plural] {
			if id[plural][i].Code != c.Code || id[plural][i].Name != c.Name["id"] || en[plural][i].Name != c.Name["en"] {
				t.Errorf("%s[%d] = %+v / %+v, want %+v", plural, i, id[plural][i], en[plural][i], c)
			}
		}
	}
	var all map[string][]map[string]any
	api.Get("/api/v1/categories?lang=all", apitest.Anonymous).Expect(http.StatusOK).JSON(&all)
	if _, ok := all["events"][0]["name"].(map[string]any); !ok {
		t.Errorf("lang=all category name %v", all["events"][0]["name"])
	}
}
