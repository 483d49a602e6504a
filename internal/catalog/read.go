package catalog

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/pkg/geo"
)

// The read side is hand-written SQL scanned by hand: these are the hot
// endpoints. A page is one statement (rows with their images), open_now is
// computed in Go from the hours the row carries, and the JSON is written by
// hand (encode.go).

// sqlBuf accumulates SQL text and its arguments in textual order. LIMITs
// are written as literals (numbers the code chose): PostgreSQL's generic
// plan for a parameter LIMIT assumes a large one and may go parallel, which
// is ruinous for a page of twenty rows.
type sqlBuf struct {
	b    strings.Builder
	args []any
}

func (s *sqlBuf) w(sql string, args ...any) {
	s.b.WriteString(sql)
	s.args = append(s.args, args...)
}

func (s *sqlBuf) add(o sqlBuf) { s.w(o.b.String(), o.args...) }

// imagesColumn is a listing's images as JSON [[id, key, caption], …] in
// display order, so a page needs no query per item: the listing carries
// them, kept by triggers on listing_images (migration
// 20261206190000_listing_images_column).
const imagesColumn = "l.images"

// openNowSQL is true when l is open at c: an opening span of today covers
// the minute. An event is open from starts_at to ends_at, within its
// opening hours if it has any.
// perRow keeps the probe of the hours per row (see perRowSQL).
func openNowSQL(k kind.Kind, c clock, now time.Time, perRow bool) sqlBuf {
	var b sqlBuf
	if k != kind.Event {
		return hoursSQL("l.id", c, perRow)
	}
	hours := hoursSQL("l.id", c, perRow)
	b.w(`(l.starts_at <= ? AND l.ends_at > ? AND (NOT EXISTS (SELECT 1 FROM listing_hours h WHERE h.listing_id = l.id`+perRowSQL(perRow)+`) OR `, now, now)
	b.add(hours)
	b.w(`))`)
	return b
}

// openWeekSQL is openNowSQL over l.open_week, the minutes of the week
// the listing is open (PostgreSQL; migration 20261207180000_listing_open_week).
// The spatial indexes carry the column, so a radius's entries are checked
// on the index page instead of by a probe of listing_hours each.
func openWeekSQL(k kind.Kind, now time.Time) sqlBuf {
	c := clockAt(now)
	minute := c.Day*minutesPerDay + c.Minute
	var b sqlBuf
	if k != kind.Event {
		b.w("l.open_week @> CAST(? AS integer)", minute)
		return b
	}
	b.w("(l.starts_at <= ? AND l.ends_at > ? AND (isempty(l.open_week) OR l.open_week @> CAST(? AS integer)))", now, now, minute)
	return b
}

// hoursSQL is true when the listing of id has an opening span of today
// covering the minute.
func hoursSQL(id string, c clock, perRow bool) sqlBuf {
	var b sqlBuf
	b.w(`EXISTS (SELECT 1 FROM listing_hours h WHERE h.listing_id = `+id+` AND h.day = ? AND h.open_min <= ? AND h.close_min > ?`+perRowSQL(perRow)+`)`,
		c.Day, c.Minute, c.Minute)
	return b
}

// tagSQL is true when the listing of id has tag t.
func tagSQL(id, t string, perRow bool) sqlBuf {
	var b sqlBuf
	b.w("EXISTS (SELECT 1 FROM listing_tags t WHERE t.listing_id = "+id+" AND t.tag = ?"+perRowSQL(perRow)+")", t)
	return b
}

// idProbes are the filters of q that need only a listing's id, its tags
// and (but for an event, whose dates count too) its opening hours, with
// "true" when there are none; rest is q without them.
func idProbes(q listQuery, now time.Time, id string) (probes sqlBuf, rest listQuery) {
	rest = q
	var parts []sqlBuf
	for _, t := range q.Tags {
		parts = append(parts, tagSQL(id, t, true))
	}
	rest.Tags = nil
	if q.OpenNow && q.Kind != kind.Event {
		parts = append(parts, hoursSQL(id, clockAt(now), true))
		rest.OpenNow = false
	}
	probes.w("true")
	for _, p := range parts {
		probes.w(" AND ")
		probes.add(p)
	}
	return probes, rest
}

// get returns one listing of kind k by id or slug, whatever its status.
func (s store) get(ctx context.Context, k kind.Kind, ref string, now time.Time, lang Lang) (readRow, error) {
	var b sqlBuf
	b.w("SELECT " + readColumns(lang) + ", " + imagesColumn + " FROM listings l WHERE l.kind = '" + string(k) + "'")
	if id, err := uuid.Parse(ref); err == nil {
		b.w(" AND l.id = ?", id.String())
	} else {
		b.w(" AND l.slug = ?", ref)
	}
	var (
		r     readRow
		found bool
	)
	err := s.eachRow(ctx, b, func() { found = false }, func(row rowScanner) error {
		found = true
		return scanRow(row, &r)
	})
	if err != nil {
		return r, fmt.Errorf("get %s: %w", k, err)
	}
	if !found {
		return r, apperr.Missing(string(k), ref)
	}
	r.computeOpen(now)
	return r, nil
}

// listed is a list item with the sort position it ends a page at.
type listed struct {
	Row readRow
	Pos position
}

// Relevance tiers: every query word in the name, or matched elsewhere
// (tags, descriptions). tierAny is "matched anywhere", for other sorts.
const (
	tierName  = 2
	tierOther = 1
	tierAny   = 0
)

// list returns up to q.Limit+1 items of the query (one more than a page,
// to tell whether another page follows).
func (s store) list(ctx context.Context, q listQuery, now time.Time) ([]listed, error) {
	q, err := s.withStartFloor(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.Sort == SortDistance && s.pg() {
		return s.nearest(ctx, q, now)
	}
	if q, err = s.withFacets(ctx, q); err != nil {
		return nil, err
	}
	var nc nearChoice
	if q.Near != nil && q.Sort != SortDistance {
		var err error
		if s.pg() && q.Status == statusFilter(Published) {
			nc, err = s.decideNear(ctx, *q.Near, q.RadiusM, q.Kind, collectUpTo(q))
		} else {
			nc, err = s.chooseNear(ctx, *q.Near, q.RadiusM, []kind.Kind{q.Kind}, q.Status)
		}
		if err != nil {
			return nil, err
		}
	}
	if q.Sort != SortRelevance {
		return s.listPage(ctx, q, tierAny, q.Limit+1, nc, now)
	}
	var out []listed
	q.collected = &collectMemo{}
	for _, tier := range []int{tierName, tierOther} {
		sub := q
		if q.After != nil {
			if q.After.Tier < tier {
				continue // that tier was finished on earlier pages
			}
			if q.After.Tier > tier {
				sub.After = nil // this tier starts from its beginning
			}
		}
		rows, err := s.listPage(ctx, sub, tier, q.Limit+1-len(out), nc, now)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(out) > q.Limit {
			break
		}
	}
	return out, nil
}

// listPage runs one page query. With search words or an event window
// (idsFirstWindow) on PostgreSQL an inner query first picks the ids in
// order (index-only: the sort's indexes hold the name check's vector and
// an event's dates, see listings_rating_idx) and the outer one fetches
// just those rows; otherwise one ordered scan does both. With near, nc
// says how the radius is applied (see chooseNear): collected ids the page
// is ordered from, or a box the sort's index walk filters by.
func (s store) listPage(ctx context.Context, q listQuery, tier, limit int, nc nearChoice, now time.Time) ([]listed, error) {
	if m := q.collected; m != nil && m.set && m.rare {
		// An earlier relevance tier collected every match of the words
		// or tags (afterWalk): this tier's page is ordered from them.
		return s.collectedPage(ctx, q, tier, limit, m.ids, now)
	}
	deferred := q.facets != nil && !q.facets.overflow // name blocks give way to a facets page
	if rows, done, err := s.nameBlockPage(ctx, q, tier, limit, false, now); err != nil || done {
		return rows, err
	}
	if rows, done, err := s.facetPage(ctx, q, tier, limit, now); err != nil || done {
		return rows, err
	}
	if deferred && q.facets.overflow && q.Near != nil {
		// The statistics promised fewer matches than the facets page
		// found: blocks from a sample find a page of a word gathered in a
		// few names before the walks. (Without a radius they follow the
		// first walk, below.)
		if rows, done, err := s.nameBlockPage(ctx, q, tier, limit, true, now); err != nil || done {
			return rows, err
		}
	}
	if q.Near != nil && s.pg() && q.Status == statusFilter(Published) && (nc.strategy == nearCollect || nc.strategy == nearWalk) {
		rows, done, err := s.nearPage(ctx, q, tier, limit, nc, now)
		if err != nil || done {
			return rows, err
		}
		if rows, done, err := s.nearAfterWalk(ctx, q, tier, limit, nc, rows, now); err != nil || done {
			return rows, err
		}
		// The walks held less than a page: the query below finds the rest.
	}
	if s.walkFirst(q, nc) {
		if q.collected == nil {
			q.collected = &collectMemo{}
		}
		if rows, done, err := s.rareTagPage(ctx, q, tier, limit, now); err != nil || done {
			return rows, err
		}
		rows, err := s.walkPage(ctx, q, tier, limit, now)
		if err != nil || len(rows) == limit {
			return rows, err
		}
		end, ended, err := s.walkEnd(ctx, q, s.walkLen())
		if err != nil {
			return nil, err
		}
		if ended {
			return rows, nil // the walk read every row left: what passed is the rest
		}
		first := walked{rows: rows, end: end}
		// By name, a word gathered in a few names ("city": every "Hutan
		// Kota …" park) that the walk did not reach: blocks from a sample.
		if rows, done, err := s.nameBlockPage(ctx, q, tier, limit, true, now); err != nil || done {
			return rows, err
		}
		if rows, done, err := s.afterWalk(ctx, q, tier, limit, first, now); err != nil || done {
			return rows, err
		}
		// The walk's first rows held less than a page: the query below
		// finds the rest, a box written so that the planner may walk the
		// sort's index or take another filter's.
	}
	// The walks left the page to the planner: let it see the words.
	s.plannedWords = s.pg() && (s.walkFirst(q, nc) || (q.Near != nil && (nc.strategy == nearCollect || nc.strategy == nearWalk)))
	key, order, outer, keyset := s.sortSQL(q)
	var sel sqlBuf
	sel.w("SELECT " + readColumns(q.Lang) + ", " + imagesColumn + ", ")
	var b sqlBuf
	if q.Near != nil && nc.strategy == nearCollect {
		if len(nc.ids) == 0 {
			return nil, nil
		}
		b.add(sel)
		b.add(key)
		b.w(" FROM listings l WHERE ")
		b.add(s.idsCond(nc.ids))
		b.w(" AND ")
		b.add(s.filterSQL(q, tier, now, nc))
		orderPage(&b, q, keyset, order, limit)
	} else if s.pg() && (len(q.Tokens) > 0 || s.idsFirstWindow(q)) {
		b.add(sel)
		b.w("p.k FROM (SELECT l.id, ")
		b.add(key)
		b.w(" AS k FROM ")
		facets := false
		if s.plannedWords {
			// Every match, then the page: the walks found the words rare
			// where the sort's order begins, and the planner, which takes
			// the words for independent of that order, would walk it on.
			b.w("(SELECT l.* FROM listings l WHERE ")
			if s.pg() && q.Status == statusFilter(Published) && plainCode(q.Category) {
				// From the kind's own facets index, the words spelled
				// out; the filters under COALESCE, so that the planner
				// does not read every kind's matches from the shared
				// word index instead.
				words, err := s.expandWords(ctx, q.Tokens)
				if err != nil {
					return nil, err
				}
				if noneMatch(words) {
					return nil, nil
				}
				b.add(facetCond(q, words, nil))
				b.w(" AND COALESCE(")
				facets = true
			}
		} else {
			b.w("listings l WHERE ")
		}
		if facets {
			extra, _ := s.filtersBeyondFacets(q, tier, now)
			b.add(extra)
			if q.Near != nil {
				b.w(" AND ")
				b.add(s.withinSQL(*q.Near, q.RadiusM, false))
			}
			b.w(", false)")
		} else {
			b.add(s.filterSQL(q, tier, now, nc))
		}
		if q.After != nil {
			b.w(" AND ")
			b.add(keyset)
		}
		if s.plannedWords {
			b.w(" OFFSET 0) l")
		}
		b.w(" ORDER BY ")
		b.add(order)
		b.w(" LIMIT " + strconv.Itoa(limit) + ") p JOIN listings l ON l.id = p.id ORDER BY " + outer)
	} else {
		b.add(sel)
		b.add(key)
		b.w(" FROM listings l WHERE ")
		b.add(s.filterSQL(q, tier, now, nc))
		orderPage(&b, q, keyset, order, limit)
	}
	return s.scanPage(ctx, q, tier, limit, b, now)
}

// idsFirstWindow reports whether an event list by a date window alone
// picks its page's ids first. The index rows of the window's start range
// and of each sort's index hold the start and the end (and category and
// rating), so the page's ids come from one index-only scan: a walk of the
// sort's index, or the window's range sorted. Selecting the whole row
// instead, the planner reads every event of the window from the heap and
// sorts them, 60 ms for the 18 000 events of a week at a million. Not
// under nearPlain, the straightforward query the tests compare with.
func (s store) idsFirstWindow(q listQuery) bool {
	return (q.From != nil || q.To != nil) && q.Near == nil && len(q.Tags) == 0 && len(q.Tokens) == 0 && s.near != nearPlain
}

// orderPage ends a page query: the rows after the cursor, in the sort's
// order, limit of them.
func orderPage(b *sqlBuf, q listQuery, keyset, order sqlBuf, limit int) {
	if q.After != nil {
		b.w(" AND ")
		b.add(keyset)
	}
	b.w(" ORDER BY ")
	b.add(order)
	b.w(" LIMIT " + strconv.Itoa(limit))
}

// scanPage runs a page query whose last column is the sort key.
func (s store) scanPage(ctx context.Context, q listQuery, tier, limit int, b sqlBuf, now time.Time, extra ...any) ([]listed, error) {
	out := make([]listed, 0, limit)
	err := s.eachRow(ctx, b, func() { out = out[:0] }, func(row rowScanner) error {
		var (
			it  listed
			k   any
			err error
		)
		if err := scanRow(row, &it.Row, append([]any{&k}, extra...)...); err != nil {
			return err
		}
		if it.Pos, err = positionOf(q.Sort, tier, &it.Row, k); err != nil {
			return err
		}
		it.Row.computeOpen(now)
		if q.Near != nil {
			d := geo.RoundM(distanceM(*q.Near, Location{it.Row.Lat, it.Row.Lng}))
			it.Row.DistanceM = &d
		}
		out = append(out, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", q.Kind.Plural(), err)
	}
	return out, nil
}

// positionOf turns an item's sort key into a cursor position.
func positionOf(s Sort, tier int, r *readRow, k any) (position, error) {
	p := position{ID: r.ID, Tier: tier}
	switch s {
	case SortRelevance, SortRating:
		v := r.RatingAvg
		p.Num = &v
	case SortStartsAt:
		p.Time = timePtr(r.StartsAt)
	case SortName:
		var v string
		switch x := k.(type) {
		case string:
			v = x
		case []byte:
			v = string(x)
		default:
			return p, fmt.Errorf("name sort key of %s has type %T", r.ID, k)
		}
		p.Str = &v
	case SortDistance:
		v, ok := k.(float64)
		if !ok {
			return p, fmt.Errorf("distance sort key of %s has type %T", r.ID, k)
		}
		p.Num = &v
	}
	return p, nil
}

// nameKey is the name sort key of the response language (English falls
// back to the Indonesian name, as the response does).
func nameKey(l Lang) string {
	if l == LangEN {
		return "lower(CASE WHEN l.name_en <> '' THEN l.name_en ELSE l.name_id END)"
	}
	return "lower(l.name_id)"
}

// sortSQL returns the key column, the ORDER BY, the outer ORDER BY (over
// p.k and p.id) and the keyset condition "after the cursor".
func (s store) sortSQL(q listQuery) (key, order sqlBuf, outer string, keyset sqlBuf) {
	a := q.After
	switch q.Sort {
	case SortRelevance, SortRating:
		key.w("l.rating_avg")
		order.w("l.rating_avg DESC, l.id DESC")
		outer = "p.k DESC, p.id DESC"
		if a != nil {
			keyset.w("(l.rating_avg, l.id) < (?, ?)", numOr0(a.Num), a.ID.String())
		}
	case SortNewest:
		key.w("NULL")
		order.w("l.id DESC")
		outer = "p.id DESC"
		if a != nil {
			keyset.w("l.id < ?", a.ID.String())
		}
	case SortName:
		expr := nameKey(q.Lang)
		key.w(expr)
		order.w(expr + ", l.id")
		outer = "p.k, p.id"
		if a != nil {
			keyset.w("("+expr+", l.id) > (?, ?)", strOr(a.Str), a.ID.String())
		}
	case SortStartsAt:
		key.w("l.starts_at")
		order.w("l.starts_at, l.id")
		outer = "p.k, p.id"
		if a != nil {
			keyset.w("(l.starts_at, l.id) > (?, ?)", timeOr0(a.Time), a.ID.String())
		}
	case SortDistance:
		dist := s.distanceSQL(*q.Near)
		key.add(dist)
		order.add(dist)
		order.w(", l.id")
		outer = "p.k, p.id"
		if a != nil {
			keyset.w("(")
			keyset.add(dist)
			keyset.w(", l.id) > (?, ?)", numOr0(a.Num), a.ID.String())
		}
	}
	return key, order, outer, keyset
}

// distanceSQL is the haversine great-circle distance in metres from p to
// the listing, the order key of sort=distance on both engines (the same
// formula as distanceM, which makes distance_m).
func (s store) distanceSQL(p Location) sqlBuf {
	least := "min" // SQLite's two-argument min is a scalar
	if s.pg() {
		least = "least"
	}
	var b sqlBuf
	b.w(`(2 * 6371008.8 * asin(`+least+`(1, sqrt(power(sin(radians(l.lat - ?) / 2), 2) +
 cos(radians(?)) * cos(radians(l.lat)) * power(sin(radians(l.lng - ?) / 2), 2)))))`, p.Lat, p.Lat, p.Lng)
	return b
}

// nearest pages sort=distance on PostgreSQL. The GiST index on
// point(lng, lat) hands out rows nearest-first in plain degrees: fast (an
// index-only scan), but not quite great-circle order, since a degree of
// longitude is shorter than one of latitude. So it takes m candidates, a
// few more than the page needs, and Go orders those that pass the filters
// by exact distance, checking that no row left out could be nearer than the
// last one kept; if one could, it asks for more candidates. A second query
// fetches the page's rows.
//
// The candidate scan has no condition besides the partial index's, so the
// planner always walks the index nearest-first and stops after m rows, also
// far from any listing. Distances are computed in Go, so the page order and
// the cursor agree to the last bit.
//
// With other filters (q, open_now, a tag, …) that few rows pass, asking
// for four times as many candidates each round reads thousands of rows
// for a page. After one short round the radius decides instead (see
// chooseNear): one holding at most maxCollect listings has their ids
// collected and the filters applied to just those (nearCollect); a denser
// one is walked nearest-first with the filters in the scan, so the scan
// returns only rows that pass and stops at the m-th (nearWalk).
func (s store) nearest(ctx context.Context, q listQuery, now time.Time) ([]listed, error) {
	if q.Status != statusFilter(Published) {
		return s.listPage(ctx, q, tierAny, q.Limit+1, nearChoice{}, now) // no partial index to walk: order every row in the radius
	}
	need := q.Limit + 1
	_, filtered := s.extraFilterSQL(q, tierAny, now, true)
	if !filtered || s.near == nearPlain {
		keep, _, err := s.walkNearest(ctx, q, need, math.MaxInt, func(m int, all bool) ([]nearCandidate, error) {
			return s.nearCandidates(ctx, q, m, all, false, now)
		})
		if err != nil {
			return nil, err
		}
		return s.fetchNearest(ctx, q, keep, now)
	}
	if s.near == nearAuto {
		// Filters most rows pass: the first few candidates hold the page.
		// Two rounds (37, then 148 rows at a page of 20): a word in half the
		// listings ("solo") may miss the page by a row in the first, and a
		// dense radius would then collect thousands of rows to sort.
		keep, done, err := s.walkNearest(ctx, q, need, 4*(need+16), func(m int, all bool) ([]nearCandidate, error) {
			return s.nearCandidates(ctx, q, m, all, false, now)
		})
		if err != nil || done {
			return s.fetchNearestErr(ctx, q, keep, now, err)
		}
	}
	if s.facetsUsable(q) {
		keep, done, err := s.nearestByCells(ctx, q, need, now)
		if err != nil || done {
			return s.fetchNearestErr(ctx, q, keep, now, err)
		}
	}
	nc, err := s.decideNear(ctx, *q.Near, q.RadiusM, q.Kind, maxIndexCollect)
	if err != nil {
		return nil, err
	}
	if nc.strategy == nearCollect {
		// Every listing of the box that passes, from the covering spatial
		// index (index-only but for filters on other tables or words).
		cands, err := s.nearCandidates(ctx, q, 0, true, true, now)
		if err != nil {
			return nil, err
		}
		keep, _ := s.keepNearest(q, need, cands, true, 0)
		return s.fetchNearest(ctx, q, keep, now)
	}
	keep, _, err := s.walkNearest(ctx, q, need, math.MaxInt, func(m int, all bool) ([]nearCandidate, error) {
		return s.nearCandidates(ctx, q, m, all, true, now)
	})
	return s.fetchNearestErr(ctx, q, keep, now, err)
}

func (s store) fetchNearestErr(ctx context.Context, q listQuery, keep []nearCandidate, now time.Time, err error) ([]listed, error) {
	if err != nil {
		return nil, err
	}
	return s.fetchNearest(ctx, q, keep, now)
}

// walkNearest asks candidates for the m rows nearest to q.Near in the
// plane (or, with all, every row in the radius's box), m growing fourfold
// from a few more than need, until no row left out could come before the
// page's last; done is false when that would take more than maxM.
func (s store) walkNearest(ctx context.Context, q listQuery, need, maxM int, candidates func(m int, all bool) ([]nearCandidate, error)) ([]nearCandidate, bool, error) {
	minLat, maxLat, minLng, maxLng := latLngBox(*q.Near, q.RadiusM)
	c := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	// Across the antimeridian or near a pole, plane degrees say nothing
	// about the sphere: take every row in the box from the start.
	wraps := minLng <= -180 && maxLng >= 180
	for m := need + 16; m <= maxM; m *= 4 {
		all := wraps || m > maxNearCandidates
		cands, err := candidates(m, all)
		if err != nil {
			return nil, false, err
		}
		keep, done := s.keepNearest(q, need, cands, all || len(cands) < m, c)
		if done {
			return keep, true, nil
		}
	}
	return nil, false, nil
}

// keepNearest orders the candidates that pass, lie in the radius and come
// after the cursor by exact distance and keeps need of them. done reports
// whether they are the page: seen says every candidate row was seen;
// otherwise a row left out is at least the last candidate's distance away
// in plane degrees, and c (the cosine of the box's extreme latitude)
// turns that into a bound on the sphere.
func (s store) keepNearest(q listQuery, need int, cands []nearCandidate, seen bool, c float64) ([]nearCandidate, bool) {
	keep := make([]nearCandidate, 0, need)
	for _, cd := range cands {
		if cd.ok && cd.d <= q.RadiusM && (q.After == nil || afterPos(cd.d, cd.id, q.After)) {
			keep = append(keep, cd)
		}
	}
	slices.SortFunc(keep, func(a, b nearCandidate) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return bytes.Compare(a.id[:], b.id[:])
	})
	if len(keep) > need {
		keep = keep[:need]
	}
	if seen {
		return keep, true
	}
	bound := geo.EarthRadiusM * cands[len(cands)-1].a * math.Pi / 180 * c * (1 - 1e-4)
	return keep, (len(keep) == need && keep[need-1].d < bound) || (len(keep) < need && bound > q.RadiusM)
}

// afterPos reports whether (d, id) comes after the cursor position.
func afterPos(d float64, id uuid.UUID, a *position) bool {
	ad := numOr0(a.Num)
	if d != ad {
		return d > ad
	}
	return bytes.Compare(id[:], a.ID[:]) > 0
}

// maxNearCandidates is where the nearest-first walk gives way to taking
// every row in the radius.
const maxNearCandidates = 20000

type nearCandidate struct {
	id       uuid.UUID
	lat, lng float64
	a, d     float64
	ok       bool
}

// nearCandidates returns the m published rows of the kind nearest to q.Near
// in the plane (or, with all, every one in the radius's bounding box), each
// with its exact distance and whether it passes the other filters. With
// inScan the filters are part of the scan: it returns only rows that pass
// and stops at the m-th. They are wrapped in COALESCE, which no index
// serves, so that the planner keeps walking the spatial index instead of
// collecting every match of a search word or tag first.
func (s store) nearCandidates(ctx context.Context, q listQuery, m int, all, inScan bool, now time.Time) ([]nearCandidate, error) {
	q.openWeek = s.pg() // on the spatial index's entry
	p := *q.Near
	var b sqlBuf
	b.w("SELECT l.id, l.lat, l.lng, point(l.lng, l.lat) <-> point(?, ?) AS a, ", p.Lng, p.Lat)
	extra, filtered := s.extraFilterSQL(q, tierAny, now, true)
	if filtered && !inScan {
		b.w("COALESCE(")
		b.add(extra)
		b.w(", false)")
	} else {
		b.w("true") // nothing to check: the scan stays index-only
	}
	b.w(" AS ok FROM listings l WHERE l.kind = '" + string(q.Kind) + "' AND l.status = 'published'")
	if filtered && inScan {
		b.w(" AND COALESCE(")
		b.add(extra)
		b.w(", false)")
	}
	if all {
		minLat, maxLat, minLng, maxLng := latLngBox(p, q.RadiusM)
		b.w(" AND point(l.lng, l.lat) <@ box(point(?, ?), point(?, ?))", minLng, minLat, maxLng, maxLat)
	} else {
		b.w(" ORDER BY point(l.lng, l.lat) <-> point(?, ?) LIMIT "+strconv.Itoa(m), p.Lng, p.Lat)
	}
	return s.scanCandidates(ctx, q, b)
}

func (s store) scanCandidates(ctx context.Context, q listQuery, b sqlBuf) ([]nearCandidate, error) {
	var out []nearCandidate
	err := s.eachRow(ctx, b, func() { out = out[:0] }, func(row rowScanner) error {
		var cd nearCandidate
		if err := row.Scan(&cd.id, &cd.lat, &cd.lng, &cd.a, &cd.ok); err != nil {
			return err
		}
		cd.d = distanceM(*q.Near, Location{cd.lat, cd.lng})
		out = append(out, cd)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("nearby %s: %w", q.Kind.Plural(), err)
	}
	return out, nil
}

// fetchNearest loads the rows of the chosen candidates, in their order.
func (s store) fetchNearest(ctx context.Context, q listQuery, keep []nearCandidate, now time.Time) ([]listed, error) {
	if len(keep) == 0 {
		return nil, nil
	}
	ids := make([]string, len(keep))
	for i, cd := range keep {
		ids[i] = cd.id.String()
	}
	var b sqlBuf
	b.w("SELECT "+readColumns(q.Lang)+", "+imagesColumn+", NULL FROM listings l WHERE l.id = ANY (CAST(? AS uuid[]))",
		"{"+strings.Join(ids, ",")+"}") // one array parameter, one cached statement for every page size
	got, err := s.scanPage(ctx, listQuery{Kind: q.Kind, Sort: SortNewest, Near: q.Near, Lang: q.Lang}, tierAny, len(keep), b, now)
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]int, len(got))
	for i, it := range got {
		byID[it.Row.ID] = i
	}
	out := make([]listed, 0, len(keep))
	for _, cd := range keep {
		i, ok := byID[cd.id]
		if !ok {
			continue // deleted between the two queries
		}
		it := got[i]
		d := cd.d
		it.Pos = position{Num: &d, ID: cd.id}
		out = append(out, it)
	}
	return out, nil
}

func numOr0(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

func strOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func timeOr0(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// filterSQL is the WHERE clause of a list: kind and status as literals
// (fixed enums, so partial indexes match even in generic plans), then the
// filters the client asked for.
// A walk (nc is nearWalk) probes tags and hours per row: a semi-join
// would read every listing of the tag (see perRowSQL).
func (s store) filterSQL(q listQuery, tier int, now time.Time, nc nearChoice) sqlBuf {
	var b sqlBuf
	b.w("l.kind = '" + string(q.Kind) + "'")
	if q.Status != statusAll {
		b.w(" AND l.status = '" + string(Status(q.Status)) + "'")
	}
	if extra, ok := s.extraFilterSQL(q, tier, now, s.pg() && nc.strategy == nearWalk); ok {
		b.w(" AND ")
		b.add(extra)
	}
	if q.Near != nil {
		b.w(" AND ")
		b.add(s.withinSQL(*q.Near, q.RadiusM, nc.strategy != nearWalk))
	}
	return b
}

// perRowSQL ends an EXISTS probe that must run per row. Outside a plain
// WHERE (in a select list, under COALESCE) PostgreSQL plans an EXISTS twice,
// per row and as a hashed subquery over every matching row of the other
// table (every listing open at this minute, every listing of a tag), and
// picks the hashed one once it expects a few thousand calls: a plan that
// grows with the table. An OFFSET keeps it from rewriting the probe
// (PostgreSQL only: SQLite wants a LIMIT before an OFFSET).
func perRowSQL(perRow bool) string {
	if perRow {
		return " OFFSET 0"
	}
	return ""
}

// extraFilterSQL is the conjunction of the filters besides kind, status
// and near; false when there are none. perRow: see perRowSQL.
func (s store) extraFilterSQL(q listQuery, tier int, now time.Time, perRow bool) (sqlBuf, bool) {
	var parts []sqlBuf
	add := func(sql string, args ...any) {
		var p sqlBuf
		p.w(sql, args...)
		parts = append(parts, p)
	}
	if len(q.Tokens) > 0 {
		parts = append(parts, s.textMatchSQL(q.Tokens, tier))
	}
	if q.Category != "" {
		add("l.category = ?", q.Category)
	}
	for _, t := range q.Tags {
		parts = append(parts, tagSQL("l.id", t, perRow))
	}
	if q.MinRating != nil {
		add("l.rating_avg >= ?", *q.MinRating)
	}
	if q.OpenNow && q.openWeek {
		parts = append(parts, openWeekSQL(q.Kind, now))
	} else if q.OpenNow {
		parts = append(parts, openNowSQL(q.Kind, clockAt(now), now, perRow))
	}
	if q.From != nil {
		add("l.ends_at >= ?", *q.From)
	}
	if q.startFloor != nil {
		add("l.starts_at >= ?", *q.startFloor) // implied by the line above, but an index condition (startFloor)
	}
	if q.To != nil {
		add("l.starts_at <= ?", *q.To)
	}
	var b sqlBuf
	for i, p := range parts {
		if i > 0 {
			b.w(" AND ")
		}
		b.add(p)
	}
	return b, len(parts) > 0
}

// withinSQL keeps points within r metres (great circle) of p: a bounding
// box, then the exact distance. With spatial, PostgreSQL's box is the
// expression of the GiST index; without, plain comparisons no index
// serves, so the planner walks the sort's index and filters by them.
func (s store) withinSQL(p Location, r float64, spatial bool) sqlBuf {
	var b sqlBuf
	minLat, maxLat, minLng, maxLng := latLngBox(p, r)
	if s.pg() && spatial {
		b.w("point(l.lng, l.lat) <@ box(point(?, ?), point(?, ?)) AND ", minLng, minLat, maxLng, maxLat)
	} else {
		b.w("l.lat BETWEEN ? AND ? AND l.lng BETWEEN ? AND ? AND ", minLat, maxLat, minLng, maxLng)
	}
	b.add(s.distanceSQL(p))
	b.w(" <= ?", r)
	return b
}

// textMatchSQL matches every query word as a word prefix: in the name
// (tierName), anywhere but not all in the name (tierOther), or anywhere
// (tierAny).
func (s store) textMatchSQL(toks []string, tier int) sqlBuf {
	var b sqlBuf
	if s.pg() {
		// The query text reaches the planner as an InitPlan, not a
		// constant: every plan then assumes the same match rate, so
		// PostgreSQL settles on one cached generic plan (an ordered scan
		// that stops after a page) instead of planning each search anew,
		// which cost more than running it.
		//
		// Once the walks have failed (plannedWords), the planner is to
		// see how common the words are: the last query reads their
		// matches through the GIN index, where a generic plan would walk
		// the sort's index to the end for words clustered late in its
		// order (names starting with the word, sorted by name).
		tq := tsQuery(toks)
		query, args := "(SELECT to_tsquery('simple', CAST(? AS text)))", []any{tq}
		if s.plannedWords {
			query, args = tsQueryLiteral(toks), nil
		}
		switch tier {
		case tierName:
			b.w("l.name_tsv @@ "+query, args...)
		case tierOther:
			b.w("l.search @@ "+query+" AND NOT (l.name_tsv @@ "+query+")", append(args, args...)...)
		default:
			b.w("l.search @@ "+query, args...)
		}
		return b
	}
	const in = "l.search_rowid IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)"
	switch tier {
	case tierName:
		b.w(in, ftsQuery(toks, "name"))
	case tierOther:
		b.w(in+" AND l.search_rowid NOT IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)",
			ftsQuery(toks, ""), ftsQuery(toks, "name"))
	default:
		b.w(in, ftsQuery(toks, ""))
	}
	return b
}

// tsQuery is a PostgreSQL tsquery: every word as a prefix. Words hold only
// [a-z0-9], so they need no quoting.
func tsQuery(toks []string) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t + ":*"
	}
	return strings.Join(parts, " & ")
}

// tsQueryLiteral is tsQuery as an SQL literal. tokens keeps only [a-z0-9];
// anything else is dropped here as well, so that no input can end the
// literal or the tsquery syntax.
func tsQueryLiteral(toks []string) string {
	clean := make([]string, 0, len(toks))
	for _, t := range toks {
		if w := cleanWord(t); w != "" {
			clean = append(clean, w)
		}
	}
	return "to_tsquery('simple', '" + tsQuery(clean) + "')"
}

// ftsQuery is an SQLite FTS5 query: every word as a prefix, optionally in
// one column.
func ftsQuery(toks []string, column string) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = `"` + t + `"*`
		if column != "" {
			parts[i] = column + " : " + parts[i]
		}
	}
	return strings.Join(parts, " AND ")
}
