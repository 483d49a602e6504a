package catalog_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/platform/testdb"
)

// statements records the read statements the API runs while on.
type statements struct {
	mu   sync.Mutex
	on   bool
	list []captured
}

type captured struct {
	sql  string
	vars []any
}

func captureStatements(t *testing.T, api *apitest.API) *statements {
	t.Helper()
	s := &statements{}
	err := api.DB.DB.Callback().Row().After("gorm:row").Register("test:capture", func(db *gorm.DB) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.on {
			s.list = append(s.list, captured{db.Statement.SQL.String(), append([]any(nil), db.Statement.Vars...)})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// during runs f with the capture on and returns the statements it ran.
func (s *statements) during(f func()) []captured {
	s.mu.Lock()
	s.on, s.list = true, nil
	s.mu.Unlock()
	f()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on = false
	return s.list
}

// requireSmallPlans explains every statement of run and fails the test for
// one with a plan node that visits more than limit rows.
func requireSmallPlans(t *testing.T, db *sql.DB, label string, run []captured, limit float64) {
	t.Helper()
	for _, c := range run {
		if strings.HasPrefix(c.sql, "EXPLAIN") {
			continue // the facets strategy's estimate: planned, never run
		}
		var out []byte
		if err := db.QueryRow("EXPLAIN (ANALYZE, FORMAT JSON) "+c.sql, c.vars...).Scan(&out); err != nil {
			t.Fatal(err)
		}
		var plan []struct {
			Plan map[string]any `json:"Plan"`
		}
		if err := json.Unmarshal(out, &plan); err != nil {
			t.Fatal(err)
		}
		if most, where := rowsVisited(plan[0].Plan); most > limit {
			t.Errorf("%s: %s visits %.0f rows:\n%s", label, where, most, strings.Join(strings.Fields(c.sql), " "))
		}
	}
}

// rowsVisited is the most rows one node of an EXPLAIN ANALYZE plan
// produced or threw away, over all its loops.
func rowsVisited(node map[string]any) (float64, string) {
	n := func(k string) float64 { f, _ := node[k].(float64); return f }
	loops := n("Actual Loops")
	if loops == 0 {
		loops = 1
	}
	most := (n("Actual Rows") + n("Rows Removed by Filter") + n("Rows Removed by Index Recheck")) * loops
	where := fmt.Sprint(node["Node Type"], " ", node["Index Name"])
	kids, _ := node["Plans"].([]any)
	for _, k := range kids {
		if m, w := rowsVisited(k.(map[string]any)); m > most {
			most, where = m, w
		}
	}
	return most, where
}

// TestNearPlansDoNotGrowWithTheTable fills the city with 20 000
// attractions and requires that no statement behind a radius query with
// another sort touches more than a few thousand rows: before, PostgreSQL
// took the spatial index for the whole box (it estimates every box at a
// fixed fraction of the table) and sorted every listing in the radius.
func TestNearPlansDoNotGrowWithTheTable(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("plans are PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	const n = 20000
	// A fixed seed: the same city every run, so a small radius with a
	// rating floor is never empty by chance.
	err := api.DB.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT setseed(0.42)").Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO listings (id, kind, slug, status, name_id, category, lat, lng, rating_avg, rating_count, rating_sum, created_at, updated_at, published_at)
 SELECT gen_random_uuid(), 'attraction', 'tempat-' || i, 'published', 'Tempat ' || md5(i::text), 'museum',
  ? + (random() - 0.5) * 0.03, ? + (random() - 0.5) * 0.03, round((random() * 5)::numeric, 1), 1, 1, now(), now(), now()
 FROM generate_series(1, ?) AS i`, keraton.Lat, keraton.Lng, n).Error; err != nil {
			return err
		}
		// A category whose names all come after the museums': the kind's
		// name order passes every museum before its first stage.
		return tx.Exec(`INSERT INTO listings (id, kind, slug, status, name_id, category, lat, lng, rating_avg, rating_count, rating_sum, created_at, updated_at, published_at)
 SELECT gen_random_uuid(), 'attraction', 'zaal-' || i, 'published', 'Zaal ' || md5(i::text), 'performing_arts',
  ? + (random() - 0.5) * 0.03, ? + (random() - 0.5) * 0.03, round((random() * 5)::numeric, 1), 1, 1, now(), now(), now()
 FROM generate_series(1, ?) AS i`, keraton.Lat, keraton.Lng, n/4).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.DB.Exec("ANALYZE listings").Error; err != nil {
		t.Fatal(err)
	}
	// The categories' sample too, as a refresh reads it: read behind a
	// request, its statement (bounded by the sample's size, not the
	// table's) would land among the next request's.
	if err := catalog.SampleFacetStats(api.App.Catalog, 200); err != nil {
		t.Fatal(err)
	}
	sqlDB := api.DB.SQL
	st := captureStatements(t, api)
	for _, v := range []url.Values{
		q("q", "tempat", "near", keraton.near(), "radius_m", "3000", "limit", "20"), // /search
		q("q", "tempat", "near", keraton.near(), "radius_m", "100", "types", "attraction", "limit", "20"),
		q("near", keraton.near(), "radius_m", "3000", "sort", "rating", "limit", "20"),
		q("near", keraton.near(), "radius_m", "50000", "sort", "name", "limit", "20"),
		q("near", keraton.near(), "radius_m", "3000", "sort", "newest", "limit", "20"),
		q("near", keraton.near(), "radius_m", "3000", "sort", "rating", "category", "museum", "limit", "20"),
		q("near", keraton.near(), "radius_m", "3000", "sort", "rating", "min_rating", "4", "limit", "20"),
		q("near", keraton.near(), "radius_m", "3000", "sort", "rating", "q", "tempat", "limit", "20"),
		q("near", keraton.near(), "radius_m", "100", "sort", "rating", "limit", "20"),
		q("near", keraton.near(), "radius_m", "100", "sort", "name", "limit", "20"),
		// The category's own name index, which carries the location.
		q("near", keraton.near(), "radius_m", "50000", "sort", "name", "category", "performing_arts", "limit", "20"),
		q("near", keraton.near(), "radius_m", "50000", "sort", "name", "category", "performing_arts", "lang", "en", "limit", "20"),
		// Sorted by distance with a filter: nearest-first with the filter
		// in the scan (a dense radius), or the collected radius filtered.
		q("near", keraton.near(), "radius_m", "50000", "sort", "distance", "q", "tempat", "limit", "20"),
		q("near", keraton.near(), "radius_m", "3000", "sort", "distance", "min_rating", "4.5", "limit", "20"),
		q("near", keraton.near(), "radius_m", "100", "sort", "distance", "min_rating", "4.5", "limit", "20"),
		q("near", keraton.near(), "radius_m", "3000", "sort", "distance", "category", "museum", "q", "tempat", "limit", "20"),
		// Search words with a category walk the category's index.
		q("q", "tempat", "category", "museum", "sort", "relevance", "limit", "20"),
		q("q", "tempat", "category", "museum", "sort", "newest", "limit", "20"),
	} {
		found := 0
		run := st.during(func() {
			if v.Has("sort") {
				found = len(list(t, api, "/api/v1/attractions", v).Data)
			} else {
				found = len(search(t, api, "/api/v1/search", v).Data)
			}
		})
		if found == 0 {
			t.Errorf("%v: empty", v.Encode())
		}
		requireSmallPlans(t, sqlDB, v.Encode(), run, 4100)
	}
}
