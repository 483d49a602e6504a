package catalog

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
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
//
// A word's matches may sit deeper in the order: a theme word is the second
// word of many names ("Taman Edukasi …", "Galeri Edukasi …"), and an
// English word the translation of some first words ("house": "Rumah …",
// "Griya …"). The index also holds the first two runs of each key when one
// space parts them (migration 20261206160000_catalog_name_pairs), and the
// blocks are then chosen from a sample of the word's matches, one per
// first word of the sample: its two-word run when every sampled name with
// that first word shares it, else the first word's whole block, each kept
// when the statistics promise that the word is common in it. The page is
// the union of the first page of every block and of the matches outside
// all of them, exact for any choice of blocks.

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
	// nameBlocksSample and nameBlocksSmallSample (tests) choose the blocks
	// from a sample whatever the statistics say; the small one, of 4
	// matches, leaves most of a small table's matches outside the blocks.
	nameBlocksSample
	nameBlocksSmallSample
	// nameBlocksWindow and nameBlocksNarrowWindow (tests) try a window
	// of the name order whatever the statistics say, from 2 rows, and
	// nothing else; the narrow one of at most 2 blocks.
	nameBlocksWindow
	nameBlocksNarrowWindow
	nameBlocksOff
)

const (
	// blockSampleSize is how many of a word's matches the blocks are
	// chosen from.
	blockSampleSize = 128
	// maxNameBlocks bounds the blocks one query walks.
	maxNameBlocks = 32
	// minBlockDensity is the least share of a block's rows the statistics
	// must promise to hold the word for the block to be walked.
	minBlockDensity = 0.2
	// maxSampledMatches bounds the matches a sample is drawn from: the
	// facets index hands out all of their positions first, at about
	// 0.3 µs each.
	maxSampledMatches = 20000
	// maxBlockWordShare is the largest share of the kind's listings a
	// word may hold for blocks: a walk meets a more common one soon
	// wherever it clusters, and its matches outside any blocks cost more
	// to take from the index than the walk.
	maxBlockWordShare = 0.15
)

// sampleCell is a cell lexeme of the facets index holding enough of est
// matches for a sample but at most maxSampledMatches of them: the most
// common cell of the finest grid that does, or "" when none does.
func (st *lexemeStats) sampleCell(est float64) string {
	for _, g := range grids {
		best, bestFreq := "", 0.0
		for i := sort.SearchStrings(st.lexemes, g.name); i < len(st.lexemes) && strings.HasPrefix(st.lexemes[i], g.name); i++ {
			if st.freqs[i] > bestFreq {
				best, bestFreq = st.lexemes[i], st.freqs[i]
			}
		}
		if n := est * bestFreq; n >= 2*blockSampleSize && n <= maxSampledMatches {
			return best
		}
	}
	return ""
}

// nameBlock is a run of the name order: the keys that start with prefix
// (one run of letters and digits, or two parted by one space), whose
// listings hold lexeme in the facets index.
type nameBlock struct{ prefix, lexeme string }

// blockOf is the block of keys starting with prefix, in the order of l.
func blockOf(l Lang, prefix string) nameBlock {
	if first, second, pair := strings.Cut(prefix, " "); pair {
		lead := "~p_"
		if l == LangEN {
			lead = "~q_"
		}
		return nameBlock{prefix: prefix, lexeme: lead + first + "_" + second}
	}
	return nameBlock{prefix: prefix, lexeme: nameRunLexeme(l) + prefix}
}

// leadingRuns splits a name key's start as the facets index does: the
// first run of letters and digits, and the first two when one space parts
// them ("" when there are not two); runs longer than the index keeps are
// left out.
func leadingRuns(key string) (first, pair string) {
	run := func(s string) string {
		n := 0
		for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= '0' && s[n] <= '9') {
			n++
		}
		return s[:n]
	}
	first = run(key)
	if first == "" || len(first) > maxNameRun {
		return "", ""
	}
	rest := key[len(first):]
	if strings.HasPrefix(rest, " ") {
		if second := run(rest[1:]); second != "" && len(first)+1+len(second) <= maxNameRun {
			pair = first + " " + second
		}
	}
	return first, pair
}

// nameRunLexeme starts the facets lexemes of the name key's leading run in
// the language l sorts by.
func nameRunLexeme(l Lang) string {
	if l == LangEN {
		return "~e_"
	}
	return "~f_"
}

// prefixRange is a key range [from, to) holding every key that starts
// with w ([a-z0-9]+, or two such runs parted by one space): from is w
// without its last character and to is w with its last character raised
// (9 to a, z carrying into the one before, but never into the space, which
// a linguistic collation ignores).
//
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
		case ' ':
			return "", "", false
		case '9':
			b[i] = 'a'
		default:
			b[i]++
		}
		return w[:len(w)-1], string(b[:i+1]), true
	}
	return "", "", false
}

// nameBlockPage is the page of a name-sorted search by a window of the
// name order (namewindow.go), else as described above: with the block of
// a word the statistics list (it costs no extra statement), else with
// blocks a sample of the matches suggests (without a radius, only
// afterWalk: once the first walk held no page). A word in more than
// maxBlockWordShare of the listings is left to the walks, which meet it
// soon wherever it clusters. done is false when it leaves the page to the
// others.
func (s store) nameBlockPage(ctx context.Context, q listQuery, tier, limit int, afterWalk bool, now time.Time) ([]listed, bool, error) {
	if q.Sort != SortName || s.nameBlocks == nameBlocksOff || !s.facetsUsable(q) {
		return nil, false, nil
	}
	if !afterWalk {
		if rows, done, err := s.windowPage(ctx, q, tier, limit, now); err != nil || done {
			return rows, done, err
		}
	}
	switch s.nameBlocks {
	case nameBlocksWindow, nameBlocksNarrowWindow:
		return nil, false, nil
	case nameBlocksSample, nameBlocksSmallSample:
		return s.blocksPage(ctx, q, tier, limit, nil, now)
	case nameBlocksFirst:
		return s.blocksPage(ctx, q, tier, limit, []nameBlock{blockOf(q.Lang, cleanWord(q.Tokens[0]))}, now)
	}
	if q.facets != nil && !q.facets.overflow {
		// Few enough matches for the facets page, which reads just them:
		// a block of the word may hold few of them (in a 200 m radius, a
		// walk of the "Pasar …" block met 21 of them only after reading
		// thousands of rows).
		return nil, false, nil
	}
	if w := s.blockWord(ctx, q); w != "" && !afterWalk {
		// Unless the word is as common outside its block ("studio" is
		// also every "Sanggar …" in English; in performing arts, no name
		// starts with it): then a sample finds both.
		est, _, err := s.facetStats.estimate(ctx, s.read(ctx), q, nil)
		if err != nil {
			return nil, false, err
		}
		if st, err := s.facetStats.of(ctx, s.read(ctx), q.Kind); err != nil || est-st.holding(q.Category, nameRunLexeme(q.Lang)+w) <= 2*float64(s.capCollect()) {
			return s.blocksPage(ctx, q, tier, limit, []nameBlock{blockOf(q.Lang, w)}, now)
		}
	}
	if q.Near == nil && !afterWalk {
		// Without a radius, sampled blocks wait for the first walk, which
		// meets the page of a word spread over the name order within a
		// few hundred rows: cheaper than a sample and the matches outside
		// its blocks.
		return nil, false, nil
	}
	return s.blocksPage(ctx, q, tier, limit, nil, now)
}

// blocksPage is the union of the first page of the blocks (when nil,
// those a sample of the matches suggests) and of the matches outside them.
func (s store) blocksPage(ctx context.Context, q listQuery, tier, limit int, blocks []nameBlock, now time.Time) ([]listed, bool, error) {
	words, err := s.facetWords(ctx, q)
	if err != nil {
		return nil, false, err
	}
	if noneMatch(words) {
		return nil, true, nil
	}
	cells := queryCells(q)
	if blocks == nil {
		var err error
		if blocks, err = s.sampledBlocks(ctx, q, words, cells); err != nil || len(blocks) == 0 {
			return nil, false, err
		}
	}
	// A block no key range holds (all z) is not walked, so its matches
	// must stay in the part outside.
	blocks = slices.DeleteFunc(blocks, func(b nameBlock) bool {
		_, _, ok := prefixRange(b.prefix)
		return !ok
	})
	if len(blocks) == 0 {
		return nil, false, nil
	}
	blockPage, whole, err := s.blockIDs(ctx, q, tier, limit, blocks, now)
	if err != nil || !whole {
		return nil, false, err
	}
	except := make([]string, len(blocks))
	for i, b := range blocks {
		except[i] = b.lexeme
	}
	outside, over, err := s.facetPageIDs(ctx, q, tier, limit, s.capCollect(), facetCondExcept(q, words, cells, except...), sqlBuf{}, now)
	if err != nil || over {
		return nil, false, err
	}
	rows, err := s.collectedPage(ctx, q, tier, limit, append(blockPage, outside...), now)
	return rows, err == nil, err
}

// blockWord is the search word that the facets index's statistics list as
// the first word of the most names of the kind (their most common lexemes:
// a block worth walking), or "" when they list none.
func (s store) blockWord(ctx context.Context, q listQuery) string {
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

// sampledBlocks chooses the blocks from blockSampleSize of the query's
// matches (words, category and cells: what the facets index answers
// alone), as described above. With statistics, a block is kept when they
// promise the word in at least minBlockDensity of its rows, and none are
// when more matches than the collect cap would be left outside them.
func (s store) sampledBlocks(ctx context.Context, q listQuery, words [][]string, cells []string) ([]nameBlock, error) {
	var (
		st  *lexemeStats
		est float64
	)
	sampleCells := cells
	// After a facets overflow the statistics, which take words and
	// category for independent, are known to have fallen short.
	overflow := q.facets != nil && q.facets.overflow
	if s.nameBlocks == nameBlocksAuto {
		if s.facetStats == nil {
			return nil, nil
		}
		var err error
		if st, err = s.facetStats.of(ctx, s.read(ctx), q.Kind); err != nil {
			return nil, err
		}
		if est, _, err = s.facetStats.estimate(ctx, s.read(ctx), q, cells); err != nil {
			return nil, err
		}
		if overflow {
			est = math.Max(est, float64(s.capCollect()+1)) // the facets page found more than the cap
		}
		if st.rows <= 0 || est <= 0 || est > maxBlockWordShare*st.rows {
			return nil, nil
		}
		// The sample is drawn from the matches in one place where that
		// place holds enough of them (their names are as any others'):
		// the index hands out the positions of all matches first.
		if c := st.sampleCell(est); cells == nil && c != "" {
			sampleCells = []string{c}
		} else if est > maxSampledMatches {
			return nil, nil
		}
	}
	var b sqlBuf
	b.w("SELECT " + nameKey(q.Lang) + " FROM listings l WHERE ")
	b.add(facetCond(q, words, sampleCells))
	size := blockSampleSize
	if s.nameBlocks == nameBlocksSmallSample {
		size = 4
	}
	b.w(" LIMIT " + strconv.Itoa(size))
	rows, err := s.read(ctx).Raw(b.b.String(), b.args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", q.Kind.Plural(), err)
	}
	defer rows.Close()
	type group struct {
		n     int
		pair  string
		mixed bool
	}
	groups := map[string]*group{}
	sampled := 0
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, err
		}
		sampled++
		first, pair := leadingRuns(key)
		if first == "" {
			continue
		}
		g := groups[first]
		if g == nil {
			groups[first] = &group{n: 1, pair: pair}
			continue
		}
		g.n++
		g.mixed = g.mixed || g.pair != pair
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	type candidate struct {
		block nameBlock
		n     int
	}
	var cands []candidate
	for first, g := range groups {
		prefix := first
		if !g.mixed && g.pair != "" {
			prefix = g.pair
		}
		cands = append(cands, candidate{blockOf(q.Lang, prefix), g.n})
	}
	// The largest groups first, then in key order for a stable statement.
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].n != cands[j].n {
			return cands[i].n > cands[j].n
		}
		return cands[i].block.prefix < cands[j].block.prefix
	})
	if len(cands) > maxNameBlocks {
		cands = cands[:maxNameBlocks]
	}
	keep := func(candidate) bool { return true }
	if s.nameBlocks == nameBlocksAuto {
		if sampled == 0 {
			return nil, nil
		}
		// A block's rows are those holding its lexeme (in the category).
		keep = func(c candidate) bool {
			// Past a facets overflow est is only a floor: a block holding
			// most of the sample is walked (within its budget) whatever
			// its size ("koleksi": every "Rumah Koleksi …" museum).
			return float64(c.n)/float64(sampled)*est >= minBlockDensity*st.holding(q.Category, c.block.lexeme) || overflow && 2*c.n > sampled
		}
		covered := 0
		for _, c := range cands {
			if keep(c) {
				covered += c.n
			}
		}
		if est*float64(sampled-covered)/float64(sampled) > float64(s.capCollect()) {
			return nil, nil
		}
	}
	var blocks []nameBlock
	for _, c := range cands {
		if keep(c) {
			blocks = append(blocks, c.block)
		}
	}
	return blocks, nil
}

// blockIDs walks the name index over each block's key range after the
// cursor, at most walkLen rows of each, and returns the ids of the first
// limit rows of all of them that pass every filter. A range holds its
// block and maybe a few other keys, whose matches the part outside the
// blocks holds as well: the page's rows in the ranges are still among the
// first limit. whole is false when a walk ended on its budget before the
// page did: that block's rows pass too rarely for a walk, and its rows
// past the budget may belong to the page.
//
// The walks run in one statement, merged in key order: each marks the row
// on which its budget ends, and reading stops at a page.
func (s store) blockIDs(ctx context.Context, q listQuery, tier, limit int, blocks []nameBlock, now time.Time) (ids []string, whole bool, err error) {
	key := nameKey(q.Lang)
	_, _, _, keyset := s.sortSQL(q)
	budget := strconv.Itoa(s.walkLen())
	filters := s.filterSQL(q, tier, now, nearChoice{strategy: nearWalk})
	var b sqlBuf
	b.w("SELECT w.id, w.ok, w.rn = " + budget + " FROM (")
	n := 0
	for _, blk := range blocks {
		from, to, ok := prefixRange(blk.prefix)
		if !ok {
			continue
		}
		if n > 0 {
			b.w(" UNION ALL ")
		}
		n++
		// As in walkPage: an ordered range scan of the name index that
		// stops, with the filters checked on rows as they come.
		b.w("(SELECT w.id, w.sort_key, w.ok, w.rn FROM (SELECT l.id, " + key + " AS sort_key, COALESCE(")
		b.add(filters)
		b.w(", false) AS ok, row_number() OVER (ORDER BY "+key+", l.id) AS rn FROM listings l WHERE l.kind = '"+string(q.Kind)+
			"' AND l.status = 'published' AND "+key+" >= ? AND "+key+" < ?", from, to)
		if q.Category != "" {
			// The category's name index holds the range too, without the
			// other categories' rows.
			b.w(" AND l.category = ?", q.Category)
		}
		if q.After != nil {
			b.w(" AND ")
			b.add(keyset)
		}
		b.w(" ORDER BY " + key + ", l.id LIMIT " + budget + ") w WHERE w.ok OR w.rn = " + budget +
			" ORDER BY w.sort_key, w.id LIMIT " + strconv.Itoa(limit+1) + ")")
	}
	if n == 0 {
		return nil, false, nil
	}
	// Each walk yields at most one mark: limit+n rows hold a page unless
	// ranges overlap, which the count below notices.
	b.w(") w ORDER BY w.sort_key, w.id LIMIT " + strconv.Itoa(limit+n))
	rows, err := s.read(ctx).Raw(b.b.String(), b.args...).Rows()
	if err != nil {
		return nil, false, fmt.Errorf("list %s: %w", q.Kind.Plural(), err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	read := 0
	for rows.Next() {
		var (
			id         string
			ok, budEnd bool
		)
		if err := rows.Scan(&id, &ok, &budEnd); err != nil {
			return nil, false, err
		}
		read++
		if ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
			if len(ids) == limit {
				return ids, true, nil
			}
		}
		if budEnd {
			return nil, false, nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	return ids, read < limit+n, nil
}
