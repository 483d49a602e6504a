package catalog

import (
	"context"
	"fmt"
	"maps"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/catalog/kind"
)

// facetStats estimates how many listings of a kind a query of words,
// category and cells selects, from the most common lexemes that ANALYZE
// records for the kind's facets index (pg_stats of the index). The planner
// itself ignores a partial index's statistics, and asking it would cost a
// round trip per request; these are read once per kind every
// facetStatsTTL, with a sample of each category's words once a query of
// words in a category asks for it (the statistics know each lexeme
// alone). Only a kind's first read waits, for the index's statistics
// alone: later, stale ones answer while one refresh runs behind (10–20 ms
// at a million listings, and the sample 0.5 s, which no request should
// pay).
type facetStats struct {
	mu         sync.Mutex
	byKind     map[kind.Kind]*lexemeStats
	refreshing map[kind.Kind]bool
	// wantSample marks the kinds whose refreshes read the categories'
	// sample (withSample).
	wantSample map[kind.Kind]bool
	// db serves the refreshes behind requests; nil: the request's own.
	db *gorm.DB
	// read reads a kind's statistics; with sample, its categories' too.
	read func(ctx context.Context, db *gorm.DB, k kind.Kind, sample bool) (*lexemeStats, error)
}

const (
	facetStatsTTL = 5 * time.Minute
	// facetStatsRetry is how soon a failed refresh is tried again.
	facetStatsRetry = time.Minute
	// facetStatsTimeout bounds a refresh that no request waits for.
	facetStatsTimeout = 30 * time.Second
)

// lexemeStats is one kind's: rows in the index, and the frequency (share
// of rows) of each most common lexeme, sorted for prefix sums.
type lexemeStats struct {
	rows    float64 // negative: never analysed
	lexemes []string
	freqs   []float64
	minFreq float64
	read    time.Time
	// categories holds the sample of each category that has enough rows
	// in it (readCategorySample); nil until the kind is sampled.
	categories map[string]*categorySample
}

func newFacetStats(db *gorm.DB) *facetStats {
	f := &facetStats{byKind: map[kind.Kind]*lexemeStats{}, refreshing: map[kind.Kind]bool{}, wantSample: map[kind.Kind]bool{}, db: db}
	f.read = func(ctx context.Context, db *gorm.DB, k kind.Kind, sample bool) (*lexemeStats, error) {
		return readKindStats(ctx, db, k, sample, minCategorySample)
	}
	return f
}

// readKindStats reads kind k's statistics; with sample, those of each
// category of at least minRows sampled rows too.
func readKindStats(ctx context.Context, db *gorm.DB, k kind.Kind, sample bool, minRows float64) (*lexemeStats, error) {
	st, err := readLexemeStats(ctx, db, "listings_facets_"+string(k)+"_idx")
	if err != nil || !sample {
		return st, err
	}
	st.categories = map[string]*categorySample{} // sampled, if only of nothing
	if st.rows <= 0 {
		return st, nil
	}
	cats, err := readCategorySample(ctx, db, k, st.rows)
	if err != nil {
		return nil, err
	}
	maps.DeleteFunc(cats, func(_ string, c *categorySample) bool { return c.rows < minRows })
	st.categories = cats
	return st, nil
}

// estimate is the expected number of q's listings holding the words and
// category in one of the cells (matches), and of those holding the
// category in one of the cells, whatever their words (scope). Within a
// category the words' shares are the category's sample's where it has
// one (categorySample), else the kind's. Both are 0
// when the kind was never analysed (a new, small table: the collect's cap
// still bounds the attempt, so the caller may as well try).
func (f *facetStats) estimate(ctx context.Context, db *gorm.DB, q listQuery, cells []string) (matches, scope float64, err error) {
	read := f.of
	if q.Category != "" && len(q.Tokens) > 0 {
		read = f.withSample
	}
	st, err := read(ctx, db, q.Kind)
	if err != nil || st.rows < 0 || len(st.lexemes) == 0 {
		return 0, 0, err
	}
	sel := 1.0
	var inCategory *categorySample
	if q.Category != "" {
		sel *= st.share("~c_"+q.Category, false)
		inCategory = st.categorySample(q.Category)
	}
	if len(cells) > 0 {
		var any float64
		for _, c := range cells {
			any += st.share(c, false)
		}
		sel *= math.Min(1, any)
	}
	scope = sel * st.rows
	for _, t := range q.Tokens {
		w := cleanWord(t)
		if inCategory != nil {
			sel *= inCategory.share(w, false, st.share(w, true))
		} else {
			sel *= st.share(w, true)
		}
	}
	return sel * st.rows, scope, nil
}

// share is the frequency of lexeme (with prefix, of every lexeme it
// starts), or half the least common one's when the statistics do not
// list it, as the planner assumes.
func (st *lexemeStats) share(lexeme string, prefix bool) float64 {
	i := sort.SearchStrings(st.lexemes, lexeme)
	var f float64
	for ; i < len(st.lexemes); i++ {
		if st.lexemes[i] != lexeme && (!prefix || !strings.HasPrefix(st.lexemes[i], lexeme)) {
			break
		}
		f += st.freqs[i]
	}
	if f == 0 {
		return st.minFreq / 2
	}
	return math.Min(1, f)
}

// categorySample is one category's part of a sample of the kind's
// published listings: how many were sampled, and how many of those hold
// each lexeme of the facets index (words and name runs; not cells) that
// at least minSampledWord of them hold, sorted for prefix sums. Words and category are far from independent (a theme word names
// one category's listings: every "Rumah Koleksi …" is a museum), and the
// facets index's statistics know each alone.
type categorySample struct {
	rows   float64
	words  []string
	counts []float64
}

const (
	// categorySampleRows is about how many of a kind's listings the
	// sample holds.
	categorySampleRows = 10000
	// minSampledWord is the least count of a word in a category's sample
	// that the sample keeps.
	minSampledWord = 3
	// minCategorySample is the least a category's sample holds for its
	// word shares to replace the kind's.
	minCategorySample = 200
)

// share is the share of the category's listings holding word or a word
// it starts (with exact, word alone). A word the sample did not keep is
// held by fewer than minSampledWord of its rows: the kind's share
// kindShare, but no more.
func (c *categorySample) share(word string, exact bool, kindShare float64) float64 {
	var n float64
	for i := sort.SearchStrings(c.words, word); i < len(c.words) && strings.HasPrefix(c.words[i], word); i++ {
		if !exact || c.words[i] == word {
			n += c.counts[i]
		}
	}
	if n == 0 {
		return math.Min(kindShare, minSampledWord/c.rows)
	}
	return math.Min(1, n/c.rows)
}

// readCategorySample samples about categorySampleRows of the kind's rows
// listings (whole pages of the table, so it reads a few per cent of it at
// a million per kind; the same pages each time, so that a query's plan
// does not change from one refresh to the next) and counts the words of
// each category's.
func readCategorySample(ctx context.Context, db *gorm.DB, k kind.Kind, rows float64) (map[string]*categorySample, error) {
	pct := math.Min(100, 100*categorySampleRows/rows)
	out, err := db.WithContext(ctx).Raw(`WITH s AS MATERIALIZED (SELECT l.category, `+facetsExpr+` AS facets
 FROM listings l TABLESAMPLE SYSTEM (CAST(? AS real)) REPEATABLE (1) WHERE l.kind = ? AND l.status = 'published')
 SELECT u.c, u.w, u.n FROM (SELECT s.category AS c, '' AS w, count(*) AS n FROM s GROUP BY s.category
 UNION ALL
 SELECT s.category, x.lexeme, count(*) FROM s, unnest(tsvector_to_array(s.facets)) AS x(lexeme)
 WHERE x.lexeme NOT LIKE '~g%' GROUP BY s.category, x.lexeme HAVING count(*) >= ?) u
 ORDER BY u.c, u.w COLLATE "C"`, pct, string(k), minSampledWord).Rows()
	if err != nil {
		return nil, fmt.Errorf("category sample: %w", err)
	}
	defer out.Close()
	cats := map[string]*categorySample{}
	for out.Next() {
		var (
			category, word string
			n              float64
		)
		if err := out.Scan(&category, &word, &n); err != nil {
			return nil, err
		}
		c := cats[category]
		if c == nil {
			c = &categorySample{}
			cats[category] = c
		}
		if word == "" {
			c.rows = n
			continue
		}
		c.words = append(c.words, word)
		c.counts = append(c.counts, n)
	}
	return cats, out.Err()
}

// sampled reports whether the statistics know the words of category c
// in the kind from a sample of it, and not from the kind alone.
func (f *facetStats) sampled(ctx context.Context, db *gorm.DB, k kind.Kind, c string) bool {
	st, err := f.withSample(ctx, db, k)
	return err == nil && st.categorySample(c) != nil
}

// categorySample is category c's sample; nil when there is none, or too
// small to tell its words' shares.
func (st *lexemeStats) categorySample(c string) *categorySample { return st.categories[c] }

// holding is about how many of the kind's listings in category c (any,
// when "") hold lexeme: from the category's sample where there is one,
// else from the statistics. A lexeme neither lists counts as the most
// they may leave out.
func (st *lexemeStats) holding(c, lexeme string) float64 {
	if cs := st.categorySample(c); cs != nil {
		return cs.share(lexeme, true, 1) * st.share("~c_"+c, false) * st.rows
	}
	f := st.listed(lexeme)
	if f == 0 {
		f = st.minFreq
	}
	return f * st.rows
}

// listed is the frequency of lexeme when the statistics list it among the
// most common, else 0.
func (st *lexemeStats) listed(lexeme string) float64 {
	if i := sort.SearchStrings(st.lexemes, lexeme); i < len(st.lexemes) && st.lexemes[i] == lexeme {
		return st.freqs[i]
	}
	return 0
}

func (f *facetStats) of(ctx context.Context, db *gorm.DB, k kind.Kind) (*lexemeStats, error) {
	f.mu.Lock()
	st := f.byKind[k]
	if st != nil && time.Since(st.read) >= facetStatsTTL {
		f.refreshLocked(ctx, db, k, st)
	}
	f.mu.Unlock()
	if st != nil {
		return st, nil
	}
	st, err := f.read(ctx, db, k, false)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.byKind[k] = st
	f.mu.Unlock()
	return st, nil
}

// withSample is of, and asks for the categories' sample where it is
// missing: a refresh behind this request reads it (about 0.5 s at a
// million listings per kind), and the later ones keep it. Only queries of
// words within a category need it, so a kind never asked that way is
// never sampled.
func (f *facetStats) withSample(ctx context.Context, db *gorm.DB, k kind.Kind) (*lexemeStats, error) {
	st, err := f.of(ctx, db, k)
	if err != nil || st.categories != nil {
		return st, err
	}
	f.mu.Lock()
	f.wantSample[k] = true
	f.refreshLocked(ctx, db, k, st)
	f.mu.Unlock()
	return st, nil
}

// refreshLocked starts a refresh of k's statistics behind the request
// unless one runs; f.mu is held.
func (f *facetStats) refreshLocked(ctx context.Context, db *gorm.DB, k kind.Kind, stale *lexemeStats) {
	if f.refreshing[k] {
		return
	}
	f.refreshing[k] = true
	refreshDB := f.db
	if refreshDB == nil {
		refreshDB = db
	}
	go f.refresh(context.WithoutCancel(ctx), refreshDB, k, stale, f.wantSample[k])
}

// refresh replaces a kind's stale statistics; when it fails the stale ones
// stay and are tried again after facetStatsRetry.
func (f *facetStats) refresh(ctx context.Context, db *gorm.DB, k kind.Kind, stale *lexemeStats, sample bool) {
	ctx, cancel := context.WithTimeout(ctx, facetStatsTimeout)
	defer cancel()
	st, err := f.read(ctx, db, k, sample)
	if err != nil {
		retry := *stale
		retry.read = time.Now().Add(facetStatsRetry - facetStatsTTL)
		st = &retry
	}
	f.mu.Lock()
	f.byKind[k] = st
	f.refreshing[k] = false
	f.mu.Unlock()
}

func readLexemeStats(ctx context.Context, db *gorm.DB, index string) (*lexemeStats, error) {
	st := &lexemeStats{rows: -1, read: time.Now()}
	err := db.WithContext(ctx).Raw("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)", index).Row().Scan(&st.rows)
	if err != nil {
		return nil, fmt.Errorf("facets statistics: %w", err)
	}
	// The frequencies array ends with the least and greatest frequency
	// and the share of empty values, after one per lexeme.
	rows, err := db.WithContext(ctx).Raw(`SELECT u.e, u.f, s.most_common_elem_freqs[array_length(s.most_common_elems::text::text[], 1) + 1]
 FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(e, f)
 WHERE s.schemaname = current_schema() AND s.tablename = ? AND u.e IS NOT NULL ORDER BY u.e COLLATE "C"`, index).Rows()
	if err != nil {
		return nil, fmt.Errorf("facets statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e string
			f float64
		)
		if err := rows.Scan(&e, &f, &st.minFreq); err != nil {
			return nil, err
		}
		st.lexemes = append(st.lexemes, e)
		st.freqs = append(st.freqs, f)
	}
	return st, rows.Err()
}
