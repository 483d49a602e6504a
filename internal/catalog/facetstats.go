package catalog

import (
	"context"
	"fmt"
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
// facetStatsTTL. Only a kind's first read waits for them: later, stale
// ones answer while one refresh runs behind (it costs 10–20 ms at a
// million listings, which no request should pay).
type facetStats struct {
	mu         sync.Mutex
	byKind     map[kind.Kind]*lexemeStats
	refreshing map[kind.Kind]bool
	// db serves the refreshes behind requests; nil: the request's own.
	db   *gorm.DB
	read func(ctx context.Context, db *gorm.DB, k kind.Kind) (*lexemeStats, error)
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
}

func newFacetStats(db *gorm.DB) *facetStats {
	return &facetStats{byKind: map[kind.Kind]*lexemeStats{}, refreshing: map[kind.Kind]bool{}, db: db, read: readKindStats}
}

func readKindStats(ctx context.Context, db *gorm.DB, k kind.Kind) (*lexemeStats, error) {
	return readLexemeStats(ctx, db, "listings_facets_"+string(k)+"_idx")
}

// estimate is the expected number of q's listings holding the words and
// category in one of the cells (matches), and of those holding the
// category in one of the cells, whatever their words (scope). Both are 0
// when the kind was never analysed (a new, small table: the collect's cap
// still bounds the attempt, so the caller may as well try).
func (f *facetStats) estimate(ctx context.Context, db *gorm.DB, q listQuery, cells []string) (matches, scope float64, err error) {
	st, err := f.of(ctx, db, q.Kind)
	if err != nil || st.rows < 0 || len(st.lexemes) == 0 {
		return 0, 0, err
	}
	sel := 1.0
	if q.Category != "" {
		sel *= st.share("~c_"+q.Category, false)
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
		sel *= st.share(cleanWord(t), true)
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
	if st != nil && time.Since(st.read) >= facetStatsTTL && !f.refreshing[k] {
		f.refreshing[k] = true
		refreshDB := f.db
		if refreshDB == nil {
			refreshDB = db
		}
		go f.refresh(context.WithoutCancel(ctx), refreshDB, k, st)
	}
	f.mu.Unlock()
	if st != nil {
		return st, nil
	}
	st, err := f.read(ctx, db, k)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.byKind[k] = st
	f.mu.Unlock()
	return st, nil
}

// refresh replaces a kind's stale statistics; when it fails the stale ones
// stay and are tried again after facetStatsRetry.
func (f *facetStats) refresh(ctx context.Context, db *gorm.DB, k kind.Kind, stale *lexemeStats) {
	ctx, cancel := context.WithTimeout(ctx, facetStatsTimeout)
	defer cancel()
	st, err := f.read(ctx, db, k)
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
