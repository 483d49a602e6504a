package catalog

import (
	"context"
	"strconv"
	"time"
)

// Search words sorted by name, on PostgreSQL. Names that start with the
// same word sit together in the name order: every "Museum …" is one block
// of it. A word that starts many names ("museum", "pasar") is common, so
// no collect holds its matches, and they are rare everywhere but in its
// block, so a walk from the start of the order (or from a cursor before
// the block) meets none of them; the planner's last resort then read and
// sorted every match: tens of thousands of rows at a million listings.
//
// The facets index holds the leading run of letters and digits of each
// name sort key (migration 20261206140000_catalog_name_runs), so a page
// is found as the union of
//
//   - the first page of the word's block after the cursor: a walk of the
//     name index over a key range that holds every key starting with the
//     word, keeping the rows that pass every filter; and
//   - the matches outside the block: the index hands out "words &
//     !~f_museum", at most collectCap of them, and the first page of
//     those after the cursor is kept (a name whose first word only starts
//     with the word, "Museumku …", is in both parts, which does no harm).
//
// Every match is in one part or the other, and each part holds its share
// of the page, so the page ordered from both is the page. It is tried
// first, when the index's statistics list a search word as the first word
// of names; more matches outside the block than the cap, or a block walk
// that ends on its budget before a page, leave the page to the walks.

// maxNameRun is the longest leading run of a name key that the facets
// index keeps; a longer search word is left to the walks.
const maxNameRun = 60

// nameBlockMode says which word's block nameBlockPage walks: one the
// facets index's statistics list as the first word of many names (the
// default), the first search word whatever they say (tests, whose tables
// are too small for statistics), or none.
type nameBlockMode int

const (
	nameBlocksAuto nameBlockMode = iota
	nameBlocksFirst
	nameBlocksOff
)

// nameRunLexeme starts the facets lexemes of the name key's leading run in
// the language l sorts by.
func nameRunLexeme(l Lang) string {
	if l == LangEN {
		return "~e_"
	}
	return "~f_"
}

// prefixRange is a key range [from, to) holding every key that starts
// with w ([a-z0-9]+): from is w without its last character and to is w
// with its last character raised (9 to a, z carrying into the one before).
// Letters and digits are never ignored by a collation and sort in the
// same order in C and in the linguistic ones, so a key starting with w
// sorts after from and before to whatever else it holds. ok is false when
// w is empty, longer than the index keeps, or all z (nothing is after it).
func prefixRange(w string) (from, to string, ok bool) {
	if w == "" || len(w) > maxNameRun {
		return "", "", false
	}
	b := []byte(w)
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case 'z':
			continue
		case '9':
			b[i] = 'a'
		default:
			b[i]++
		}
		return w[:len(w)-1], string(b[:i+1]), true
	}
	return "", "", false
}

// nameBlockPage is the page of a name-sorted search as described above;
// done is false when it leaves the page to the walks.
func (s store) nameBlockPage(ctx context.Context, q listQuery, tier, limit int, now time.Time) ([]listed, bool, error) {
	if q.Sort != SortName || s.nameBlocks == nameBlocksOff || !s.facetsUsable(q) {
		return nil, false, nil
	}
	w := s.blockWord(ctx, q)
	from, to, ok := prefixRange(w)
	if !ok {
		return nil, false, nil
	}
	var words [][]string
	if q.facets != nil {
		words = q.facets.words
	} else {
		var err error
		if words, err = s.expandWords(ctx, q.Tokens); err != nil {
			return nil, false, err
		}
	}
	if noneMatch(words) {
		return nil, true, nil
	}
	block, whole, err := s.blockIDs(ctx, q, tier, limit, from, to, now)
	if err != nil || !whole {
		return nil, false, err
	}
	var cells []string
	if q.Near != nil {
		cells = coverCells(*q.Near, q.RadiusM)
	}
	outside, over, err := s.facetPageIDs(ctx, q, tier, limit, facetCondExcept(q, words, cells, nameRunLexeme(q.Lang)+w), now)
	if err != nil || over {
		return nil, false, err
	}
	rows, err := s.collectedPage(ctx, q, tier, limit, append(block, outside...), now)
	return rows, err == nil, err
}

// blockWord is the search word that the facets index's statistics list as
// the first word of the most names of the kind (their most common lexemes:
// a block worth walking), or "" when they list none; with nameBlocksFirst
// (tests, whose tables are too small for statistics) the first word.
func (s store) blockWord(ctx context.Context, q listQuery) string {
	if s.nameBlocks == nameBlocksFirst {
		return cleanWord(q.Tokens[0])
	}
	if s.facetStats == nil {
		return ""
	}
	st, err := s.facetStats.of(ctx, s.read(ctx), q.Kind)
	if err != nil {
		return ""
	}
	best, bestFreq := "", 0.0
	for _, t := range q.Tokens {
		w := cleanWord(t)
		if w == "" {
			continue
		}
		if f := st.listed(nameRunLexeme(q.Lang) + w); f > bestFreq {
			best, bestFreq = w, f
		}
	}
	return best
}

// blockIDs walks the name index over [from, to) after the cursor, at most
// walkRows rows, and returns the ids of the first limit rows that pass
// every filter. The range holds the block and maybe a few other keys,
// whose matches the part outside the block holds as well: the page's rows
// in the range are still among the first limit. whole is false when the
// walk ended on its budget before a page: the block's rows pass too rarely
// for a walk, and rows past it may belong to the page.
func (s store) blockIDs(ctx context.Context, q listQuery, tier, limit int, from, to string, now time.Time) (ids []string, whole bool, err error) {
	key := nameKey(q.Lang)
	_, _, _, keyset := s.sortSQL(q)
	budget := s.walkLen()
	var inRange sqlBuf
	inRange.w("l.kind = '"+string(q.Kind)+"' AND l.status = 'published' AND "+key+" >= ? AND "+key+" < ?", from, to)
	if q.After != nil {
		inRange.w(" AND ")
		inRange.add(keyset)
	}
	// As in walkPage: the inner query is an ordered range scan of the
	// name index that stops, and the outer order is its own, so the
	// filters run on rows as they come until a page passes.
	var b sqlBuf
	b.w("SELECT l.id FROM (SELECT l.*, " + key + " AS sort_key FROM listings l WHERE ")
	b.add(inRange)
	b.w(" ORDER BY " + key + ", l.id LIMIT " + strconv.Itoa(budget) + ") l WHERE ")
	b.add(s.filterSQL(q, tier, now, nearChoice{strategy: nearWalk}))
	b.w(" ORDER BY l.sort_key, l.id LIMIT " + strconv.Itoa(limit))
	if ids, err = s.scanIDs(ctx, b); err != nil || len(ids) == limit {
		return ids, err == nil, err
	}
	// Less than a page: whole if the walk reached the end of the range.
	var c sqlBuf
	c.w("SELECT count(*) FROM (SELECT 1 FROM listings l WHERE ")
	c.add(inRange)
	c.w(" LIMIT " + strconv.Itoa(budget+1) + ") x")
	var n int
	if err := s.read(ctx).Raw(c.b.String(), c.args...).Row().Scan(&n); err != nil {
		return nil, false, err
	}
	return ids, n <= budget, nil
}
