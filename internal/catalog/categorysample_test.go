package catalog_test

import (
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/testdb"
)

// TestCategorySampleKnowsWordsOfACategory: a word that names every listing
// of one category and none of another is expected there as often as it
// is, where the index's statistics alone, which take word and category
// for independent, expect it in a fifth of both.
func TestCategorySampleKnowsWordsOfACategory(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("the facets statistics are PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	err := api.DB.Exec(`INSERT INTO listings (id, kind, slug, status, name_id, category, lat, lng, rating_avg, rating_count, rating_sum, created_at, updated_at, published_at)
 SELECT gen_random_uuid(), 'attraction', 'sample-' || i, 'published',
  CASE WHEN i % 5 = 0 THEN 'Rumah Koleksi ' ELSE 'Pasar Lama ' END || i,
  CASE i % 5 WHEN 0 THEN 'museum' WHEN 1 THEN 'park' ELSE 'market' END,
  -7.57 + (i % 37) * 0.001, 110.82 + (i % 41) * 0.001, 0, 0, 0, now(), now(), now()
 FROM generate_series(1, 1000) AS i`).Error
	if err != nil {
		t.Fatal(err)
	}
	if err := api.DB.Exec("ANALYZE listings").Error; err != nil {
		t.Fatal(err)
	}
	svc := api.App.Catalog
	alone, err := catalog.EstimateMatches(svc, kind.Attraction, "museum", "koleksi")
	if err != nil {
		t.Fatal(err)
	}
	if err := catalog.SampleFacetStats(svc, 50); err != nil {
		t.Fatal(err)
	}
	museums, err := catalog.EstimateMatches(svc, kind.Attraction, "museum", "koleksi")
	if err != nil {
		t.Fatal(err)
	}
	parks, err := catalog.EstimateMatches(svc, kind.Attraction, "park", "koleksi")
	if err != nil {
		t.Fatal(err)
	}
	prefix, err := catalog.EstimateMatches(svc, kind.Attraction, "museum", "kolek")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("koleksi in museums: %.0f from the index alone, %.0f sampled (prefix %.0f); in parks %.0f", alone, museums, prefix, parks)
	if museums < 150 || museums > 250 || prefix < 150 {
		t.Errorf("koleksi in museums estimated %.0f (prefix %.0f), want about 200", museums, prefix)
	}
	if parks > 10 {
		t.Errorf("koleksi in parks estimated %.0f, want about 0", parks)
	}
}
