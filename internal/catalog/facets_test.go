package catalog

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/solodestination/api/pkg/geo"
)

// TestBlockHoldsItsDisc: every point nearer to p than the radius
// blockAround promises lies in one of the block's cells, on every grid,
// around the equator, at Surakarta, near the poles and the antimeridian.
func TestBlockHoldsItsDisc(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	centres := []Location{{-7.5778, 110.8278}, {0, 0}, {-0.0001, -0.0001}, {60.17, 24.94}, {-7.5, 179.99}, {89.9, 10}}
	for i := 0; i < 300; i++ {
		centres = append(centres, Location{r.Float64()*170 - 85, r.Float64()*360 - 180})
	}
	for _, p := range centres {
		for level := range grids {
			cells, sure := blockAround(p, level)
			if sure <= 0 {
				continue
			}
			if math.Abs(p.Lat) < 80 && sure < 0.3*111320/grids[level].perDegree*math.Cos(math.Abs(p.Lat)*math.Pi/180) {
				t.Errorf("%v level %d: a disc of %.0f m is less than the block promises", p, level, sure)
			}
			// The disc lies in the block, so it covers less than all of it.
			if share := discShare(p, level, sure); math.Abs(p.Lat) < 80 && (share <= 0 || share > math.Pi/4) {
				t.Errorf("%v level %d: a disc of %.0f m covers %.2f of the block", p, level, sure, share)
			}
			for range 200 {
				d := sure * (1 - r.Float64()*r.Float64()) // most near the edge
				q := destination(p, d, r.Float64()*2*math.Pi)
				if !slices.Contains(cells, cellLexeme(level, q.Lat, q.Lng)) {
					t.Fatalf("%v level %d: %v at %.1f m of %.1f promised lies in %s, outside the block", p, level, q, distanceM(p, q), sure, cellLexeme(level, q.Lat, q.Lng))
				}
			}
		}
	}
}

// destination is the point d metres from p on the great circle of the
// initial bearing b (radians).
func destination(p Location, d, b float64) Location {
	phi, lambda := p.Lat*math.Pi/180, p.Lng*math.Pi/180
	delta := d / geo.EarthRadiusM
	phi2 := math.Asin(math.Sin(phi)*math.Cos(delta) + math.Cos(phi)*math.Sin(delta)*math.Cos(b))
	lambda2 := lambda + math.Atan2(math.Sin(b)*math.Sin(delta)*math.Cos(phi), math.Cos(delta)-math.Sin(phi)*math.Sin(phi2))
	return Location{phi2 * 180 / math.Pi, math.Mod(lambda2*180/math.Pi+540, 360) - 180}
}

// TestCoverCellsHoldTheRadius: the cells named for a radius hold every
// point of it, on the finest grid that needs at most maxCoverCells.
func TestCoverCellsHoldTheRadius(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, radius := range []float64{50, 200, 1000, 3000, 10000, 50000} {
		p := Location{-7.5778 + r.Float64()*0.1, 110.8278 + r.Float64()*0.1}
		cells := coverCells(p, radius)
		if radius <= 10000 && cells == nil {
			t.Fatalf("%.0f m: no cells", radius)
		}
		if len(cells) > maxCoverCells {
			t.Fatalf("%.0f m: %d cells", radius, len(cells))
		}
		if cells == nil {
			continue
		}
		level := slices.IndexFunc(grids[:], func(g grid) bool { return strings.HasPrefix(cells[0], g.name) })
		for range 2000 {
			q := destination(p, radius*math.Sqrt(r.Float64()), r.Float64()*2*math.Pi)
			if !slices.Contains(cells, cellLexeme(level, q.Lat, q.Lng)) {
				t.Fatalf("%.0f m around %v: %v is in no named cell", radius, p, q)
			}
		}
	}
	if cells := coverCells(Location{0, 179.9999}, 1000); cells != nil {
		t.Errorf("a box across the antimeridian has cells %v", cells)
	}
}

// TestFacetQueryStaysALiteral: whatever the words and category, the
// tsquery literal holds only its own quotes.
func TestFacetQueryStaysALiteral(t *testing.T) {
	got := facetQuery([]string{"pasar", "x'); DROP TABLE listings; --", "air"}, [][]string{nil, nil, {"air", "airport'"}}, "market", []string{"~g0_1_-2"}, "~f_ru'mah")
	want := `'''pasar'':* & ''xlistings'':* & (''air'' | ''airport'') & ''~c_market'' & (''~g0_1_-2'') & !''~f_rumah'''::tsquery`
	if got != want {
		t.Errorf("facetQuery = %s, want %s", got, want)
	}
	if got := facetQuery([]string{"a"}, nil, "mar'ket", nil); got != `'''a'':*'::tsquery` {
		t.Errorf("a category with a quote made it into %s", got)
	}
	for _, c := range []string{"market", "", "batik_village"} {
		if !plainCode(c) {
			t.Errorf("plainCode(%q) = false", c)
		}
	}
	for _, c := range []string{"Market", "a b", "x'", "~c"} {
		if plainCode(c) {
			t.Errorf("plainCode(%q) = true", c)
		}
	}
}
