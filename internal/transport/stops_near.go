package transport

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/geo"
)

// The stops near a point, a page at a time, without reading every stop in
// the radius for each page.
//
// The database orders the stops of the radius's bounding box by a plane
// approximation, P = Δlat² + (Δlng·cos lat₀)² in square degrees (plain
// arithmetic, the same on both engines), and hands out the m smallest. Go
// computes the great-circle distance of each, orders them exactly and checks
// that no stop left out could come before the page's last one: a stop's
// distance d lies between lo·√P and hi·√P (see plane), and every stop left
// out has a P of at least the last one handed out. When that check fails it
// asks for more. Later pages leave out, in SQL, the stops whose hi·√P is
// below the cursor's distance, so a deep page costs about what the first
// does. On PostgreSQL a first page walks a GiST index nearest-first in
// unscaled degrees instead (nearCandidates), with its own bound, loFlat.
// Only Go's distances decide the order, so pages and cursor agree to the
// last bit, as before.

// plane holds how far the plane approximation can be from the sphere within
// one bounding box.
type plane struct {
	lat0, lng0, k float64 // k = cos lat₀ scales longitude degrees
	lo, hi        float64 // lo·√P ≤ d ≤ hi·√P, in metres per degree
	// loFlat bounds d from below by the unscaled plane distance
	// √(Δlat² + Δlng²), the order of PostgreSQL's point <-> point.
	loFlat float64
}

// planeSlack covers sin x ≈ x and asin y ≈ y over boxes whose sides are at
// most maxPlaneSpanDeg: both err by less than 4e-4 there.
const planeSlack = 2e-3

// maxPlaneSpanDeg is the widest box (in longitude) the plane is trusted
// for; near the poles and across the antimeridian every stop in the box is
// read instead.
const maxPlaneSpanDeg = 5

// roundSlackM covers distance_m's rounding to a tenth of a metre.
const roundSlackM = 0.1

// newPlane bounds the haversine distance from p to any point of the box by
// the plane distance: with φ between minLat and maxLat,
// cos φ₀·cos φ lies between k·cmin and k·cmax, so
// sqrt(cmin/k)·√P ≤ d/(R·π/180) ≤ sqrt(cmax/k)·√P, give or take planeSlack;
// and, as k·cmin ≤ 1, sqrt(k·cmin)·√(Δlat² + Δlng²) ≤ d/(R·π/180).
func newPlane(p Location, minLat, maxLat float64) plane {
	const rad = math.Pi / 180
	k := math.Cos(p.Lat * rad)
	cmin := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * rad)
	cmax := 1.0
	if minLat > 0 || maxLat < 0 {
		cmax = math.Cos(math.Min(math.Abs(minLat), math.Abs(maxLat)) * rad)
	}
	m := geo.EarthRadiusM * rad
	return plane{lat0: p.Lat, lng0: p.Lng, k: k,
		lo: m * math.Sqrt(cmin/k) * (1 - planeSlack), hi: m * math.Sqrt(cmax/k) * (1 + planeSlack),
		loFlat: m * math.Sqrt(k*cmin) * (1 - planeSlack)}
}

// maxNearCandidates is where asking for more candidates gives way to taking
// every stop in the radius.
const maxNearCandidates = 4096

type nearCandidate struct {
	row   stopRow
	a     float64 // plane distance in degrees: √P, or unscaled from the index walk
	modes []string
	d     float64 // great-circle metres, rounded as distance_m
}

// nearStops returns up to need stops within near's radius after the
// position, nearest first, each with its distance and modes.
func (s *Service) nearStops(ctx context.Context, near Near, after *StopPosition, need int) ([]Stop, error) {
	minLat, maxLat, minLng, maxLng := latLngBox(near.Point, near.RadiusM)
	pl := newPlane(near.Point, minLat, maxLat)
	all := maxLng-minLng > 2*maxPlaneSpanDeg || pl.k < 1e-6
	// A few more than the page: near Surakarta the scaled plane order is
	// within a fraction of a per mille of the sphere's, the unscaled one
	// within 1 %, so the check below rarely asks again.
	for m := need + need/4 + 4; ; m *= 4 {
		all = all || m > maxNearCandidates
		knn := !all && after == nil && s.db.Dialect == database.Postgres
		cands, err := s.nearCandidates(ctx, near, pl, after, minLat, maxLat, minLng, maxLng, m, all, knn)
		if err != nil {
			return nil, err
		}
		keep := make([]nearCandidate, 0, need)
		for _, cd := range cands {
			if cd.d <= near.RadiusM && (after == nil || afterStop(cd.d, cd.row.ID, after)) {
				keep = append(keep, cd)
			}
		}
		slices.SortFunc(keep, func(a, b nearCandidate) int {
			return cmp.Or(cmp.Compare(a.d, b.d), bytes.Compare(a.row.ID[:], b.row.ID[:]))
		})
		if len(keep) > need {
			keep = keep[:need]
		}
		// Every stop of the box not handed out has a plane distance of at
		// least the last candidate's, so it is at least this far on the
		// sphere (stops outside the box are outside the radius).
		complete := all || len(cands) < m
		if !complete {
			lo := pl.lo
			if knn {
				lo = pl.loFlat
			}
			bound := lo*cands[len(cands)-1].a - roundSlackM
			complete = (len(keep) == need && keep[need-1].d < bound) || (len(keep) < need && bound > near.RadiusM)
		}
		if !complete {
			continue
		}
		out := make([]Stop, len(keep))
		for i, cd := range keep {
			out[i] = cd.row.toDomain()
			out[i].Modes = cd.modes
			d := cd.d
			out[i].DistanceM = &d
		}
		return out, nil
	}
}

// afterStop reports whether (d, id) comes after the cursor position.
func afterStop(d float64, id uuid.UUID, a *StopPosition) bool {
	if d != a.D {
		return d > a.D
	}
	return bytes.Compare(id[:], a.ID[:]) > 0
}

// nearCandidates returns the m stops of the box nearest to near.Point in
// the plane that may lie in the radius and after the cursor (or, with all,
// every stop of the box), each with its great-circle distance.
func (s *Service) nearCandidates(ctx context.Context, near Near, pl plane, after *StopPosition,
	minLat, maxLat, minLng, maxLng float64, m int, all, knn bool) ([]nearCandidate, error) {
	q := `SELECT id, name_id, name_en, lat, lng, created_at, updated_at, p FROM (
		SELECT id, name_id, name_en, lat, lng, created_at, updated_at,
			(lat - ?) * (lat - ?) + ((lng - ?) * ?) * ((lng - ?) * ?) AS p
		FROM transport_stops WHERE lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?) s`
	args := []any{pl.lat0, pl.lat0, pl.lng0, pl.k, pl.lng0, pl.k, minLat, maxLat, minLng, maxLng}
	if !all {
		// A stop in the radius has lo·√P ≤ radius; one after the cursor has
		// hi·√P ≥ the cursor's distance (both give or take the rounding).
		maxP := (near.RadiusM + roundSlackM) / pl.lo
		minP := 0.0
		if after != nil && after.D > roundSlackM {
			minP = (after.D - roundSlackM) / pl.hi
		}
		q += " WHERE p >= ? AND p <= ? ORDER BY p LIMIT " + strconv.Itoa(m)
		args = append(args, minP*minP, maxP*maxP)
	}
	if knn {
		// A first page on PostgreSQL walks the GiST index on point(lng, lat)
		// nearest-first in unscaled degrees and stops after m rows, without
		// reading the box. Any condition would turn the walk into a scan of
		// the box and a sort, so there is none: later pages, which skip the
		// earlier stops, take the box query above.
		q = `SELECT id, name_id, name_en, lat, lng, created_at, updated_at, point(lng, lat) <-> point(?, ?) AS p
			FROM transport_stops ORDER BY point(lng, lat) <-> point(?, ?) LIMIT ` + strconv.Itoa(m)
		args = []any{pl.lng0, pl.lat0, pl.lng0, pl.lat0}
	}
	// The modes serving each candidate come with it: measured under load,
	// that costs the database less than a second statement for the page's
	// modes and saves the API a round trip. The index on stop_id finds the
	// candidate's routes and the primary key each route's mode; Go removes
	// repeats (an aggregate with DISTINCT, or a join, cost more per stop).
	mode := "(SELECT r.mode_code FROM transport_routes r WHERE r.id = rs.route_id)"
	agg := "group_concat(" + mode + ")" // SQLite: ',' is the separator
	if s.db.Dialect == database.Postgres {
		agg = "string_agg(" + mode + ", ',')"
	}
	q = `SELECT c.*, (SELECT ` + agg + ` FROM transport_route_stops rs WHERE rs.stop_id = c.id) AS modes FROM (` + q + `) c`
	rows, err := s.read(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("list stops near: %w", err)
	}
	defer rows.Close()
	var out []nearCandidate
	for rows.Next() {
		var cd nearCandidate
		var modes *string
		r := &cd.row
		if err := rows.Scan(&r.ID, &r.NameID, &r.NameEn, &r.Lat, &r.Lng, &r.CreatedAt, &r.UpdatedAt, &cd.a, &modes); err != nil {
			return nil, fmt.Errorf("list stops near: %w", err)
		}
		if !knn {
			cd.a = math.Sqrt(cd.a) // the box query orders by P, the square
		}
		cd.modes = []string{}
		if modes != nil && *modes != "" {
			cd.modes = strings.Split(*modes, ",") // mode codes have no commas
			slices.Sort(cd.modes)
			cd.modes = slices.Compact(cd.modes)
		}
		cd.d = distanceM(near.Point, Location{r.Lat, r.Lng})
		out = append(out, cd)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list stops near: %w", err)
	}
	return out, nil
}
