package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/solodestination/api/internal/catalog/kind"
)

// When the walk of the sort's index (walkPage) finds no page of a search
// word or tag, the rows that pass are rare in that order, and the planner's
// query that used to follow read every listing of the tag in every kind,
// or every match of the word in the kind: seconds at a million listings.
// Rare is what an index answers cheaply, so the page is found the other way
// round (afterWalk): the listings of a tag in the kind (listing_tags'
// (tag, kind, listing_id), index-only) or the matches of the words (the
// kind's GIN index) are collected, at most collectCap of them, and the page
// is ordered from just those ids, as nearCollect does for a radius. An
// absent tag or word answers an empty page from one index probe.
//
// More than collectCap means the tag or word is common, and only its place
// in the sort order kept it out of the first rows: a longer walk finds the
// page (see longWalkFactor). Events of a date window sorted by start are
// paged from the window's start range instead (rangePage). Each returns
// what the straightforward query returns.

// collectCap is the most ids a collect keeps. The collect and the page
// query each touch up to collectCap rows; above it a walk needs about
// page·N/collectCap rows of a kind of N listings. The two costs meet near
// collectCap = √(page·N), about 4600 for a page of 21 at a million
// listings per kind.
const collectCap = 5000

// longWalkFactor times walkRows is the longer walk over a common tag or
// word: 8000 rows, twice the page·N/collectCap rows that hold a page on
// average at a million listings per kind. Not longer: with a LIMIT near a
// tenth of the kind the planner stops walking the index and sorts the
// kind instead (seen at 200 000 events and a LIMIT of 32 000).
const longWalkFactor = 4

// afterWalk finds the page of a word or tag query without a radius once
// the walk held less than one; done is false when it leaves the page to
// the planner's query, which then runs only past a long walk over a common
// tag or word (the end of its order, where no walk meets a page).
func (s store) afterWalk(ctx context.Context, q listQuery, tier, limit int, first walked, now time.Time) (out []listed, done bool, err error) {
	if q.Near != nil || (len(q.Tokens) == 0 && len(q.Tags) == 0) {
		return nil, false, nil
	}
	if q.Sort == SortStartsAt && q.startFloor != nil && q.To != nil {
		out, err := s.rangePage(ctx, q, tier, limit, now)
		return out, true, err
	}
	return s.collectOrWalkLonger(ctx, q, tier, limit, now, func(long store) ([]listed, bool, error) {
		if first.end == nil {
			out, err := long.walkPage(ctx, q, tier, limit, now)
			return out, err == nil && len(out) == limit, err
		}
		// The first walk's rows stand: the longer walk reads on from
		// where it stopped ("kartasura" by name at a million listings:
		// 831 rows more instead of 2 831 from the start).
		rest := q
		rest.After = first.end
		long.walkRows -= s.walkLen()
		more, err := long.walkPage(ctx, rest, tier, limit-len(first.rows), now)
		out := append(first.rows[:len(first.rows):len(first.rows)], more...)
		return out, err == nil && len(out) == limit, err
	})
}

// walked is what a first walk of the sort's order held (fewer rows than a
// page) and the position of the last row it read, when known (walkEnd).
type walked struct {
	rows []listed
	end  *position
}

// rareTagPage pages a tag query (no words, no radius) from the tag's
// listings when one of its tags is too rare for the walk of the sort's
// order: fewer than limit·N/walkRows of the kind's N listings, so that the
// walk's walkRows rows would expect less than a page of them. A tag nobody
// has used to cost the whole walk (32 ms at a million listings per kind);
// now one index-only probe for that many entries of the tag's, at most
// collectCap. Common tags are remembered as such when the probe asked for
// collectCap of them, so that afterWalk does not collect them again.
func (s store) rareTagPage(ctx context.Context, q listQuery, tier, limit int, now time.Time) ([]listed, bool, error) {
	if len(q.Tags) == 0 || len(q.Tokens) > 0 || q.Near != nil || q.collected == nil || q.collected.set ||
		(q.Sort == SortStartsAt && q.startFloor != nil && q.To != nil) {
		return nil, false, nil
	}
	enough := s.capCollect()
	if s.pg() && s.facetStats != nil {
		st, err := s.facetStats.of(ctx, s.read(ctx), q.Kind)
		if err != nil {
			return nil, false, err
		}
		if st.rows > 0 {
			enough = min(enough, int(math.Ceil(float64(limit)*st.rows/float64(s.walkLen()))))
		}
	}
	for _, t := range q.Tags {
		var b sqlBuf
		b.w("SELECT EXISTS (SELECT 1 FROM listing_tags t WHERE t.tag = ? AND t.kind = '"+string(q.Kind)+"'"+
			" ORDER BY t.listing_id LIMIT 1 OFFSET "+strconv.Itoa(enough-1)+")", t)
		var common bool
		if err := s.read(ctx).Raw(b.b.String(), b.args...).Row().Scan(&common); err != nil {
			return nil, false, fmt.Errorf("tag count: %w", err)
		}
		if !common {
			// Collected from this tag: collectIDs would otherwise first
			// read up to collectCap entries of each common tag before it.
			ids, rare, err := s.collectOnce(ctx, rareFirst(q, t))
			if err != nil || !rare {
				return nil, false, err
			}
			out, err := s.collectedPage(ctx, q, tier, limit, ids, now)
			return out, err == nil, err
		}
	}
	if enough == s.capCollect() {
		*q.collected = collectMemo{set: true} // every tag holds at least the collect's cap
	}
	return nil, false, nil
}

// rareFirst is q with tag t first among its tags, the one collectIDs
// tries first. Any tag's listings hold the page: the page query checks
// every tag of the request.
func rareFirst(q listQuery, t string) listQuery {
	tags := make([]string, 0, len(q.Tags))
	tags = append(tags, t)
	for _, other := range q.Tags {
		if other != t {
			tags = append(tags, other)
		}
	}
	q.Tags = tags
	return q
}

// collectOrWalkLonger follows a walk that held no page of words or tags:
// their matches, when at most collectCap, are collected and the page is
// ordered from just those; more means they are common, and walkLonger
// repeats the walk with a store that walks longWalkFactor times as far.
func (s store) collectOrWalkLonger(ctx context.Context, q listQuery, tier, limit int, now time.Time,
	walkLonger func(long store) ([]listed, bool, error)) ([]listed, bool, error) {
	ids, rare, err := s.collectOnce(ctx, q)
	if err != nil {
		return nil, false, err
	}
	if rare {
		out, err := s.collectedPage(ctx, q, tier, limit, ids, now)
		return out, err == nil, err
	}
	long := s
	long.walkRows = longWalkFactor * s.walkLen()
	return walkLonger(long)
}

// collectMemo is a request's collect (collectIDs), which neither the
// relevance tier nor the cursor changes: the second tier reuses it rather
// than collect the same matches again.
type collectMemo struct {
	ids       []string
	rare, set bool
}

// collectOnce is collectIDs, once per request when q carries a memo.
func (s store) collectOnce(ctx context.Context, q listQuery) ([]string, bool, error) {
	if m := q.collected; m != nil && m.set {
		return m.ids, m.rare, nil
	}
	ids, rare, err := s.collectIDs(ctx, q)
	if err == nil && q.collected != nil {
		*q.collected = collectMemo{ids: ids, rare: rare, set: true}
	}
	return ids, rare, err
}

// rangePage pages events by start within [startFloor, To]: the events of
// the window and of the longest span before it, whatever the table holds
// besides. The other filters sit under COALESCE, which no index serves, so
// that the planner walks the start order (of the category, if one is
// asked for) and stops at a page instead of collecting every match of a
// search word through its GIN index and sorting them.
func (s store) rangePage(ctx context.Context, q listQuery, tier, limit int, now time.Time) ([]listed, error) {
	key, order, _, keyset := s.sortSQL(q)
	var b sqlBuf
	b.w("SELECT " + readColumns(q.Lang) + ", " + imagesColumn + ", ")
	b.add(key)
	b.w(" FROM listings l WHERE l.kind = '" + string(q.Kind) + "' AND l.status = '" + string(Status(q.Status)) + "'")
	b.w(" AND l.starts_at >= ? AND l.starts_at <= ?", *q.startFloor, *q.To)
	if q.Category != "" {
		b.w(" AND l.category = ?", q.Category)
	}
	if extra, ok := s.extraFilterSQL(q, tier, now, true); ok {
		b.w(" AND COALESCE(")
		b.add(extra)
		b.w(", false)")
	}
	orderPage(&b, q, keyset, order, limit)
	return s.scanPage(ctx, q, tier, limit, b, now)
}

// walkLen is how many rows walkPage reads.
func (s store) walkLen() int {
	if s.walkRows > 0 {
		return s.walkRows
	}
	return walkRows
}

// capCollect is the collect's cap, which tests lower.
func (s store) capCollect() int {
	if s.collectCap > 0 {
		return s.collectCap
	}
	return collectCap
}

// collectIDs returns the ids of every listing of the kind that has the
// rarest of the tags or, with no tag of at most collectCap listings,
// matches the words (in the category, if one is asked for); rare is false
// when those are more than collectCap. The other filters are the page
// query's.
func (s store) collectIDs(ctx context.Context, q listQuery) (ids []string, rare bool, err error) {
	limit := " LIMIT " + strconv.Itoa(s.capCollect()+1)
	for _, t := range q.Tags {
		var b sqlBuf
		// Ordered by the index's last column: otherwise the planner, which
		// takes tag and kind for independent, expects a common tag to
		// fill the LIMIT early in a sequential scan, also when the kind
		// has none of it.
		b.w("SELECT t.listing_id FROM listing_tags t WHERE t.tag = ? AND t.kind = '"+string(q.Kind)+"' ORDER BY t.listing_id"+limit, t)
		if ids, err = s.scanIDs(ctx, b); err != nil || len(ids) <= s.capCollect() {
			return ids, err == nil, err
		}
	}
	if len(q.Tokens) == 0 {
		return nil, false, nil
	}
	var b sqlBuf
	if s.pg() && q.Status == statusFilter(Published) && plainCode(q.Category) {
		// The words and the category intersected in the facets index.
		// The index's statistics may already know the words too common:
		// a collect would read the cap's worth of them for nothing. With
		// a category, only where they sampled it: alone they take it for
		// independent of the words (names of a type are of its category:
		// often far off).
		if s.facetStats != nil && (q.Category == "" || s.facetStats.sampled(ctx, s.read(ctx), q.Kind, q.Category)) {
			est, _, err := s.facetStats.estimate(ctx, s.read(ctx), q, nil)
			if err != nil || est > 2*float64(s.capCollect()) {
				return nil, false, err
			}
		}
		words, err := s.expandWords(ctx, q.Tokens)
		if err != nil || noneMatch(words) {
			return nil, err == nil, err
		}
		b.w("SELECT l.id FROM listings l WHERE ")
		b.add(facetCond(q, words, nil))
		b.w(limit)
		ids, err = s.scanIDs(ctx, b)
		return ids, err == nil && len(ids) <= s.capCollect(), err
	}
	b.w("SELECT l.id FROM listings l WHERE l.kind = '" + string(q.Kind) + "'")
	if q.Status != statusAll {
		b.w(" AND l.status = '" + string(Status(q.Status)) + "'")
	}
	if q.Category != "" {
		b.w(" AND l.category = ?", q.Category)
	}
	b.w(" AND ")
	b.add(s.wordsCollectSQL(q.Tokens))
	b.w(limit)
	if ids, err = s.scanIDs(ctx, b); err != nil {
		return nil, false, err
	}
	return ids, len(ids) <= s.capCollect(), nil
}

// wordsCollectSQL matches every word anywhere (tierAny; a tier's page
// query narrows it). On PostgreSQL the tsquery is a literal, unlike in
// textMatchSQL: each collect is planned for its own words, so the planner
// sees how rare they are and reads the GIN index, where a generic plan
// would walk the kind (see tsQueryLiteral).
func (s store) wordsCollectSQL(toks []string) sqlBuf {
	if !s.pg() {
		return s.textMatchSQL(toks, tierAny)
	}
	var b sqlBuf
	b.w("l.search @@ " + tsQueryLiteral(toks))
	return b
}

// collectedPage orders the page from the collected ids: primary key
// lookups, every filter of the request, the sort's order and keyset. The
// tag and hours probes run per row (perRowSQL, as under a walk): a
// semi-join would read every listing of the tag again.
func (s store) collectedPage(ctx context.Context, q listQuery, tier, limit int, ids []string, now time.Time) ([]listed, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	key, order, outer, keyset := s.sortSQL(q)
	var b sqlBuf
	b.w("SELECT " + readColumns(q.Lang) + ", " + imagesColumn + ", ")
	// The ids and sort keys first, then the page's rows. The filters sit
	// under COALESCE, which no index serves: the planner, which cannot
	// tell that the ids already match the words and category, otherwise
	// ANDed the bitmaps of every listing of the word and of the category
	// (30 ms for 2 900 collected ids at a million listings) instead of
	// looking the ids up.
	b.w("p.k FROM (SELECT l.id, ")
	b.add(key)
	b.w(" AS k FROM listings l WHERE ")
	b.add(s.idsCond(ids))
	b.w(" AND COALESCE(")
	b.add(s.filterSQL(q, tier, now, nearChoice{strategy: nearWalk}))
	b.w(", false)")
	orderPage(&b, q, keyset, order, limit)
	b.w(") p JOIN listings l ON l.id = p.id ORDER BY " + outer)
	return s.scanPage(ctx, q, tier, limit, b, now)
}

// scanIDs runs a query of listing ids.
func (s store) scanIDs(ctx context.Context, b sqlBuf) ([]string, error) {
	rows, err := s.read(ctx).Raw(b.b.String(), b.args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("listing ids: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// withStartFloor sets q.startFloor and, sorted by start, moves a walk's
// start there: the first walk (walkPage) reads the start order after the
// cursor, and every row before the floor fails ends_at >= From. The
// keyset (floor, nil id) keeps exactly the rows starting at or after it.
func (s store) withStartFloor(ctx context.Context, q listQuery) (listQuery, error) {
	floor, err := s.startFloor(ctx, q)
	if err != nil || floor == nil {
		return q, err
	}
	q.startFloor = floor
	if q.Sort == SortStartsAt && (q.After == nil || timeOr0(q.After.Time).Before(*floor)) {
		q.After = &position{Time: floor}
	}
	return q, nil
}

// startFloor is the earliest start an event overlapping q.From may have:
// q.From less the longest span of a published event, read from the top of
// listings_event_span_idx. "ends_at >= From" alone is no index condition
// on the start order, whose walk then passes every event that ended before
// From; "starts_at >= floor" is one, and keeps exactly the same rows (an
// event ending at or after From started at or after From less its span).
// nil when it does not apply: SQLite, staff statuses (the index holds
// published events), and nearPlain, the straightforward query the tests
// compare with.
func (s store) startFloor(ctx context.Context, q listQuery) (*time.Time, error) {
	if !s.pg() || s.near == nearPlain || q.Kind != kind.Event || q.From == nil || q.Status != statusFilter(Published) {
		return nil, nil
	}
	var span *float64
	err := s.read(ctx).Raw(`SELECT EXTRACT(EPOCH FROM l.ends_at - l.starts_at) FROM listings l
 WHERE l.kind = 'event' AND l.status = 'published' ORDER BY l.ends_at - l.starts_at DESC LIMIT 1`).Row().Scan(&span)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && span == nil) {
		return nil, nil // no published event
	}
	if err != nil {
		return nil, fmt.Errorf("longest event span: %w", err)
	}
	// A second lower: the epoch is a float, and a floor below the exact
	// one keeps the same rows.
	f := q.From.Add(-time.Duration(*span*float64(time.Second)) - time.Second)
	return &f, nil
}
