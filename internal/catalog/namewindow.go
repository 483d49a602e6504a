package catalog

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Search words sorted by name, on PostgreSQL: a window of the name order.
// A word spread over the names of a category ("joyotakan", the place
// third in "Galeri Batik Joyotakan …") has a thousand or two matches in
// it at a million listings. Collecting them reads a row of the table for
// each, to sort by its name: 12 ms when those pages are in memory, 50–75
// ms when they are not. A walk of the category's name order checks the
// word on every row it passes, and the word's matches gather in runs of
// it ("Galeri Joyotakan …"), which a walk from the start may miss for
// thousands of rows.
//
// The page is found from the name index and the facets index instead:
//
//   - the window: the first rows of the name order after the cursor (the
//     kind's, or the category's), read from the name index alone, which
//     yields their keys and so the blocks they belong to (the first two
//     runs of each key, or its first run; see nameblock.go), whose
//     lexemes the facets index holds;
//   - the matches in those blocks, from the facets index: the word and
//     the category and any block's lexeme. Only their rows are read.
//
// Every row of the window is in one of the blocks, so every match up to
// the window's last key is among those matches (a row past the window
// with that key is in the last row's block). The first page of them up
// to that key is the page once it is full, or when the window reached
// the end of the order. A window that holds too few matches is read once
// more, longer by the share of matches it held (at least four times), up
// to maxWindowRows; one that holds none gives way, its word's matches
// gathering elsewhere.
//
// It serves words within a category or a radius, sparse enough that a
// walk would read hundreds of rows and common enough that a collect would
// read more than the blocks' matches. Measured at a million listings over
// every word × category pair of the data set, by name (second pass):
// requests over 20 ms 187 → 7, p99 40 → 18 ms.

const (
	// windowMinMatches is the fewest matches the statistics must promise
	// for a window: a collect of fewer reads fewer rows.
	windowMinMatches = 300
	// maxWindowWordShare is the largest share of the listings in scope
	// a word may hold for a window.
	maxWindowWordShare = 0.04
	// windowPageShare is how many pages of matches the first window is
	// sized to hold, by the statistics.
	windowPageShare = 3
	// maxWindowRows bounds a window, read index-only at about 0.5 µs a
	// row with its transfer; the first is at most half as long.
	maxWindowRows = 10000
	// maxWindowBlocks bounds the blocks of one query; a window of more
	// falls back on the first runs, then gives way.
	maxWindowBlocks = 96
	// maxWindowMatches bounds the matches read from a window's blocks,
	// each a row of the table: past it they give way.
	maxWindowMatches = 1000
)

// windowPage is the page of a name-sorted search by a window of the name
// order, as described above. done is false when it leaves the page to the
// other strategies.
func (s store) windowPage(ctx context.Context, q listQuery, tier, limit int, now time.Time) ([]listed, bool, error) {
	if q.Sort != SortName || !s.facetsUsable(q) {
		return nil, false, nil
	}
	cells := queryCells(q)
	rows, maxBlocks := 2, maxWindowBlocks
	switch s.nameBlocks {
	case nameBlocksWindow:
	case nameBlocksNarrowWindow:
		maxBlocks = 2
	case nameBlocksAuto:
		var ok bool
		var err error
		if rows, ok, err = s.windowRows(ctx, q, limit, cells); err != nil || !ok {
			return nil, false, err
		}
	default:
		return nil, false, nil
	}
	words, err := s.facetWords(ctx, q)
	if err != nil {
		return nil, false, err
	}
	if noneMatch(words) {
		return nil, true, nil
	}
	rounds := 2
	if s.nameBlocks != nameBlocksAuto {
		rounds = 6 // tests: from 2 rows to the whole order
	}
	for round := 0; round < rounds && rows <= maxWindowRows; round++ {
		blocks, last, ok, err := s.windowBlocks(ctx, q, rows, maxBlocks)
		if err != nil || !ok {
			return nil, false, err
		}
		if len(blocks) == 0 {
			return nil, true, nil // nothing after the cursor
		}
		var upTo sqlBuf
		if last != nil {
			upTo.w(nameKey(q.Lang)+" <= ?", *last)
		}
		ids, over, err := s.facetPageIDs(ctx, q, tier, limit, min(s.capCollect(), maxWindowMatches), facetCondWithin(q, words, cells, blocks), upTo, now)
		if err != nil || over {
			return nil, false, err
		}
		if len(ids) == limit || last == nil {
			page, err := s.collectedPage(ctx, q, tier, limit, ids, now)
			return page, err == nil, err
		}
		if len(ids) == 0 && s.nameBlocks == nameBlocksAuto {
			// None in the window: the matches gather elsewhere in the
			// order ("collection" is every "Rumah Koleksi …" museum).
			return nil, false, nil
		}
		// One more window, long enough by the share of matches this one
		// held.
		rows = int(math.Ceil(float64(rows) * math.Max(4, 1.5*float64(limit)/math.Max(1, float64(len(ids))))))
	}
	return nil, false, nil
}

// windowRows is the length of the first window the statistics size to
// hold windowPageShare pages of matches; ok is false when they promise
// too few matches for a window, or say that most of them start names
// (their block is the page's place: nameBlockPage).
func (s store) windowRows(ctx context.Context, q listQuery, limit int, cells []string) (int, bool, error) {
	if s.facetStats == nil || q.Category == "" && q.Near == nil {
		// A word alone: the walks of the kind's name order and the blocks
		// serve it better, the window's blocks holding too many matches
		// (measured over every name word of the data set at a million).
		return 0, false, nil
	}
	est, scope, err := s.facetStats.estimate(ctx, s.read(ctx), q, cells)
	if err != nil || est < windowMinMatches || scope <= 0 {
		return 0, false, err
	}
	if est > maxWindowWordShare*scope {
		// A walk meets a page of a word this common within a few hundred
		// rows, where the window's blocks, which reach past the window,
		// would hold hundreds of matches.
		return 0, false, nil
	}
	if w := s.blockWord(ctx, q); w != "" {
		st, err := s.facetStats.of(ctx, s.read(ctx), q.Kind)
		if err != nil {
			return 0, false, err
		}
		if st.holding(q.Category, nameRunLexeme(q.Lang)+w) >= est/2 {
			return 0, false, nil
		}
	}
	rows := math.Max(4*float64(limit), math.Ceil(windowPageShare*float64(limit)*scope/est))
	if rows > maxWindowRows/2 {
		// The matches are too sparse for a window to pay: the collect
		// reads fewer rows.
		return 0, false, nil
	}
	return int(rows), true, nil
}

// windowBlocks reads the keys of the first rows of the name order after
// q's cursor (in q's category, if any) from the name index and returns the
// lexemes of their blocks, and the last key when the window holds rows
// rows (nil when it reached the end of the order). ok is false when a key
// has no block (a name starting with neither a letter nor a digit) or the
// blocks are more than maxBlocks even by first runs.
func (s store) windowBlocks(ctx context.Context, q listQuery, rows, maxBlocks int) (blocks []string, last *string, ok bool, err error) {
	key := nameKey(q.Lang)
	_, _, _, keyset := s.sortSQL(q)
	var b sqlBuf
	b.w("SELECT " + key + " FROM listings l WHERE l.kind = '" + string(q.Kind) + "' AND l.status = 'published'")
	if q.Category != "" {
		b.w(" AND l.category = ?", q.Category)
	}
	if q.After != nil {
		b.w(" AND ")
		b.add(keyset)
	}
	b.w(" ORDER BY " + key + ", l.id LIMIT " + strconv.Itoa(rows))
	res, err := s.read(ctx).Raw(b.b.String(), b.args...).Rows()
	if err != nil {
		return nil, nil, false, fmt.Errorf("list %s: %w", q.Kind.Plural(), err)
	}
	defer res.Close()
	var (
		pairs, firsts = map[string]bool{}, map[string]bool{}
		prev          string
		n             int
	)
	for res.Next() {
		var k string
		if err := res.Scan(&k); err != nil {
			return nil, nil, false, err
		}
		n++
		if n > 1 && k == prev {
			continue
		}
		prev = k
		first, pair := leadingRuns(k)
		if first == "" {
			return nil, nil, false, nil
		}
		firsts[first] = true
		if pair == "" {
			pair = first
		}
		pairs[pair] = true
	}
	if err := res.Err(); err != nil {
		return nil, nil, false, err
	}
	chosen := pairs
	if len(pairs) > maxBlocks {
		chosen = firsts
	}
	if len(chosen) > maxBlocks {
		return nil, nil, false, nil
	}
	for prefix := range chosen {
		blocks = append(blocks, blockOf(q.Lang, prefix).lexeme)
	}
	slices.Sort(blocks) // the same statement for the same window
	if n == rows {
		last = &prev
	}
	return blocks, last, true, nil
}
