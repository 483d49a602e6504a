package catalog_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
)

// seedDemo loads the demo listings the way app.Seed does.
func seedDemo(t testing.TB, api *apitest.API) {
	t.Helper()
	ctx := context.Background()
	if err := api.DB.InTx(ctx, func(tx *gorm.DB) error { return api.App.Catalog.SeedDemo(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

type hit struct {
	Type      string   `json:"type"`
	ID        string   `json:"id"`
	Slug      string   `json:"slug"`
	Name      string   `json:"name"`
	Snippet   string   `json:"snippet"`
	DistanceM *float64 `json:"distance_m"`
}

type hits struct {
	Data []hit `json:"data"`
	Meta struct {
		Limit      int     `json:"limit"`
		NextCursor *string `json:"next_cursor"`
	} `json:"meta"`
}

func search(t testing.TB, api *apitest.API, path string, v url.Values) hits {
	t.Helper()
	var h hits
	api.Get(path+"?"+v.Encode(), apitest.Anonymous).Expect(http.StatusOK).JSON(&h)
	return h
}

func TestSearchDemoContent(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	seedDemo(t, api)

	h := search(t, api, "/api/v1/search", q("q", "serabi"))
	if len(h.Data) == 0 || h.Data[0].Slug != "serabi-notosuman" || h.Data[0].Type != "culinary" {
		t.Fatalf("q=serabi: %+v", h.Data)
	}
	if !strings.Contains(strings.ToLower(h.Data[0].Snippet), "serabi") || len(h.Data[0].Snippet) > 400 {
		t.Errorf("snippet %q", h.Data[0].Snippet)
	}

	// Name matches come first.
	h = search(t, api, "/api/v1/search", q("q", "keraton", "limit", "100"))
	seenOther := false
	named := 0
	for _, x := range h.Data {
		inName := strings.Contains(strings.ToLower(x.Name), "keraton")
		if inName && seenOther {
			t.Errorf("q=keraton: %q ranks after a listing without keraton in its name", x.Name)
		}
		seenOther = seenOther || !inName
		if inName {
			named++
		}
	}
	if named < 3 {
		t.Errorf("q=keraton: only %d name matches in %+v", named, h.Data)
	}
	walked := walkSearch(t, api, q("q", "keraton", "limit", "2"))
	if strings.Join(walked, ",") != strings.Join(hitIDs(h), ",") {
		t.Errorf("q=keraton walked with limit 2:\n%v\nwant\n%v", walked, hitIDs(h))
	}

	// Types, language, distances.
	for _, x := range search(t, api, "/api/v1/search", q("q", "keraton", "types", "event,culinary")).Data {
		if x.Type != "event" && x.Type != "culinary" {
			t.Errorf("types=event,culinary returned a %s", x.Type)
		}
	}
	en := search(t, api, "/api/v1/search", q("q", "notosuman", "lang", "en"))
	if len(en.Data) == 0 || en.Data[0].Name != "Notosuman Serabi" {
		t.Errorf("lang=en: %+v", en.Data)
	}
	near := search(t, api, "/api/v1/search", q("q", "batik", "near", keraton.near(), "radius_m", "1500"))
	if len(near.Data) == 0 {
		t.Fatal("q=batik near Keraton: nothing")
	}
	for _, x := range near.Data {
		if x.DistanceM == nil || *x.DistanceM > 1500 {
			t.Errorf("%s: distance_m %v outside 1500 m", x.Slug, x.DistanceM)
		}
	}
	all := search(t, api, "/api/v1/search", q("q", "batik", "near", keraton.near()))
	if len(all.Data) <= len(near.Data) || all.Data[0].DistanceM == nil {
		t.Errorf("near without radius_m should only add distances: %d vs %d hits", len(all.Data), len(near.Data))
	}

	for _, bad := range []string{"", "q=", "q=%20", "q=!!", "q=batik&types=hotel", "q=batik&types=attractions",
		"q=batik&near=1,2,3", "q=batik&radius_m=10", "q=batik&limit=0", "q=batik&cursor=abc"} {
		api.Get("/api/v1/search?"+bad, apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
}

func walkSearch(t testing.TB, api *apitest.API, v url.Values) []string {
	t.Helper()
	var out []string
	for range 100 {
		h := search(t, api, "/api/v1/search", v)
		out = append(out, hitIDs(h)...)
		if h.Meta.NextCursor == nil {
			return out
		}
		v.Set("cursor", *h.Meta.NextCursor)
	}
	t.Fatal("search walk did not end")
	return nil
}

func hitIDs(h hits) []string {
	out := make([]string, len(h.Data))
	for i, x := range h.Data {
		out[i] = x.ID
	}
	return out
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	seedDemo(t, api)
	staff := tourismStaff(api)
	create(t, api, staff, "culinary", body("culinary", "Serabi Rahasia", set("status", "draft")))

	names := func(query string) []string {
		h := search(t, api, "/api/v1/search/suggest", q("q", query))
		if len(h.Data) > 10 {
			t.Errorf("q=%s: %d suggestions", query, len(h.Data))
		}
		var out []string
		for _, x := range h.Data {
			if x.ID == "" || x.Slug == "" || x.Type == "" {
				t.Errorf("q=%s: incomplete suggestion %+v", query, x)
			}
			out = append(out, x.Name)
		}
		return out
	}
	contains := func(list []string, want string) bool {
		for _, s := range list {
			if s == want {
				return true
			}
		}
		return false
	}
	for query, want := range map[string]string{
		"serabi notosman": "Serabi Notosuman",                        // typo
		"keraton":         "Keraton Kasunanan Surakarta Hadiningrat", // prefix of a word
		"kera":            "Keraton Kasunanan Surakarta Hadiningrat",
		"KASUNANAN":       "Keraton Kasunanan Surakarta Hadiningrat", // a later word
		"mangkunegaran":   "Pura Mangkunegaran",
		"tengkleng edi":   "Tengkleng Bu Edi",
		"tengklng":        "Tengkleng Bu Edi", // typo
	} {
		if got := names(query); !contains(got, want) {
			t.Errorf("q=%q: %v lacks %q", query, got, want)
		}
	}
	if got := names("keraton"); !strings.HasPrefix(strings.ToLower(got[0]), "keraton") {
		t.Errorf("q=keraton: first suggestion %q does not start with the word", got[0])
	}
	if got := names("serabi"); contains(got, "Serabi Rahasia") {
		t.Error("a draft was suggested")
	}
	if got := names("zzzqqq"); len(got) != 0 {
		t.Errorf("nonsense suggested %v", got)
	}
	en := search(t, api, "/api/v1/search/suggest", q("q", "notosuman", "lang", "en"))
	if len(en.Data) == 0 || en.Data[0].Name != "Notosuman Serabi" {
		t.Errorf("lang=en: %+v", en.Data)
	}
	for _, bad := range []string{"", "q=", "q=%20%20", "q=-"} {
		api.Get("/api/v1/search/suggest?"+bad, apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
}
