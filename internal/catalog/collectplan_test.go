package catalog_test

import (
	"net/url"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/platform/testdb"
)

// TestWordAndTagPlansDoNotGrowWithTheTable fills the catalog with 20 000
// attractions and 20 000 events and requires that no statement behind a
// rare or absent tag or search word, a word in a rare category, or an
// event date window touches more than a few thousand rows. Before, a walk
// that found no page left the query to the planner, which read every
// listing of the tag in every kind (an event tag asked of attractions),
// every match of the word in the kind, or every event that started
// before the window.
func TestWordAndTagPlansDoNotGrowWithTheTable(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("plans are PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	const n = 20000
	// Names: "Stage …" in one attraction in 700, "Wisma …" in one in
	// three (a block of the name order after "Tempat …"), "stage" in the
	// description of another; "pasar" in every second description; one in
	// a hundred in the market; heritage on every second, rare on one in a
	// thousand. Events start over two years, a few of them last 20 days,
	// one in 500 is a wayang show; every event has the tag culture.
	err := api.DB.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT setseed(0.42)").Error; err != nil {
			return err
		}
		err := tx.Exec(`INSERT INTO listings (id, kind, slug, status, name_id, description_id, category, lat, lng, rating_avg, rating_count, rating_sum, created_at, updated_at, published_at)
 SELECT gen_random_uuid(), 'attraction', 'tempat-' || i, 'published',
  CASE WHEN i % 700 = 1 THEN 'Stage ' WHEN i % 3 = 0 THEN 'Wisma ' ELSE 'Tempat ' END || md5(i::text),
  CASE WHEN i % 700 = 2 THEN 'Panggung stage terbuka' WHEN i % 2 = 0 THEN 'Dekat pasar' ELSE '' END,
  CASE WHEN i % 100 = 0 THEN 'market' ELSE 'museum' END,
  ?, ?, round((random() * 5)::numeric, 1), 1, 1, now(), now(), now()
 FROM generate_series(1, ?) AS i`, keraton.Lat, keraton.Lng, n).Error
		if err != nil {
			return err
		}
		err = tx.Exec(`INSERT INTO listings (id, kind, slug, status, name_id, category, lat, lng, rating_avg, rating_count, rating_sum, starts_at, ends_at, created_at, updated_at, published_at)
 SELECT gen_random_uuid(), 'event', 'acara-' || i, 'published', CASE WHEN i % 500 = 157 THEN 'Wayang ' ELSE 'Acara ' END || md5(i::text), 'festival',
  ?, ?, round((random() * 5)::numeric, 1), 1, 1, s, s + CASE WHEN i % 5000 = 3 THEN interval '20 days' ELSE interval '3 hours' END, now(), now(), now()
 FROM generate_series(1, ?) AS i, LATERAL (SELECT timestamptz '2027-01-01' + (i % 730) * interval '1 day' + (i % 13) * interval '1 hour' AS s) t`,
			keraton.Lat, keraton.Lng, n).Error
		if err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO listing_tags (listing_id, tag, kind)
 SELECT l.id, g.tag, l.kind FROM listings l, LATERAL (
  SELECT 'heritage' AS tag WHERE l.kind = 'attraction' AND right(l.slug, 1) IN ('0', '2', '4', '6', '8')
  UNION ALL SELECT 'rare' WHERE l.kind = 'attraction' AND right(l.slug, 3) = '008'
  UNION ALL SELECT 'culture' WHERE l.kind = 'event') g`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.DB.Exec("ANALYZE listings; ANALYZE listing_tags").Error; err != nil {
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
	from := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	window := func(kv ...string) url.Values {
		return q(append(kv, "from", from.Format(time.RFC3339), "to", from.AddDate(0, 0, 7).Format(time.RFC3339), "limit", "20")...)
	}
	for _, c := range []struct {
		path  string
		v     url.Values
		empty bool
	}{
		{"/api/v1/attractions", q("tag", "culture", "sort", "rating", "limit", "20"), true}, // an event tag
		{"/api/v1/attractions", q("tag", "culture", "sort", "name", "limit", "20"), true},
		{"/api/v1/attractions", q("tag", "rare", "sort", "rating", "limit", "20"), false},
		{"/api/v1/attractions", q("tag", "rare", "sort", "newest", "limit", "20"), false},
		{"/api/v1/attractions", q("tag", "rare", "tag", "heritage", "sort", "name", "limit", "20"), false},
		{"/api/v1/attractions", q("tag", "heritage", "sort", "name", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "stage", "sort", "name", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "stage", "sort", "name", "lang", "en", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "stage", "sort", "rating", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "stage", "sort", "newest", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "stage", "sort", "relevance", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "stagz", "sort", "name", "limit", "20"), true},
		{"/api/v1/attractions", q("q", "wisma", "sort", "name", "limit", "20"), false}, // a block of 6 666
		{"/api/v1/attractions", q("q", "wisma", "sort", "name", "lang", "en", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "wism", "category", "market", "sort", "name", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "pasar", "category", "market", "sort", "relevance", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "pasar", "category", "market", "sort", "name", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "pasar", "category", "market", "sort", "newest", "limit", "20"), false},
		{"/api/v1/attractions", q("q", "stage", "category", "museum", "sort", "rating", "limit", "20"), false},
		{"/api/v1/events", window("sort", "starts_at"), false},
		{"/api/v1/events", window("sort", "starts_at", "category", "festival"), false},
		{"/api/v1/events", window("sort", "starts_at", "q", "acara"), false},
		{"/api/v1/events", window("sort", "starts_at", "q", "wayang"), false},
		{"/api/v1/events", window("sort", "starts_at", "q", "zzz"), true},
		{"/api/v1/events", window("sort", "starts_at", "tag", "culture"), false},
	} {
		var found int
		run := st.during(func() { found = len(list(t, api, c.path, c.v).Data) })
		if (found == 0) != c.empty {
			t.Errorf("%s?%s: %d items", c.path, c.v.Encode(), found)
		}
		requireSmallPlans(t, sqlDB, c.path+"?"+c.v.Encode(), run, 4100)
	}
	// A tag too rare for the walk of the sort's order, or one no
	// attraction has, is collected first: the walk would read 2 000 rows
	// for less than a page (at a million listings, 32 ms for none).
	for _, tag := range []string{"culture", "rare"} {
		for _, sort := range []string{"name", "rating", "newest"} {
			v := q("tag", tag, "sort", sort, "limit", "20")
			run := st.during(func() { list(t, api, "/api/v1/attractions", v) })
			requireSmallPlans(t, sqlDB, "/api/v1/attractions?"+v.Encode(), run, 300)
		}
	}
	// A common tag named before the rare one is not read at all: the
	// collect takes the rare tag's listings.
	for _, sort := range []string{"name", "rating", "newest"} {
		v := q("tag", "heritage", "tag", "rare", "sort", sort, "limit", "20")
		var found int
		run := st.during(func() { found = len(list(t, api, "/api/v1/attractions", v).Data) })
		if found == 0 {
			t.Errorf("/api/v1/attractions?%s: no items", v.Encode())
		}
		requireSmallPlans(t, sqlDB, "/api/v1/attractions?"+v.Encode(), run, 300)
	}
}
