package catalog

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/solodestination/api/pkg/geo"
)

// Search words with a category or a radius, on PostgreSQL. The walks of
// the sort's index (walkPage, nearPage) meet a page early when the rows
// that pass are common; when they are rare, each row the walk reads is a
// heap fetch spent for nothing, and the words' GIN index alone hands out
// every listing of the word, which the category or the radius then throws
// away.
//
// The per-kind GIN index over catalog_facets (migrations
// 20261206110000_catalog_facets and 20261207060000_catalog_fine_cells)
// holds, besides the words, a lexeme for the category and one per grid
// cell of the location. ANDed in one tsquery they are intersected inside
// the index, so only the listings that match every part are read:
//
//   - a list with words collects its matches that way when the planner
//     estimates at most collectCap of them, and orders the page from just
//     those (facetPage);
//   - sorted by distance, the words are collected in the 3×3 cells around
//     the point on ever coarser grids until a page lies within the disc
//     those cells are sure to hold (nearestByCells).
//
// More matches than the cap mean the words are common where they are
// asked for, and the walks find the page; the strategies return what the
// straightforward query returns either way.

// facetsExpr is the indexed expression; a query must spell it the same.
// The names give the leading word of each name key (see nameblock.go).
const facetsExpr = "catalog_facets(l.search, l.category, l.lat, l.lng, l.name_id, l.name_en)"

// grids are the location lexemes' grids, finest first: 0.001° (about
// 111 m), 0.004°, 0.016° and 0.064° (about 7 km). Powers of two apart, and
// exact in binary, so that Go and PostgreSQL multiply alike. A grid's name
// is its lexemes' prefix; the names follow the order in which the grids
// were added (migration 20261207060000 added the finest), so that an
// instance still running the code before a migration reads the cells it
// knows from the index the migration rebuilt.
var grids = [...]grid{{"~g3_", 1000}, {"~g0_", 250}, {"~g1_", 62.5}, {"~g2_", 15.625}}

type grid struct {
	name      string
	perDegree float64
}

// maxCoverCells is the most cells a radius's box may span on a grid for a
// list to name them in its query: 5×5, so that the box of a 200 m radius
// (0.0036°) is named on the finest grid.
const maxCoverCells = 25

// facetPlan is how a list reads its words through the facets index: the
// cells that cover its radius (none without one). overflow is set once a
// collect found more matches than the cap, so that later relevance tiers
// do not try again.
type facetPlan struct {
	words    [][]string
	cells    []string
	overflow bool
}

// facetsUsable reports whether q's words may be read through the facets
// index: PostgreSQL, the automatic strategy, published listings (the
// index is partial), search words, and a category that is a plain code
// (any other names no listing, and is left to the usual query).
func (s store) facetsUsable(q listQuery) bool {
	return s.pg() && s.near == nearAuto && !s.noFacets && q.Status == statusFilter(Published) &&
		len(q.Tokens) > 0 && plainCode(q.Category)
}

// plainCode reports whether c is empty or made of [a-z0-9_] only, as every
// category code is: such a code may stand in a tsquery literal.
func plainCode(c string) bool {
	if len(c) > 64 {
		return false
	}
	for i := 0; i < len(c); i++ {
		ch := c[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_') {
			return false
		}
	}
	return true
}

// cellLexeme names the cell of grid level holding (lat, lng), as
// catalog_facets does.
func cellLexeme(level int, lat, lng float64) string {
	n := grids[level].perDegree
	return cellName(level, int64(math.Floor(lng*n)), int64(math.Floor(lat*n)))
}

func cellName(level int, x, y int64) string {
	return grids[level].name + strconv.FormatInt(x, 10) + "_" + strconv.FormatInt(y, 10)
}

// queryCells are the cells covering q's radius (coverCells), nil without
// one.
func queryCells(q listQuery) []string {
	if q.Near == nil {
		return nil
	}
	return coverCells(*q.Near, q.RadiusM)
}

// coverCells names the cells of the finest grid on which the box of r
// metres around p spans at most maxCoverCells; nil when none does (a wide
// radius, or a box across the antimeridian).
func coverCells(p Location, r float64) []string {
	minLat, maxLat, minLng, maxLng := latLngBox(p, r)
	if minLng <= -180 && maxLng >= 180 {
		return nil
	}
	for level, g := range grids {
		n := g.perDegree
		x0, x1 := int64(math.Floor(minLng*n)), int64(math.Floor(maxLng*n))
		y0, y1 := int64(math.Floor(minLat*n)), int64(math.Floor(maxLat*n))
		if (x1-x0+1)*(y1-y0+1) > maxCoverCells {
			continue
		}
		var cells []string
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				cells = append(cells, cellName(level, x, y))
			}
		}
		return cells
	}
	return nil
}

// blockAround names the 3×3 cells of grid level centred on p's cell and
// returns the radius in metres of the disc around p they surely hold:
// every point nearer to p than that lies in one of them.
func blockAround(p Location, level int) ([]string, float64) {
	n := grids[level].perDegree
	cx, cy := int64(math.Floor(p.Lng*n)), int64(math.Floor(p.Lat*n))
	cells := make([]string, 0, 9)
	for x := cx - 1; x <= cx+1; x++ {
		for y := cy - 1; y <= cy+1; y++ {
			cells = append(cells, cellName(level, x, y))
		}
	}
	// The block's edges, a hair inside: a point just below an edge may
	// round into the next cell.
	const hair = 1e-9
	lng0, lng1 := float64(cx-1)/n+hair, float64(cx+2)/n-hair
	lat0, lat1 := float64(cy-1)/n+hair, float64(cy+2)/n-hair
	if lng0 < -180 || lng1 > 180 || lat0 < -90 || lat1 > 90 {
		return cells, 0
	}
	dLat := math.Min(p.Lat-lat0, lat1-p.Lat)
	dLng := math.Min(p.Lng-lng0, lng1-p.Lng)
	cos := math.Cos(math.Min(90, math.Max(math.Abs(lat0), math.Abs(lat1))) * math.Pi / 180)
	g := math.Min(dLat, dLng*cos) * math.Pi / 180 * geo.EarthRadiusM
	// The radius's own bounding box must lie inside the block.
	for range 20 {
		minLat, maxLat, minLng, maxLng := latLngBox(p, g)
		if minLat >= lat0 && maxLat <= lat1 && minLng >= lng0 && maxLng <= lng1 {
			return cells, g
		}
		g *= 0.95
	}
	return cells, 0
}

// discShare is the share of the 3×3 block of grid level around p that
// the disc of radius r around p covers.
func discShare(p Location, level int, r float64) float64 {
	cellM := math.Pi / 180 * geo.EarthRadiusM / grids[level].perDegree
	block := 9 * cellM * cellM * math.Max(math.Cos(p.Lat*math.Pi/180), 1e-6)
	return math.Min(1, math.Pi*r*r/block)
}

// facetQuery is the tsquery literal of the words, the category and any
// one of the cells, without the listings holding one of the lexemes
// except (exact lexemes: a prefix would collect every posting list it
// starts before the query is narrowed). A word is spelled as the words it
// is a prefix of (words[i], see expandWords), or as a prefix where those
// are unknown (nil). Words hold only [a-z0-9] (tokens, cleanWord), a
// category only [a-z0-9_] (plainCode), cells are cellName's and except
// goes through cleanLexeme, so nothing can end the literal; the lexemes
// are quoted so that the tsquery parser takes "~", "_" and "-" as they
// are.
func facetQuery(toks []string, words [][]string, category string, cells []string, except ...string) string {
	return tsqueryLiteral(facetTerms(toks, words, category, cells, except...))
}

// tsqueryLiteral is the tsquery of terms ANDed, as an SQL literal.
func tsqueryLiteral(terms []string) string {
	return "'" + strings.Join(terms, " & ") + "'::tsquery"
}

// facetTerms are the terms of facetQuery, each to be ANDed.
func facetTerms(toks []string, words [][]string, category string, cells []string, except ...string) []string {
	var parts []string
	for i, t := range toks {
		w := cleanWord(t)
		if w == "" {
			continue
		}
		if i >= len(words) || words[i] == nil {
			parts = append(parts, "''"+w+"'':*")
			continue
		}
		parts = append(parts, anyOf(words[i]))
	}
	if category != "" && plainCode(category) {
		parts = append(parts, "''~c_"+category+"''")
	}
	if len(cells) > 0 {
		parts = append(parts, anyOf(cells))
	}
	for _, e := range except {
		if e := cleanLexeme(e); e != "" {
			parts = append(parts, "!''"+e+"''")
		}
	}
	return parts
}

// anyOf is a tsquery (quoted in an SQL literal) matching any of lexemes.
func anyOf(lexemes []string) string {
	quoted := make([]string, len(lexemes))
	for i, l := range lexemes {
		quoted[i] = "''" + cleanLexeme(l) + "''"
	}
	return "(" + strings.Join(quoted, " | ") + ")"
}

// cleanLexeme keeps what a word or a cell name may hold.
func cleanLexeme(l string) string {
	b := make([]byte, 0, len(l))
	for i := 0; i < len(l); i++ {
		if c := l[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '~' || c == '_' || c == '-' {
			b = append(b, c)
		}
	}
	return string(b)
}

// maxExpansions is the most words a search word may stand for to be
// spelled as them; one that starts more stays a prefix.
const maxExpansions = 64

// expandWords finds, for each search word, the words of catalog_lexemes it
// is a prefix of. Every word a listing's search vector holds is there (a
// trigger adds them), so the list is complete, and an empty one means no
// listing holds the word; nil for a word that starts more than
// maxExpansions. The facets index answers exact words by skipping through
// their posting lists from the query's rarest part, a prefix only after
// collecting every list it starts (see migration 20261206113000).
func (s store) expandWords(ctx context.Context, toks []string) ([][]string, error) {
	clean := make([]string, len(toks))
	for i, t := range toks {
		clean[i] = cleanWord(t)
	}
	rows, err := s.read(ctx).Raw(`SELECT t.i, x.lexeme FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS t(w, i),
 LATERAL (SELECT DISTINCT c.lexeme FROM catalog_lexemes c WHERE c.lexeme >= t.w COLLATE "C" AND c.lexeme < t.w || '~' COLLATE "C"
 ORDER BY c.lexeme LIMIT `+strconv.Itoa(maxExpansions+1)+`) x`, "{"+strings.Join(clean, ",")+"}").Rows()
	if err != nil {
		return nil, fmt.Errorf("search words: %w", err)
	}
	defer rows.Close()
	out := make([][]string, len(toks))
	for i := range out {
		out[i] = []string{}
	}
	for rows.Next() {
		var (
			i int
			w string
		)
		if err := rows.Scan(&i, &w); err != nil {
			return nil, err
		}
		if i >= 1 && i <= len(out) {
			out[i-1] = append(out[i-1], w)
		}
	}
	for i, ws := range out {
		if len(ws) > maxExpansions || clean[i] == "" {
			out[i] = nil
		}
	}
	return out, rows.Err()
}

// facetWords are q's search words spelled as the facets index holds them:
// those its facets plan expanded, else expanded now.
func (s store) facetWords(ctx context.Context, q listQuery) ([][]string, error) {
	if q.facets != nil {
		return q.facets.words, nil
	}
	return s.expandWords(ctx, q.Tokens)
}

// noneMatch reports whether a search word is a prefix of no word at all.
func noneMatch(words [][]string) bool {
	for _, ws := range words {
		if ws != nil && len(ws) == 0 {
			return true
		}
	}
	return false
}

// cleanWord keeps the [a-z0-9] of a word: all a search word may hold in
// an SQL literal (tsQueryLiteral, facetQuery).
func cleanWord(t string) string {
	b := make([]byte, 0, len(t))
	for i := 0; i < len(t); i++ {
		if c := t[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}

// facetCond selects the published listings of q's kind that hold q's
// words (spelled as words, see facetQuery) and category and lie in one of
// the cells, from the facets index.
func facetCond(q listQuery, words [][]string, cells []string) sqlBuf {
	return facetCondExcept(q, words, cells)
}

// facetCondExcept is facetCond without the listings holding one of the
// lexemes except.
func facetCondExcept(q listQuery, words [][]string, cells []string, except ...string) sqlBuf {
	return facetCondOf(q, facetQuery(q.Tokens, words, q.Category, cells, except...))
}

// facetCondWithin is facetCond of the listings that hold one of the
// lexemes within.
func facetCondWithin(q listQuery, words [][]string, cells []string, within []string) sqlBuf {
	return facetCondOf(q, tsqueryLiteral(append(facetTerms(q.Tokens, words, q.Category, cells), anyOf(within))))
}

// facetCondOf selects the published listings of q's kind that the facets
// index finds for query (a tsquery literal).
func facetCondOf(q listQuery, query string) sqlBuf {
	var b sqlBuf
	b.w("l.kind = '" + string(q.Kind) + "' AND l.status = 'published' AND " + facetsExpr + " @@ " + query)
	return b
}

// withFacets plans q's words through the facets index when the index's
// statistics promise fewer matches than the alternative reads rows: at
// most the collect cap with a radius (whose pages otherwise read every
// listing in it); else fewer than √(page·n) of the n listings in scope
// (the kind, or the category), where a walk of the sort's index meets a
// page of them within page·n/matches rows, or by name nameFacetsUpTo.
func (s store) withFacets(ctx context.Context, q listQuery) (listQuery, error) {
	if !s.facetsUsable(q) || q.Sort == SortDistance || s.facetStats == nil {
		return q, nil
	}
	cells := queryCells(q)
	est, scope, err := s.facetStats.estimate(ctx, s.read(ctx), q, cells)
	if err != nil {
		return q, err
	}
	upTo := float64(s.capCollect())
	switch {
	case q.Near != nil:
	case q.Sort == SortName:
		upTo = math.Min(upTo, math.Max(math.Sqrt(float64(q.Limit+1)*scope), nameFacetsUpTo))
	default:
		upTo = math.Min(upTo, math.Sqrt(float64(q.Limit+1)*scope))
	}
	if est > upTo {
		return q, nil
	}
	words, err := s.expandWords(ctx, q.Tokens)
	if err != nil {
		return q, err
	}
	q.facets = &facetPlan{words: words, cells: cells}
	return q, nil
}

// nameFacetsUpTo is the most matches a search by name collects from the
// facets index rather than walk, whatever √(page·n) says: a walk of the
// name order is no sure bet, as words gather in runs of it ("Galeri Batik
// Nusukan …": the place word third, its matches in runs of each first
// two), and the walk that misses them, the sample and the rest cost 20 ms
// at a million listings, where a collect of 2 500 costs 10–15 ms.
const nameFacetsUpTo = 2500

// facetPage is the page of q among the listings the facets index selects,
// with every filter of the request checked on each of them. done is false
// when they are more than the collect cap: the words are common after
// all, and the walks are to find the page.
func (s store) facetPage(ctx context.Context, q listQuery, tier, limit int, now time.Time) ([]listed, bool, error) {
	if q.facets == nil || q.facets.overflow {
		return nil, false, nil
	}
	if noneMatch(q.facets.words) {
		return nil, true, nil
	}
	ids, over, err := s.facetPageIDs(ctx, q, tier, limit, s.capCollect(), facetCond(q, q.facets.words, q.facets.cells), sqlBuf{}, now)
	if err != nil {
		return nil, false, err
	}
	if over {
		q.facets.overflow = true
		return nil, false, nil
	}
	rows, err := s.collectedPage(ctx, q, tier, limit, ids, now)
	return rows, err == nil, err
}

// facetPageIDs reads the listings cond selects from the facets index, at
// most capN of them, and returns the ids of the first limit
// that pass every filter of the request, come after its cursor and meet
// upTo (when not empty), in the sort's order; over is true when cond
// selects more than capN.
func (s store) facetPageIDs(ctx context.Context, q listQuery, tier, limit, capN int, cond, upTo sqlBuf, now time.Time) (ids []string, over bool, err error) {
	key, _, outer, keyset := s.sortSQL(q)
	// The request's filters and the cursor, checked on each match in the
	// select list: the cap bounds the matches read, however few pass.
	var rest sqlBuf
	rest.w("true")
	if extra, ok := s.filtersBeyondFacets(q, tier, now); ok {
		rest.w(" AND ")
		rest.add(extra)
	}
	if q.Near != nil {
		rest.w(" AND ")
		rest.add(s.withinSQL(*q.Near, q.RadiusM, false))
	}
	if q.After != nil {
		rest.w(" AND ")
		rest.add(keyset)
	}
	if upTo.b.Len() > 0 {
		rest.w(" AND ")
		rest.add(upTo)
	}
	var b sqlBuf
	b.w("SELECT count(*), array_to_string((array_agg(i.id ORDER BY " + strings.NewReplacer("p.k", "i.k", "p.id", "i.id").Replace(outer) +
		") FILTER (WHERE i.ok))[1:" + strconv.Itoa(limit) + "], ',') FROM (SELECT l.id, ")
	b.add(key)
	b.w(" AS k, COALESCE(")
	b.add(rest)
	b.w(", false) AS ok FROM listings l WHERE ")
	b.add(cond)
	b.w(" LIMIT " + strconv.Itoa(capN+1) + ") i")
	var (
		n    int64
		list *string
	)
	if err := s.read(ctx).Raw(b.b.String(), b.args...).Row().Scan(&n, &list); err != nil {
		return nil, false, fmt.Errorf("list %s: %w", q.Kind.Plural(), err)
	}
	if n > int64(capN) {
		return nil, true, nil
	}
	if list == nil || *list == "" {
		return nil, false, nil
	}
	return strings.Split(*list, ","), false, nil
}

// nearestByCells is the nearest-first page of q's words (sort=distance):
// the matches in the 3×3 cells around the point, on the finest grid first,
// each with every filter of the request; the page is theirs once need of
// them lie within the disc the cells surely hold, or that disc holds the
// whole radius. done is false when a collect found more than the cap (the
// words are common there, and the nearest-first walk meets them soon) or
// even the coarsest cells hold too few.
func (s store) nearestByCells(ctx context.Context, q listQuery, need int, now time.Time) ([]nearCandidate, bool, error) {
	words, err := s.expandWords(ctx, q.Tokens)
	if err != nil || noneMatch(words) {
		return nil, err == nil, err
	}
	capN := s.capCollect()
	extra, _ := s.filtersBeyondFacets(q, tierAny, now)
	for level := range grids {
		cells, sure := blockAround(*q.Near, level)
		if sure <= 0 {
			return nil, false, nil
		}
		if s.facetStats != nil {
			// Past the cap the collect reads cap rows for nothing, and a
			// coarser grid only holds more.
			est, _, err := s.facetStats.estimate(ctx, s.read(ctx), q, cells)
			if err != nil || est > float64(capN) {
				return nil, false, err
			}
			// Too few to fill a page within the sure disc: the next grid's
			// block is sure to hold a wider one, and this one's query
			// would be spent for nothing.
			if level+1 < len(grids) && sure < q.RadiusM && est*discShare(*q.Near, level, sure) < float64(need) {
				continue
			}
		}
		var b sqlBuf
		b.w("SELECT l.id, l.lat, l.lng, 0, COALESCE(") // checked per match, as in facetPage
		b.add(extra)
		b.w(", false) FROM listings l WHERE ")
		b.add(facetCond(q, words, cells))
		b.w(" LIMIT " + strconv.Itoa(capN+1))
		cands, err := s.scanCandidates(ctx, q, b)
		if err != nil || len(cands) > capN {
			return nil, false, err
		}
		within := q
		within.RadiusM = math.Min(q.RadiusM, sure)
		keep, _ := s.keepNearest(within, need, cands, true, 0)
		if len(keep) == need || sure >= q.RadiusM {
			return keep, true, nil
		}
	}
	return nil, false, nil
}

// filtersBeyondFacets are the request's filters a match of the facets
// index has still to pass (with "true" when none): not the words, which
// the index matched exactly (checking them again would read every
// match's search vector out of line), only the relevance tier's demand
// that they be in the name, or not.
func (s store) filtersBeyondFacets(q listQuery, tier int, now time.Time) (sqlBuf, bool) {
	toks := q.Tokens
	q.Tokens = nil
	var b sqlBuf
	extra, ok := s.extraFilterSQL(q, tier, now, true)
	if !ok {
		b.w("true")
	} else {
		b.add(extra)
	}
	name := "l.name_tsv @@ (SELECT to_tsquery('simple', CAST(? AS text)))"
	switch tier {
	case tierName:
		b.w(" AND "+name, tsQuery(toks))
	case tierOther:
		b.w(" AND NOT ("+name+")", tsQuery(toks))
	}
	return b, true
}
