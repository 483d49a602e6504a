package catalog_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/platform/testdb"
)

// TestFacetCellsMatchTheMigration: catalog_facets in PostgreSQL names the
// cell of a location as the Go code that queries it does, on grid lines,
// either side of zero and at random.
func TestFacetCellsMatchTheMigration(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("the facets index is PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	points := [][2]float64{{-7.5778, 110.8278}, {0, 0}, {-0.004, -0.004}, {0.004, 0.016}, {-7.568, 110.816}, {-90, -180}, {90, 180}, {-7.5, 110.75}}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		points = append(points, [2]float64{r.Float64()*180 - 90, r.Float64()*360 - 180})
	}
	for _, p := range points {
		var got string
		if err := api.DB.Raw("SELECT catalog_facets(''::tsvector, 'x', ?, ?)::text", p[0], p[1]).Row().Scan(&got); err != nil {
			t.Fatal(err)
		}
		for level := range catalog.GridLevels {
			if want := "'" + catalog.CellLexeme(level, p[0], p[1]) + "'"; !strings.Contains(got, want) {
				t.Errorf("%v: PostgreSQL says %s, Go %s", p, got, want)
			}
		}
	}
}

// TestNewWordsDoNotSerialiseWriters: two transactions that add listings
// holding the same new word both go through while neither has committed
// (a unique list of words would make the second wait for the first, and
// a bulk load over two connections wait for ever), and the word is then
// found once.
func TestNewWordsDoNotSerialiseWriters(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("the word list is PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	insert := `INSERT INTO listings (id, kind, slug, status, name_id, category, lat, lng, rating_avg, rating_count, rating_sum, created_at, updated_at, published_at)
 VALUES (gen_random_uuid(), 'attraction', ?, 'published', 'Zqxwvy Baru', 'museum', -7.57, 110.82, 0, 0, 0, now(), now(), now())`
	first := api.DB.Begin()
	defer first.Rollback()
	if err := first.Exec(insert, "zqxwvy-1").Error; err != nil {
		t.Fatal(err)
	}
	second := api.DB.Begin()
	defer second.Rollback()
	if err := second.Exec("SET LOCAL lock_timeout = '2s'").Error; err != nil {
		t.Fatal(err)
	}
	if err := second.Exec(insert, "zqxwvy-2").Error; err != nil {
		t.Fatalf("the second writer waited for the first: %v", err)
	}
	if err := second.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := first.Commit().Error; err != nil {
		t.Fatal(err)
	}
	p := list(t, api, "/api/v1/attractions", q("q", "zqxw", "category", "museum", "sort", "rating"))
	if len(p.Data) != 2 {
		t.Fatalf("q=zqxw found %d listings, want 2", len(p.Data))
	}
}

// TestSearchVectorStaysInTheRow: the walks check the words on every row
// they read, so the search vector is kept in the row (storage MAIN), not
// out of line with the descriptions (migration 20261206150000).
func TestSearchVectorStaysInTheRow(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("column storage is PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	var storage string
	err := api.DB.Raw("SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'listings'::regclass AND attname = 'search'").Row().Scan(&storage)
	if err != nil {
		t.Fatal(err)
	}
	if storage != "m" {
		t.Errorf("listings.search has storage %q, want m (main: in the row)", storage)
	}
}

// TestNameBlocksMatchTheMigration: every name's key lies in the key range
// walked for each name block lexeme catalog_facets gives it, and the Go
// code finds the same lexemes from the key, in both languages.
func TestNameBlocksMatchTheMigration(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("the facets index is PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	names := []string{"Taman Edukasi Jebres 12", "taman edukasi", "Taman  Edukasi 3", "Taman Edukasi-Anak 4", "Taman-Edukasi 5",
		"Alun-alun Kidul", "Pasar Gede", "Zz Zz", "Museum zz 9", "Rumah 1", "12 Taman", "Édukasi Taman", "Taman Édukasi",
		"Pura Mangkunegaran", "a b", "Gereja St. Antonius", "Keraton " + strings.Repeat("x", 70), strings.Repeat("y", 58) + " ab"}
	for _, name := range names {
		for _, lang := range []string{"id", "en"} {
			nameID, nameEN := name, ""
			if lang == "en" {
				nameID, nameEN = "Ignored "+name, name
			}
			var lexemes string
			if err := api.DB.Raw("SELECT array_to_string(tsvector_to_array(catalog_facets(''::tsvector, 'x', 0, 0, ?, ?)), ' ')", nameID, nameEN).
				Row().Scan(&lexemes); err != nil {
				t.Fatal(err)
			}
			lead := map[string]string{"id": "~f_ ~p_", "en": "~e_ ~q_"}[lang]
			var fromDB []string
			for _, l := range strings.Fields(lexemes) {
				if strings.HasPrefix(l, lead[:3]) || strings.HasPrefix(l, lead[4:]) {
					fromDB = append(fromDB, l)
				}
			}
			key := strings.ToLower(name)
			blocks := catalog.NameBlocksOf(lang, key)
			for _, l := range fromDB {
				r, ok := blocks[l]
				if !ok {
					if len(l) > 3+60-1 { // a run longer than the index keeps: no block is walked for it
						continue
					}
					t.Errorf("%q (%s): the index holds %s, which the code does not find in %v", name, lang, l, blocks)
					continue
				}
				if r[1] == "" {
					continue
				}
				var in bool
				if err := api.DB.Raw("SELECT ? >= ? AND ? < ?", key, r[0], key, r[1]).Row().Scan(&in); err != nil {
					t.Fatal(err)
				}
				if !in {
					t.Errorf("%q (%s): key outside the range %q–%q walked for %s", name, lang, r[0], r[1], l)
				}
			}
			if len(blocks) > len(fromDB) {
				t.Errorf("%q (%s): the code finds blocks %v, the index holds %v", name, lang, blocks, fromDB)
			}
		}
	}
}
