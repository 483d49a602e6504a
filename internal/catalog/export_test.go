package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/solodestination/api/internal/catalog/kind"
)

// ForceNearStrategy makes every request with a radius and a sort other
// than distance take one strategy: "auto" (the default), "plain",
// "collect" or "walk", the walk reading walkRows rows before it leaves
// the rest to the planner (0: the default). It empties the response cache
// so that pages are computed anew. Call it between requests, never during
// them.
func ForceNearStrategy(s *Service, name string, walkRows int) {
	s.walkRows = walkRows
	switch name {
	case "auto":
		s.near = nearAuto
	case "plain":
		s.near = nearPlain
	case "collect":
		s.near = nearCollect
	case "walk":
		s.near = nearWalk
	default:
		panic(fmt.Sprintf("unknown near strategy %q", name))
	}
	if s.cache != nil {
		s.cache.Invalidate()
	}
}

// SetCollectCap makes a word or tag collect give way to the long walk past
// n ids (0: the default), and empties the response cache. Call it between
// requests, never during them.
func SetCollectCap(s *Service, n int) {
	s.collectCap = n
	if s.cache != nil {
		s.cache.Invalidate()
	}
}

// SetFacets turns the facets index's strategies on (the default) or off,
// and empties the response cache. Call it between requests, never during
// them.
func SetFacets(s *Service, on bool) {
	s.noFacets = !on
	if s.cache != nil {
		s.cache.Invalidate()
	}
}

// CellLexeme is cellLexeme, for the test that PostgreSQL names cells alike.
func CellLexeme(level int, lat, lng float64) string { return cellLexeme(level, lat, lng) }

// GridLevels is the number of grids of the location lexemes.
const GridLevels = len(grids)

// SetNameBlocks makes name-sorted searches walk the block of a word the
// statistics list as the first word of many names ("auto", the default),
// of the first search word whatever they say ("first"), those a sample of
// the matches suggests whatever they say ("sample", or "small-sample" of 4
// matches), a window of the name order and nothing else ("window", or
// "narrow-window" of at most 2 blocks), or never ("off"),
// and empties the response cache. Call it between requests, never during
// them.
func SetNameBlocks(s *Service, mode string) {
	switch mode {
	case "auto":
		s.nameBlocks = nameBlocksAuto
	case "first":
		s.nameBlocks = nameBlocksFirst
	case "sample":
		s.nameBlocks = nameBlocksSample
	case "small-sample":
		s.nameBlocks = nameBlocksSmallSample
	case "window":
		s.nameBlocks = nameBlocksWindow
	case "narrow-window":
		s.nameBlocks = nameBlocksNarrowWindow
	case "off":
		s.nameBlocks = nameBlocksOff
	default:
		panic(fmt.Sprintf("unknown name block mode %q", mode))
	}
	if s.cache != nil {
		s.cache.Invalidate()
	}
}

// NameBlocksOf returns the blocks a name key belongs to as the Go code
// chooses them (its first run, and its first two runs when there are), by
// facets lexeme, each with the key range walked for it (empty when none
// is).
func NameBlocksOf(l string, key string) map[string][2]string {
	out := map[string][2]string{}
	first, pair := leadingRuns(key)
	for _, p := range []string{first, pair} {
		if p == "" {
			continue
		}
		b := blockOf(Lang(l), p)
		from, to, ok := prefixRange(b.prefix)
		if !ok {
			from, to = "", "" // never walked, so never left out of the rest
		}
		out[b.lexeme] = [2]string{from, to}
	}
	return out
}

// ForgetFacetStats drops the facets index's statistics read so far, so
// that the next request reads them anew (after an ANALYZE), and empties
// the response cache. Call it between requests, never during them.
func ForgetFacetStats(s *Service) {
	s.facetStats.mu.Lock()
	clear(s.facetStats.byKind)
	s.facetStats.mu.Unlock()
	if s.cache != nil {
		s.cache.Invalidate()
	}
}

// SetWholeRowWalks makes every radius walk with search words read whole
// rows through the sort's index, as in a radius holding most of the kind
// (false: only there), and empties the response cache. Call it between
// requests, never during them.
func SetWholeRowWalks(s *Service, on bool) {
	s.wholeRowWalks = on
	if s.cache != nil {
		s.cache.Invalidate()
	}
}

// SampleFacetStats reads every kind's facets statistics anew (after an
// ANALYZE) with the samples of categories of at least minRows sampled
// listings, as a refresh does, and empties the response cache. Call it
// between requests, never during them.
func SampleFacetStats(s *Service, minRows float64) error {
	for _, k := range kind.All {
		st, err := readKindStats(context.Background(), s.db.DB, k, true, minRows)
		if err != nil {
			return err
		}
		// After a refresh that may still run, which would replace these.
		for {
			s.facetStats.mu.Lock()
			if !s.facetStats.refreshing[k] {
				s.facetStats.byKind[k] = st
				s.facetStats.mu.Unlock()
				break
			}
			s.facetStats.mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}
	if s.cache != nil {
		s.cache.Invalidate()
	}
	return nil
}

// EstimateMatches is the facets statistics' estimate of the published
// listings of kind k in category (any, when "") that hold every word.
func EstimateMatches(s *Service, k kind.Kind, category string, words ...string) (float64, error) {
	q := listQuery{Kind: k, Category: category, Tokens: words, Status: statusFilter(Published)}
	est, _, err := s.facetStats.estimate(context.Background(), s.db.DB, q, nil)
	return est, err
}
