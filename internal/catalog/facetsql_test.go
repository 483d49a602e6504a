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
		for level := range 3 {
			if want := "'" + catalog.CellLexeme(level, p[0], p[1]) + "'"; !strings.Contains(got, want) {
				t.Errorf("%v: PostgreSQL says %s, Go %s", p, got, want)
			}
		}
	}
}
