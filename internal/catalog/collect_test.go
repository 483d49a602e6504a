package catalog_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/platform/testdb"
)

// collectCatalog fills a catalog for the word and tag strategies:
// attractions with a common tag (heritage), a rare one (rare) and none of
// the event-only tag (culture); a common word (tempat, in every
// description), a rare one (stage: in three names and three descriptions,
// so relevance pages cross from the name tier to the other); rating and
// name ties; and events starting over two months, a few of them spanning
// weeks, tagged culture.
func collectCatalog(t *testing.T, api *apitest.API) {
	t.Helper()
	staff := tourismStaff(api)
	names := []string{"Candi Sewu", "candi sewu", "Omah Lawas", "Pendapa", "Museum Radya", "taman Balekambang"}
	for i := range 48 {
		name := fmt.Sprintf("%s %d", names[i%len(names)], i%4) // repeats: name ties broken by id
		if i%16 == 5 {
			name = fmt.Sprintf("Stage Kota %d", i%3)
		}
		desc := "Tempat bersejarah."
		if i%16 == 9 {
			desc = "Tempat dengan stage terbuka."
		}
		tags := []string{}
		if i%2 == 0 {
			tags = append(tags, "heritage")
		}
		if i%16 == 3 || i%16 == 5 {
			tags = append(tags, "rare")
		}
		en := ""
		if i%3 == 0 {
			en = "Site " + name
		}
		a := create(t, api, staff, "attractions", body("attractions", name,
			set("name", map[string]any{"id": name, "en": en}),
			set("description", map[string]any{"id": desc, "en": "A place."}),
			set("category", []string{"museum", "market"}[i%3/2]), set("tags", tags)))
		setRating(t, api, a.ID, []float64{4.5, 3.0, 4.5, 5.0, 0, 4.0}[i%6], 4)
	}
	// Markets at the end of the candi block (past a short walk of it, which
	// meets only museums first) and one with candi later in its name; a
	// theme word second in names of two first words (edukasi), and an
	// English word in the names of two first words (house).
	for _, name := range []string{"Candi Zeta 1", "Candi Zeta 2", "Benteng Candi", "Galeri Edukasi 1", "Taman Edukasi 2",
		"taman edukasi 3", "Taman Edukasi-Anak 4", "Rumah Batik 1", "Rumah Batik 2", "Griya Seni 3"} {
		en := ""
		if first, rest, _ := strings.Cut(name, " "); first == "Rumah" || first == "Griya" {
			en = rest + " House"
		}
		a := create(t, api, staff, "attractions", body("attractions", name,
			set("name", map[string]any{"id": name, "en": en}),
			set("description", map[string]any{"id": "Tempat bersejarah.", "en": "A place."}),
			set("category", "market"), set("tags", []string{})))
		setRating(t, api, a.ID, 4.0, 4)
	}
	// A word found only in one category and one block of names, which the
	// statistics (word and category independent) expect rarer than it is:
	// the facets page overflows, and blocks from a sample find the page.
	for i, first := range []string{"Hutan Kota", "Hutan Kota", "hutan kota", "Hutan Kota", "Hutan Kota", "Alas Wisata"} {
		name := fmt.Sprintf("%s %d", first, i)
		a := create(t, api, staff, "attractions", body("attractions", name,
			set("name", map[string]any{"id": name, "en": fmt.Sprintf("Forest %d", i)}),
			set("description", map[string]any{"id": "Hutan kota yang teduh.", "en": "A shady forest."}),
			set("category", "park"), set("tags", []string{})))
		setRating(t, api, a.ID, 4.5, 4)
	}
	// By name, blocks whose keys interleave: "pasar legi9 …" sorts inside
	// the run of "pasar legi …" keys ("_" after "9"), so a window of the
	// name order that ends inside that run holds the page only up to its
	// last key.
	for i, name := range []string{"Pasar Legi Kidul 1", "Pasar Legi Lor 2", "Pasar Legi9 Kidul 3", "Pasar Legi_Kidul 4", "Pasar Legi_Kidul 5", "Pasar Legi_Kidul 6"} {
		a := create(t, api, staff, "attractions", body("attractions", name,
			set("name", map[string]any{"id": name, "en": ""}),
			set("description", map[string]any{"id": "Pasar kampung.", "en": "A market."}),
			set("category", "park"), set("tags", []string{})))
		setRating(t, api, a.ID, float64(3+i%2), 4)
	}
	base := time.Now().UTC().Truncate(time.Hour)
	for i := range 30 {
		s := base.Add(time.Duration(i*2-10) * 24 * time.Hour)
		span := 5 * time.Hour
		if i%10 == 2 {
			span = 40 * 24 * time.Hour // spans many windows
		}
		name := fmt.Sprintf("Festival %d", i%7)
		e := create(t, api, staff, "events", body("events", name,
			set("category", []string{"festival", "music"}[i%4/2]),
			set("tags", []string{"culture"}),
			set("starts_at", s.Format(time.RFC3339)), set("ends_at", s.Add(span).Format(time.RFC3339))))
		setRating(t, api, e.ID, []float64{4.5, 3.0, 4.5, 5.0, 0}[i%5], 2)
	}
}

// TestCollectStrategiesAgree runs word, tag and event date queries under
// every way a page may be found (the walk alone; a walk too short for a
// page, then the collected matches; a collect over its cap, then the long
// walk; both too short, then the planner) and requires exactly the pages
// of the straightforward query: same items, same order, same cursors.
func TestCollectStrategiesAgree(t *testing.T) {
	if raceDetector {
		t.Skip("sequential page comparisons: the passes without the race detector run them")
	}
	t.Parallel()
	api := apitest.New(t)
	collectCatalog(t, api)
	svc := api.App.Catalog

	type tc struct {
		path string
		v    url.Values
	}
	var cases []tc
	add := func(path string, sorts []string, kv ...string) {
		for _, s := range sorts {
			v := q(append(kv, "sort", s, "limit", "3")...)
			cases = append(cases, tc{path, v})
			if s == "name" {
				w := q(append(kv, "sort", s, "limit", "3", "lang", "en")...)
				cases = append(cases, tc{path, w})
			}
		}
	}
	plain := []string{"rating", "name", "newest"}
	words := []string{"relevance", "rating", "name", "newest"}
	for _, tag := range []string{"culture", "rare", "heritage", "nowhere"} {
		add("/api/v1/attractions", plain, "tag", tag)
		add("/api/v1/attractions", plain, "tag", tag, "category", "market")
	}
	add("/api/v1/attractions", plain, "tag", "rare", "tag", "heritage")
	add("/api/v1/attractions", plain, "tag", "heritage", "min_rating", "4.5")
	add("/api/v1/events", []string{"starts_at", "rating"}, "tag", "culture")
	add("/api/v1/attractions", words, "q", "forest", "category", "park")
	add("/api/v1/attractions", words, "q", "kota", "category", "park")
	add("/api/v1/attractions", words, "q", "kidul", "category", "park")
	add("/api/v1/attractions", words, "q", "kidul")
	for _, w := range []string{"stage", "tempat", "candi", "stage tempat", "zzz", "museum", "sewu", "candi sewu", "c", "site", "edukasi", "house", "batik"} {
		add("/api/v1/attractions", words, "q", w)
		add("/api/v1/attractions", words, "q", w, "category", "market")
		add("/api/v1/attractions", words, "q", w, "tag", "heritage")
	}
	add("/api/v1/attractions", words, "q", "tempat", "tag", "rare")
	add("/api/v1/events", words, "q", "festival")
	day := func(d int) string {
		return time.Now().UTC().Truncate(24 * time.Hour).Add(time.Duration(d) * 24 * time.Hour).Format(time.RFC3339)
	}
	for _, d := range []int{-20, 0, 7, 30, 60} {
		add("/api/v1/events", []string{"starts_at", "rating", "name", "newest"}, "from", day(d), "to", day(d+7))
		add("/api/v1/events", []string{"rating", "name"}, "to", day(d+7), "category", "music", "min_rating", "4")
		add("/api/v1/events", []string{"starts_at"}, "from", day(d))
		add("/api/v1/events", []string{"starts_at"}, "from", day(d), "to", day(d+7), "category", "music")
		add("/api/v1/events", []string{"starts_at"}, "from", day(d), "to", day(d+14), "q", "festival")
		add("/api/v1/events", []string{"starts_at"}, "from", day(d), "to", day(d+14), "tag", "culture", "category", "music")
	}

	want := make([][]string, len(cases))
	catalog.ForceNearStrategy(svc, "plain", 0)
	nonEmpty := 0
	for i, c := range cases {
		want[i] = pages(t, api, c.path, c.v)
		if !strings.HasPrefix(want[i][0], " → ") {
			nonEmpty++
		}
	}
	if nonEmpty < len(cases)*3/5 { // absent tags and words are meant to be empty
		t.Fatalf("only %d of %d queries found anything: the catalog does not test much", nonEmpty, len(cases))
	}
	for _, st := range []struct {
		name      string
		rows, cap int
		noFacets  bool
		blocks    string
	}{
		{"walk", 0, 0, false, "auto"}, // the walk holds every page
		{"walk", 3, 0, false, "auto"}, // the walk fails, the collect holds the page
		{"walk", 3, 2, false, "auto"}, // common tags and words pass the cap: the long walk (48 rows)
		{"walk", 1, 1, false, "auto"}, // the long walk (16 rows) fails too: the planner
		{"auto", 0, 0, false, "auto"}, // as served: words through the facets index
		{"auto", 3, 2, false, "auto"}, // the facets collect passes the cap: the walks
		{"auto", 0, 2, false, "auto"}, // … and walks of full length after it
		{"auto", 3, 0, false, "off"},  // the walk fails, then the facets index without name blocks
		{"auto", 0, 0, true, "auto"},  // as served without the facets index
		{"auto", 3, 2, true, "auto"},
		{"auto", 0, 0, false, "first"},        // by name: a word's block and its matches outside it
		{"auto", 3, 0, false, "first"},        // a block walk of 3 rows: large blocks give way
		{"auto", 0, 2, false, "first"},        // matches outside the block pass the cap: they give way
		{"auto", 0, 0, false, "sample"},       // by name: blocks of first words or pairs from a sample
		{"auto", 3, 0, false, "sample"},       // block walks of 3 rows
		{"auto", 0, 0, false, "small-sample"}, // most matches outside the blocks
		{"auto", 0, 2, false, "small-sample"},
		{"auto", 0, 0, false, "window"},        // by name: windows of the name order from 2 rows, growing
		{"auto", 0, 2, false, "window"},        // their blocks' matches pass the cap: they give way
		{"auto", 0, 0, false, "narrow-window"}, // windows of more than 2 blocks give way
	} {
		catalog.ForceNearStrategy(svc, st.name, st.rows)
		catalog.SetCollectCap(svc, st.cap)
		catalog.SetFacets(svc, !st.noFacets)
		catalog.SetNameBlocks(svc, st.blocks)
		for i, c := range cases {
			got := pages(t, api, c.path, c.v)
			if strings.Join(got, "\n") != strings.Join(want[i], "\n") {
				t.Errorf("%s (walk rows %d, cap %d, no facets %v, name blocks %s) %s?%s:\n got %q\nwant %q",
					st.name, st.rows, st.cap, st.noFacets, st.blocks, c.path, c.v.Encode(), got, want[i])
			}
		}
	}
	// As served once the table is analysed: the statistics now steer the
	// facets page and the blocks. Word and category taken for independent,
	// park + forest is expected rarer than the cap of 2, the facets page
	// overflows, and blocks from a sample ("hutan kota") find the page.
	catalog.ForceNearStrategy(svc, "auto", 0)
	catalog.SetFacets(svc, true)
	catalog.SetNameBlocks(svc, "auto")
	if testdb.IsPostgres() {
		if err := api.DB.Exec("ANALYZE listings").Error; err != nil {
			t.Fatal(err)
		}
		catalog.ForgetFacetStats(svc)
		for _, capN := range []int{0, 2} {
			catalog.SetCollectCap(svc, capN)
			for i, c := range cases {
				got := pages(t, api, c.path, c.v)
				if strings.Join(got, "\n") != strings.Join(want[i], "\n") {
					t.Errorf("analysed (cap %d) %s?%s:\n got %q\nwant %q", capN, c.path, c.v.Encode(), got, want[i])
				}
			}
		}
		// With the categories' samples, which know forest for a word of
		// parks: no facets page, the walks, and after them no collect
		// when the sample finds the words past twice the cap.
		if err := catalog.SampleFacetStats(svc, 1); err != nil {
			t.Fatal(err)
		}
		for _, st := range []struct{ rows, cap int }{{0, 0}, {0, 2}, {3, 0}, {3, 2}} {
			catalog.ForceNearStrategy(svc, "auto", st.rows)
			catalog.SetCollectCap(svc, st.cap)
			for i, c := range cases {
				got := pages(t, api, c.path, c.v)
				if strings.Join(got, "\n") != strings.Join(want[i], "\n") {
					t.Errorf("sampled (walk rows %d, cap %d) %s?%s:\n got %q\nwant %q", st.rows, st.cap, c.path, c.v.Encode(), got, want[i])
				}
			}
		}
		catalog.ForceNearStrategy(svc, "auto", 0)
	}
	catalog.SetCollectCap(svc, 0)
}
