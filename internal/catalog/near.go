package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/pkg/geo"
)

// A radius combined with a sort other than distance has no single index:
// the GiST index finds the radius, the sort's B-tree the order. PostgreSQL
// estimates every box at a fixed fraction of the table, so left alone it
// collects a box holding half the city and sorts it. The choice is made
// per request instead, from a count of the radius capped at maxCollect:
//
//   - nearCollect: the radius holds few listings. Their ids come from the
//     spatial index (that count), and the page is ordered from just those
//     rows, with the request's own filters, sort and keyset.
//   - nearWalk: the box holds many. The page walks the sort's index and
//     keeps the rows in the radius, which then come early in the walk; the
//     box is written as plain comparisons so the planner cannot take the
//     spatial index instead.
//
// Both return what the straightforward query (nearPlain) returns, row for
// row; only the work differs.
type nearStrategy int

const (
	nearAuto    nearStrategy = iota // choose per request (PostgreSQL); nearPlain on SQLite
	nearPlain                       // one query with the spatial box, as the planner likes
	nearCollect                     // collect the box's ids, order those
	nearWalk                        // walk the sort's index, filter by the box
)

// maxCollect is the most listings a radius may hold for the collect strategy:
// beyond it the rows in the radius are common enough for an index walk to
// meet a page of them early.
const maxCollect = 2000

// maxIndexCollect is the most listings a radius may be estimated to hold
// for a page to collect it from the covering spatial index (nearPage):
// there a listing costs an index tuple, not a row. Beyond it, walking the
// sort's index meets a page sooner: at a million listings of a kind, a
// radius of 4 000 is met every 250 entries, 5 000 for a page of 20.
const maxIndexCollect = 4000

// firstCollect is the length of the first, short walk of the radius.
const firstCollect = 200

// nearChoice is the strategy of one request, with the ids it collected
// when the caller asked for them (see chooseNear).
type nearChoice struct {
	strategy nearStrategy
	ids      []string
	// wide: most of the kind's listings are in the radius, so a walk of
	// the sort's index meets few outside it (see nearPage).
	wide bool
}

// wideShare is the least share of a kind's listings a radius must be
// estimated to hold for its walks to read whole rows (nearChoice.wide).
const wideShare = 0.5

// wideWalks is how many walks' worth of listings the kind must hold for
// them to read whole rows: a walk of whole rows that is a large share of
// the kind, the planner trades for reading every row of the kind and
// sorting them (10 000 attractions: 40-70 ms, the sort spilled to disk).
const wideWalks = 20

// chooseNear picks the strategy for a radius around p over the published
// (or, for staff, status-filtered) listings of kinds; the collect
// strategy comes with the ids of every listing in the radius, which the
// page is ordered from.
func (s store) chooseNear(ctx context.Context, p Location, r float64, kinds []kind.Kind, status statusFilter) (nearChoice, error) {
	st := s.near
	if st == nearAuto {
		if !s.pg() || status != statusFilter(Published) {
			// SQLite has no planner estimate to correct, and the spatial
			// indexes hold published listings only.
			return nearChoice{strategy: nearPlain}, nil
		}
		// A short walk first: a small radius in the old town is done
		// with it; only a large one pays for the long walk.
		for _, m := range []int{firstCollect, maxCollect + 1} {
			ids, ok, reach, err := s.radiusIDs(ctx, p, r, kinds, m)
			if err != nil {
				return nearChoice{}, err
			}
			if ok {
				return nearChoice{strategy: nearCollect, ids: ids}, nil
			}
			// m listings within reach of p: at that density the radius
			// holds about m·(r/reach)². Far more than maxCollect: the long
			// walk would only confirm it.
			if reach > 0 && float64(m)*(r/reach)*(r/reach) > 4*maxCollect {
				break
			}
		}
		return nearChoice{strategy: nearWalk}, nil
	}
	if st != nearCollect {
		return nearChoice{strategy: st}, nil
	}
	ids, err := s.boxIDs(ctx, p, r, kinds, status)
	return nearChoice{strategy: nearCollect, ids: ids}, err
}

// decideNear picks the strategy of a radius of one kind's published
// listings on PostgreSQL, where the page reads the radius from a covering
// index (nearPage, nearest): nearCollect when the radius is estimated to
// hold at most collectUpTo listings, else nearWalk. Both return the same
// page, so an estimate is enough: m·(r/reach)² from the m = firstCollect
// listings nearest to p, reach being the farthest of them. Collecting costs
// an index entry per listing in the radius; a walk of the sort's index
// about page·N/n entries for n of N, more when other filters drop rows.
func (s store) decideNear(ctx context.Context, p Location, r float64, k kind.Kind, collectUpTo float64) (nearChoice, error) {
	if s.near != nearAuto {
		return nearChoice{strategy: s.near}, nil
	}
	_, ok, reach, err := s.radiusIDs(ctx, p, r, []kind.Kind{k}, firstCollect)
	if err != nil {
		return nearChoice{}, err
	}
	est := math.Inf(1)
	if reach > 0 {
		est = firstCollect * (r / reach) * (r / reach)
	}
	if ok || est <= collectUpTo {
		return nearChoice{strategy: nearCollect}, nil
	}
	wide := false
	if s.facetStats != nil {
		if st, err := s.facetStats.of(ctx, s.read(ctx), k); err == nil && st.rows > 0 {
			wide = est >= wideShare*st.rows && st.rows >= wideWalks*float64(s.walkLen())
		}
	}
	return nearChoice{strategy: nearWalk, wide: wide}, nil
}

// collectUpTo is how many listings a radius may be estimated to hold for
// a page of q to collect it (see decideNear). The plain filters (category,
// rating, an event's window, and on PostgreSQL opening hours: open_week)
// are read from the index entries but drop most of them: a walk then
// reads several times as many entries per page, and collecting a larger
// radius is the cheaper way. Late in the evening a walk of the name order
// within 200 m of the old town read 76 000 entries for 21 open listings
// (19 ms); the collect of its 4 400, 3.5 ms.
func collectUpTo(q listQuery) float64 {
	if q.Category != "" || q.MinRating != nil || q.From != nil || q.To != nil || q.OpenNow {
		return 4 * maxIndexCollect
	}
	return maxIndexCollect
}

// radiusIDs walks the spatial index of published listings nearest-first
// in plane degrees, as nearest does, for at most m rows, and returns the
// ids of those within r of p; ok is false when the m rows do not surely
// hold every listing within r. reach is the great-circle distance of the
// farthest of the m rows. The walk is an ordered GiST scan that stops
// after m rows: a condition on the box would let the planner, which
// estimates every box small, read the whole box with a bitmap scan first.
func (s store) radiusIDs(ctx context.Context, p Location, r float64, kinds []kind.Kind, m int) (ids []string, ok bool, reach float64, err error) {
	minLat, maxLat, minLng, maxLng := latLngBox(p, r)
	if minLng <= -180 && maxLng >= 180 {
		return nil, false, 0, nil // across the antimeridian plane degrees say nothing
	}
	var b sqlBuf
	b.w("SELECT l.id, l.lat, l.lng, point(l.lng, l.lat) <-> point(?, ?) FROM listings l WHERE ", p.Lng, p.Lat)
	b.add(kindsSQL(kinds))
	b.w(" AND l.status = 'published' ORDER BY point(l.lng, l.lat) <-> point(?, ?) LIMIT "+strconv.Itoa(m), p.Lng, p.Lat)
	rows, err := s.read(ctx).Raw(b.b.String(), b.args...).Rows()
	if err != nil {
		return nil, false, 0, fmt.Errorf("listings in the radius: %w", err)
	}
	defer rows.Close()
	var (
		n    int
		last float64
	)
	for rows.Next() {
		var (
			id       string
			lat, lng float64
		)
		if err := rows.Scan(&id, &lat, &lng, &last); err != nil {
			return nil, false, 0, err
		}
		n++
		d := distanceM(p, Location{lat, lng})
		reach = math.Max(reach, d)
		// A hair beyond the radius: the page query applies the radius
		// itself, in SQL, and must find every row it would have kept.
		if d <= r*(1+1e-9)+1e-6 {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, 0, err
	}
	if n < m {
		return ids, true, reach, nil // every listing was seen
	}
	// A row left out is at least the last one's distance away in degrees;
	// on the sphere, at least this far (see nearest).
	c := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	bound := geo.EarthRadiusM * last * math.Pi / 180 * c * (1 - 1e-4)
	return ids, bound > r*(1+1e-9)+1e-6, reach, nil
}

// kindsSQL is the condition on l.kind, the kinds as literals.
func kindsSQL(kinds []kind.Kind) sqlBuf {
	var b sqlBuf
	if len(kinds) == 1 {
		b.w("l.kind = '" + string(kinds[0]) + "'")
		return b
	}
	lits := make([]string, len(kinds))
	for i, k := range kinds {
		lits[i] = "'" + string(k) + "'"
	}
	b.w("l.kind IN (" + strings.Join(lits, ", ") + ")")
	return b
}

// boxIDs returns the ids of the listings of kinds with the status whose
// point lies in the bounding box of the radius.
func (s store) boxIDs(ctx context.Context, p Location, r float64, kinds []kind.Kind, status statusFilter) ([]string, error) {
	var b sqlBuf
	b.w("SELECT l.id FROM listings l WHERE ")
	b.add(kindsSQL(kinds))
	if status != statusAll {
		b.w(" AND l.status = '" + string(Status(status)) + "'")
	}
	minLat, maxLat, minLng, maxLng := latLngBox(p, r)
	if s.pg() {
		b.w(" AND point(l.lng, l.lat) <@ box(point(?, ?), point(?, ?))", minLng, minLat, maxLng, maxLat)
	} else {
		b.w(" AND l.lat BETWEEN ? AND ? AND l.lng BETWEEN ? AND ?", minLat, maxLat, minLng, maxLng)
	}
	return s.scanIDs(ctx, b)
}

// idsCond keeps the listings whose id is one of ids: primary key lookups,
// which the planner prefers to any other index for a few thousand ids (a
// join with the ids as a table it may turn inside out).
func (s store) idsCond(ids []string) sqlBuf {
	var b sqlBuf
	if s.pg() {
		b.w("l.id = ANY (CAST(? AS uuid[]))", "{"+strings.Join(ids, ",")+"}")
		return b
	}
	b.w("l.id IN (SELECT value FROM json_each(?))", `["`+strings.Join(ids, `","`)+`"]`)
	return b
}

// walkFirst reports whether a page first tries walkPage: with a radius
// under nearWalk on SQLite (PostgreSQL's radius pages are nearPage's), and with search words or tags under any sort but
// distance. The words' match rate is unknown to the planner (see
// textMatchSQL), which assumes it rare and matches the words in the whole
// kind before sorting: a second for a word in most listings. A tag it
// joins by reading every listing of the tag. The walk finds a page of a
// common word or tag at once; a rare one costs the walk, then the
// planner's plan.
func (s store) walkFirst(q listQuery, nc nearChoice) bool {
	switch {
	case q.Sort == SortDistance:
		return false
	case q.Near != nil:
		return nc.strategy == nearWalk && !s.pg()
	case len(q.Tokens) == 0 && len(q.Tags) == 0:
		return false
	case s.near == nearAuto:
		return s.pg()
	}
	return s.near == nearWalk
}

// walkRows is how many rows of the sort's index a walk reads before it
// gives up on the first page and leaves the query to the planner.
const walkRows = 2000

// walkPage reads the first walkRows rows of the kind in the sort's order
// (after the cursor) and keeps those passing every filter: a full page
// from them is the page, as no row further on may come before them. The
// inner query has no condition but the sort index's own (kind, status,
// keyset), so it is an ordered index scan that stops; a subquery with a
// LIMIT takes none of the outer conditions. Fewer than limit rows mean
// the rows that pass are rarer than the walk can afford.
func (s store) walkPage(ctx context.Context, q listQuery, tier, limit int, now time.Time) ([]listed, error) {
	key, order, outer, keyset := s.sortSQL(q)
	rows := s.walkRows
	if rows <= 0 {
		rows = walkRows
	}
	if s.categoryWalk(q) {
		return s.walkCategory(ctx, q, tier, limit, rows, now)
	}
	var b sqlBuf
	b.w("SELECT " + readColumns(q.Lang) + ", " + imagesColumn + ", ")
	b.w("l.sort_key FROM (SELECT l.*, ")
	b.add(key)
	b.w(" AS sort_key FROM listings l WHERE l.kind = '" + string(q.Kind) + "'")
	if q.Status != statusAll {
		b.w(" AND l.status = '" + string(Status(q.Status)) + "'")
	}
	if q.After != nil {
		b.w(" AND ")
		b.add(keyset)
	}
	b.w(" ORDER BY ")
	b.add(order)
	b.w(" LIMIT " + strconv.Itoa(rows) + ") l WHERE ")
	b.add(s.filterSQL(q, tier, now, nearChoice{strategy: nearWalk}))
	// Ordered by the inner query's output columns, which the planner knows
	// to arrive in that order already: no sort, and the scan stops at a page.
	b.w(" ORDER BY " + strings.NewReplacer("p.k", "l.sort_key", "p.id", "l.id").Replace(outer))
	b.w(" LIMIT " + strconv.Itoa(limit))
	return s.scanPage(ctx, q, tier, limit, b, now)
}

// walkEnd is the position of the last row a walk of rows rows reads (the
// rows-th of the kind, or of the category, in the sort's order after the
// cursor), read from the sort's index alone; ended is true when the order
// ends before it, so that the walk read every row left. A longer walk
// resumes from there instead of reading the same rows again. end is nil
// where that is not known: off PostgreSQL (where the walks run as served),
// or for a key of another type than the sort's.
func (s store) walkEnd(ctx context.Context, q listQuery, rows int) (end *position, ended bool, err error) {
	var scope sqlBuf
	scope.w("l.kind = '" + string(q.Kind) + "' AND l.status = 'published'")
	if s.categoryWalk(q) {
		scope.w(" AND l.category = ?", q.Category)
	}
	if q.After != nil {
		_, _, _, keyset := s.sortSQL(q)
		scope.w(" AND ")
		scope.add(keyset)
	}
	return s.endOf(ctx, q, scope, rows)
}

// endOf is the position of the rows-th listing in scope in q's sort order,
// as walkEnd describes.
func (s store) endOf(ctx context.Context, q listQuery, scope sqlBuf, rows int) (end *position, ended bool, err error) {
	if !s.pg() || q.Status != statusFilter(Published) {
		return nil, false, nil
	}
	key, order, _, _ := s.sortSQL(q)
	var b sqlBuf
	b.w("SELECT l.id, ")
	b.add(key)
	b.w(" FROM listings l WHERE ")
	b.add(scope)
	b.w(" ORDER BY ")
	b.add(order)
	b.w(" LIMIT 1 OFFSET " + strconv.Itoa(rows-1))
	var (
		id string
		k  any
	)
	switch err := s.read(ctx).Raw(b.b.String(), b.args...).Row().Scan(&id, &k); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, true, nil
	case err != nil:
		return nil, false, fmt.Errorf("walk end: %w", err)
	}
	p := position{Tier: tierAny}
	if p.ID, err = uuid.Parse(id); err != nil {
		return nil, false, fmt.Errorf("walk end: %w", err)
	}
	unknown := false
	switch q.Sort {
	case SortRelevance, SortRating:
		v, isNum := k.(float64)
		p.Num, unknown = &v, !isNum
	case SortName:
		v, isStr := k.(string)
		p.Str, unknown = &v, !isStr
	case SortStartsAt:
		v, isTime := k.(time.Time)
		p.Time, unknown = &v, !isTime
	case SortNewest: // the id is the key
	default:
		unknown = true
	}
	if unknown {
		return nil, false, nil
	}
	return &p, false, nil
}

// categoryWalk reports whether a walk reads the category's own index: with
// a category and a sort whose per-category index holds the sort key and
// the id (rating, relevance, newest, name, an event's start), so that reading it
// is an index-only scan that stops at a page. One that needed the heap the
// planner would trade, for a category it estimates small, for reading the
// whole category and sorting it.
func (s store) categoryWalk(q listQuery) bool {
	if q.Category == "" || q.Near != nil || q.Status != statusFilter(Published) || !s.pg() {
		return false
	}
	switch q.Sort {
	case SortRating, SortRelevance, SortNewest, SortName:
		return true
	case SortStartsAt:
		return q.Kind == kind.Event
	}
	return false
}

// walkCategory is walkPage over the category's sort index: the first rows
// of the category in the sort's order, index-only, then each row by
// primary key in that order until a page passes the other filters (with
// search words, whole rows in that order). Rows of other categories are
// never read, so a search word common in the kind but rarer in the
// category still finds its page within the walk.
func (s store) walkCategory(ctx context.Context, q listQuery, tier, limit, rows int, now time.Time) ([]listed, error) {
	key, order, outer, keyset := s.sortSQL(q)
	// With search words every walked row is read for them: whole rows
	// through the category's index then cost one heap visit each, where
	// the ids and a primary key lookup cost four (a walk of 2 000 rows
	// took half the time at a million listings). The walk's LIMIT keeps
	// the words out of it, and the category's statistics make its index
	// the planner's choice for the first rows of a large category.
	walked := "w"
	if len(q.Tokens) > 0 {
		walked = "l"
	}
	var b sqlBuf
	b.w("SELECT " + readColumns(q.Lang) + ", " + imagesColumn + ", " + walked + ".k FROM (SELECT ")
	if walked == "l" {
		b.w("l.*, ")
	} else {
		b.w("l.id, ")
	}
	b.add(key)
	b.w(" AS k FROM listings l WHERE l.kind = '"+string(q.Kind)+"' AND l.status = 'published' AND l.category = ?", q.Category)
	if q.After != nil {
		b.w(" AND ")
		b.add(keyset)
	}
	b.w(" ORDER BY ")
	b.add(order)
	if walked == "l" {
		b.w(" LIMIT " + strconv.Itoa(rows) + ") l WHERE ")
	} else {
		// Each row by primary key, in a subquery the planner may not
		// merge: joined plainly, it would rather find the rows passing
		// another filter through that filter's index and hash them
		// against the walk.
		b.w(" LIMIT " + strconv.Itoa(rows) + ") w CROSS JOIN LATERAL (SELECT * FROM listings l WHERE l.id = w.id OFFSET 0) l WHERE ")
	}
	b.add(s.filterSQL(q, tier, now, nearChoice{strategy: nearWalk}))
	b.w(" ORDER BY " + strings.NewReplacer("p.k", walked+".k", "p.id", walked+".id").Replace(outer))
	b.w(" LIMIT " + strconv.Itoa(limit))
	return s.scanPage(ctx, q, tier, limit, b, now)
}

// nearPage is one page of a radius under a sort other than distance, on
// PostgreSQL. An inner query lists the ids in the radius in the sort's
// order from one index, never the table:
//
//   - nearCollect: the per-kind spatial index, which carries every column a
//     radius is sorted or filtered by (category, rating, names, an event's
//     span), is read for the box, and its entries are sorted;
//   - nearWalk: the sort's own index, which carries lat and lng, is walked
//     in order, keeping the entries in the radius. The box is written as
//     plain comparisons, which the spatial index cannot serve, and the walk
//     stops after walkRows of them when other filters need the rows.
//
// Each listing is then read by primary key in that order, in a subquery
// the planner may not merge, and the other filters are applied to it; the
// scan stops at a page. (A walk with search words in a radius holding
// most of the kind reads whole rows through the sort's index instead.)
// done is false when the walk gave up before a page: the rows that pass
// are rarer than it can afford.
func (s store) nearPage(ctx context.Context, q listQuery, tier, limit int, nc nearChoice, now time.Time) ([]listed, bool, error) {
	key, order, outer, _ := s.sortSQL(q)
	// Search words need every walked row. In a radius holding most of the
	// kind, nearly every entry of the sort's index is in it: the walk then
	// reads whole rows through that index, one heap visit per entry, where
	// the ids and a primary key lookup cost four (half the time of a walk
	// of 2 000 rows at a million listings).
	wide := nc.strategy == nearWalk && len(q.Tokens) > 0 && (nc.wide || s.wholeRowWalks)
	walked := "w"
	if wide {
		walked = "l"
	}
	// A radius collected from the spatial index checks opening hours on
	// its entries (openWeekSQL): the index carries them.
	hoursInScan := s.pg() && q.OpenNow && nc.strategy == nearCollect
	pq := q
	pq.OpenNow = pq.OpenNow && !hoursInScan
	// Tags and opening hours are probed by the id the index hands out,
	// before the row is read: in a radius where a few are open, most
	// rows would be read for nothing.
	probes, rest := idProbes(pq, now, walked+".id")
	extra, filtered := s.extraFilterSQL(rest, tier, now, true)
	// Words, tags and opening hours need the row or another table: they
	// are checked on the rows read by primary key.
	rowFiltered := len(q.Tokens) > 0 || len(q.Tags) > 0 || pq.OpenNow
	// An event window under another sort than the start: how many events
	// it holds decides between walking the sort's index (a dense week) and
	// sorting the window's start range (a sparse one), and the planner,
	// which takes the window's bounds and the distance for independent,
	// misjudged both: a week holding 23 000 of a million events was read
	// and sorted (15-25 ms, where the walk meets a page in 1 000 entries),
	// and a window past the last event read every event starting before
	// its end (0.2 s). The walk reads a bounded number of entries, with
	// the window as an output column so that the LIMIT counts entries,
	// not matches; a walk that held no page leaves the window's range
	// (windowRangePage).
	windowWalk := nc.strategy == nearWalk && !rowFiltered && q.startFloor != nil && q.To != nil && q.Sort != SortStartsAt
	var in sqlBuf
	if wide {
		in.w("SELECT l.*, ")
	} else {
		in.w("SELECT l.id, ")
	}
	in.add(key)
	in.w(" AS k")
	if windowWalk {
		in.w(", COALESCE(l.ends_at >= ? AND l.starts_at <= ?, false) AS ok", *q.From, *q.To)
	}
	in.w(" FROM listings l WHERE ")
	in.add(s.nearScopeSQL(q, nc, hoursInScan, windowWalk, now))
	innerLimit := limit // the first entries that pass are the page
	switch {
	case rowFiltered && nc.strategy == nearCollect:
		innerLimit = 0 // every entry of the radius, in order
	case rowFiltered:
		innerLimit = s.walkLen()
	case windowWalk:
		// Longer than a words walk: its entries are index-only, and the
		// range it saves holds the window and the longest span before it.
		innerLimit = longWalkFactor * s.walkLen()
	}
	in.w(" ORDER BY ")
	in.add(order)
	if innerLimit > 0 {
		in.w(" LIMIT " + strconv.Itoa(innerLimit))
	}
	if windowWalk {
		var w sqlBuf
		w.w("SELECT w.id, w.k FROM (")
		w.add(in)
		w.w(") w WHERE w.ok")
		in = w
	}
	var b sqlBuf
	b.w("SELECT " + readColumns(q.Lang) + ", " + imagesColumn + ", " + walked + ".k FROM (")
	b.add(in)
	if wide {
		b.w(") l WHERE ")
	} else {
		b.w(") w CROSS JOIN LATERAL (SELECT * FROM listings l WHERE l.id = w.id OFFSET 0) l WHERE ")
	}
	b.add(probes)
	if filtered {
		b.w(" AND ")
		b.add(extra)
	}
	b.w(" ORDER BY " + strings.NewReplacer("p.k", walked+".k", "p.id", walked+".id").Replace(outer))
	b.w(" LIMIT " + strconv.Itoa(limit))
	rows, err := s.scanPage(ctx, q, tier, limit, b, now)
	if err != nil {
		return nil, false, err
	}
	if windowWalk && len(rows) < limit {
		rows, err = s.windowRangePage(ctx, q, tier, limit, now)
		return rows, err == nil, err
	}
	done := nc.strategy == nearCollect || !rowFiltered || len(rows) == limit
	return rows, done, nil
}

// windowRangePage is the page of an event window within a radius, sorted
// by other than the start, from the window's start range [startFloor, To]:
// the window's events in the radius were rarer than a walk of the sort's
// index can afford, so the window is read whole (its range of the start
// index, which carries the place, the end, the category and the rating)
// and its page sorted. The subquery's OFFSET keeps the planner from
// walking the sort's index instead, which it may when it cannot see the
// range's bounds (a generic plan); the filters under COALESCE serve no
// index for the same reason.
func (s store) windowRangePage(ctx context.Context, q listQuery, tier, limit int, now time.Time) ([]listed, error) {
	key, _, outer, keyset := s.sortSQL(q)
	var b sqlBuf
	b.w("SELECT " + readColumns(q.Lang) + ", " + imagesColumn + ", p.k FROM (SELECT p.id, p.k FROM (SELECT l.id, ")
	b.add(key)
	b.w(" AS k FROM listings l WHERE l.kind = '" + string(q.Kind) + "' AND l.status = 'published'")
	b.w(" AND l.starts_at >= ? AND l.starts_at <= ? AND COALESCE(", *q.startFloor, *q.To)
	b.add(s.withinSQL(*q.Near, q.RadiusM, false))
	if extra, ok := s.extraFilterSQL(q, tier, now, true); ok {
		b.w(" AND ")
		b.add(extra)
	}
	if q.After != nil {
		b.w(" AND ")
		b.add(keyset)
	}
	b.w(", false) OFFSET 0) p ORDER BY " + outer + " LIMIT " + strconv.Itoa(limit) + ") p JOIN listings l ON l.id = p.id ORDER BY " + outer)
	return s.scanPage(ctx, q, tier, limit, b, now)
}

// nearScopeSQL is what a radius walk or collect reads of the sort's or
// the spatial index: the kind's published entries in the radius that pass
// the filters those indexes carry, after q's cursor. Both indexes carry
// the columns of the plain filters: rows that fail them are never read.
func (s store) nearScopeSQL(q listQuery, nc nearChoice, hoursInScan, windowWalk bool, now time.Time) sqlBuf {
	var b sqlBuf
	b.w("l.kind = '" + string(q.Kind) + "' AND l.status = 'published' AND ")
	b.add(s.withinSQL(*q.Near, q.RadiusM, nc.strategy == nearCollect))
	if q.Category != "" {
		b.w(" AND l.category = ?", q.Category)
	}
	if q.MinRating != nil {
		b.w(" AND l.rating_avg >= ?", *q.MinRating)
	}
	if hoursInScan {
		b.w(" AND ")
		b.add(openWeekSQL(q.Kind, now))
	}
	if !windowWalk {
		if q.From != nil {
			b.w(" AND l.ends_at >= ?", *q.From)
		}
		if q.To != nil {
			b.w(" AND l.starts_at <= ?", *q.To)
		}
		if q.startFloor != nil && q.Sort == SortStartsAt {
			// Where the walk by start begins (see startFloor).
			b.w(" AND l.starts_at >= ?", *q.startFloor)
		}
	}
	if q.After != nil {
		_, _, _, keyset := s.sortSQL(q)
		b.w(" AND ")
		b.add(keyset)
	}
	return b
}

// nearAfterWalk is afterWalk for a radius walked in the sort's order
// (nearPage) that held no page, first being what it held: the words or
// tags are rarer in the radius than the walk can afford. The collected
// matches have the radius applied to them like any filter; the longer
// walk reads on from where the first stopped, as afterWalk's does. done
// is false when the planner's query must.
func (s store) nearAfterWalk(ctx context.Context, q listQuery, tier, limit int, nc nearChoice, first []listed, now time.Time) ([]listed, bool, error) {
	if nc.strategy != nearWalk || (len(q.Tokens) == 0 && len(q.Tags) == 0) {
		return nil, false, nil
	}
	return s.collectOrWalkLonger(ctx, q, tier, limit, now, func(long store) ([]listed, bool, error) {
		end, ended, err := s.nearWalkEnd(ctx, q, nc, s.walkLen(), now)
		switch {
		case err != nil:
			return nil, false, err
		case ended:
			return first, true, nil // the first walk read every entry left
		case end == nil:
			return long.nearPage(ctx, q, tier, limit, nc, now)
		}
		rest := q
		rest.After = end
		long.walkRows -= s.walkLen()
		more, _, err := long.nearPage(ctx, rest, tier, limit-len(first), nc, now)
		out := append(first[:len(first):len(first)], more...)
		return out, err == nil && len(out) == limit, err
	})
}

// nearWalkEnd is walkEnd for a radius walk: the position of the rows-th
// entry nearPage's walk reads after q's cursor, from the sort's index
// alone (it carries the radius's and the plain filters' columns).
func (s store) nearWalkEnd(ctx context.Context, q listQuery, nc nearChoice, rows int, now time.Time) (*position, bool, error) {
	return s.endOf(ctx, q, s.nearScopeSQL(q, nc, false, false, now), rows)
}
