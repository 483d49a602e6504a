package catalog

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/pkg/cursor"
	"github.com/solodestination/api/pkg/geo"
)

// searchQuery is a parsed GET /search: published listings of some kinds,
// ranked like a list's relevance order.
type searchQuery struct {
	Tokens  []string
	Kinds   []kind.Kind // empty: all kinds
	Near    *Location
	RadiusM float64 // 0: no radius filter, distances only
	Lang    Lang
	Limit   int
	After   *position
}

func (q searchQuery) fingerprint() string {
	ks := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		ks[i] = string(k)
	}
	s := fmt.Sprintf("search|q=%s|types=%s|r=%v", strings.Join(q.Tokens, " "), strings.Join(ks, ","), q.RadiusM)
	if q.Near != nil {
		s += fmt.Sprintf("|near=%v,%v", q.Near.Lat, q.Near.Lng)
	}
	return cursor.Fingerprint(s)
}

// hit is one search result.
type hit struct {
	Kind        kind.Kind
	ID          uuid.UUID
	Slug        string
	Name        Text
	Description Text
	Location    Location
	DistanceM   *float64
	Pos         position
}

// search returns up to q.Limit+1 hits: name matches first, then other
// matches, best rated first within each tier (the relevance order of lists).
func (s store) search(ctx context.Context, q searchQuery) ([]hit, error) {
	var nc nearChoice
	if q.Near != nil && q.RadiusM > 0 {
		kinds := q.Kinds
		if len(kinds) == 0 {
			kinds = kind.All
		}
		var err error
		if nc, err = s.chooseNear(ctx, *q.Near, q.RadiusM, kinds, statusFilter(Published)); err != nil {
			return nil, err
		}
		if nc.strategy == nearCollect && len(nc.ids) == 0 {
			return nil, nil
		}
	}
	var out []hit
	for _, tier := range []int{tierName, tierOther} {
		after := q.After
		if after != nil {
			if after.Tier < tier {
				continue
			}
			if after.Tier > tier {
				after = nil
			}
		}
		rows, err := s.searchTier(ctx, q, tier, after, q.Limit+1-len(out), nc)
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

func (s store) searchTier(ctx context.Context, q searchQuery, tier int, after *position, limit int, nc nearChoice) ([]hit, error) {
	if nc.strategy == nearWalk {
		// As walkPage: the first rows of the rating order, filtered; when
		// they hold no page, the planner's choice over the whole order.
		rows := s.walkRows
		if rows <= 0 {
			rows = walkRows
		}
		out, err := s.searchPage(ctx, q, tier, after, limit, nc, rows)
		if err != nil || len(out) == limit {
			return out, err
		}
	}
	return s.searchPage(ctx, q, tier, after, limit, nc, 0)
}

// searchPage runs one page query of a tier; walk > 0 reads only the first
// walk rows of the rating order (after the cursor).
func (s store) searchPage(ctx context.Context, q searchQuery, tier int, after *position, limit int, nc nearChoice, walk int) ([]hit, error) {
	var kinds sqlBuf
	if len(q.Kinds) > 0 && len(q.Kinds) < len(kind.All) {
		kinds.w(" AND ")
		kinds.add(kindsSQL(q.Kinds))
	}
	var in sqlBuf
	in.w("SELECT l.id, l.rating_avg AS k FROM ")
	switch {
	case walk > 0:
		in.w("(SELECT l.* FROM listings l WHERE l.status = 'published'")
		in.add(kinds)
		if after != nil {
			in.w(" AND (l.rating_avg, l.id) < (?, ?)", numOr0(after.Num), after.ID.String())
		}
		in.w(" ORDER BY l.rating_avg DESC, l.id DESC LIMIT " + strconv.Itoa(walk) + ") l")
	default:
		in.w("listings l")
	}
	in.w(" WHERE l.status = 'published'")
	in.add(kinds)
	if nc.strategy == nearCollect {
		in.w(" AND ")
		in.add(s.idsCond(nc.ids))
	}
	in.w(" AND ")
	in.add(s.textMatchSQL(q.Tokens, tier))
	if q.Near != nil && q.RadiusM > 0 {
		in.w(" AND ")
		in.add(s.withinSQL(*q.Near, q.RadiusM, nc.strategy != nearWalk))
	}
	if after != nil {
		in.w(" AND (l.rating_avg, l.id) < (?, ?)", numOr0(after.Num), after.ID.String())
	}
	in.w(" ORDER BY l.rating_avg DESC, l.id DESC LIMIT " + strconv.Itoa(limit))

	var b sqlBuf
	b.w(`SELECT l.kind, l.id, l.slug, l.name_id, l.name_en, l.description_id, l.description_en, l.lat, l.lng, p.k FROM (`)
	b.add(in)
	b.w(") p JOIN listings l ON l.id = p.id ORDER BY p.k DESC, p.id DESC")
	var out []hit
	err := s.eachRow(ctx, b, func() { out = out[:0] }, func(row rowScanner) error {
		var (
			h      hit
			k      string
			rating float64
		)
		if err := row.Scan(&k, &h.ID, &h.Slug, &h.Name.ID, &h.Name.EN, &h.Description.ID, &h.Description.EN,
			&h.Location.Lat, &h.Location.Lng, &rating); err != nil {
			return fmt.Errorf("scan search hit: %w", err)
		}
		h.Kind = kind.Kind(k)
		h.Pos = position{Tier: tier, Num: &rating, ID: h.ID}
		if q.Near != nil {
			d := geo.RoundM(distanceM(*q.Near, h.Location))
			h.DistanceM = &d
		}
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// suggestion is one name completion.
type suggestion struct {
	Kind kind.Kind
	ID   uuid.UUID
	Slug string
	Name Text
	fold string // folded names, for ordering
	word string // the name word that matched the prefix
	pos  int    // where that word first appears in fold
	sim  float64
}

// MaxSuggestions is how many completions /search/suggest returns at most.
const MaxSuggestions = 10

// suggestCandidates bounds the rows a suggestion query looks at, whatever
// the catalog's size.
const suggestCandidates = 200

// suggest completes a name: first listings with a name word starting with
// the longest typed word (and the other typed words as word prefixes),
// ordered by that word and the name; then, to fill up, names within
// trigram word similarity (typos), most similar first.
func (s store) suggest(ctx context.Context, toks []string, limit int) ([]suggestion, error) {
	prefix, err := s.suggestPrefix(ctx, toks, limit)
	if err != nil || len(prefix) >= limit {
		return prefix, err
	}
	fuzzy, err := s.suggestSimilar(ctx, strings.Join(toks, " "))
	if err != nil {
		return nil, err
	}
	seen := map[uuid.UUID]bool{}
	for _, p := range prefix {
		seen[p.ID] = true
	}
	for _, f := range fuzzy {
		if len(prefix) == limit {
			break
		}
		if !seen[f.ID] {
			seen[f.ID] = true
			prefix = append(prefix, f)
		}
	}
	return prefix, nil
}

// rangeToken is the typed word that drives the prefix scan: the longest,
// as the most selective.
func rangeToken(toks []string) (string, []string) {
	best := 0
	for i, t := range toks {
		if len(t) > len(toks[best]) {
			best = i
		}
	}
	rest := make([]string, 0, len(toks)-1)
	rest = append(rest, toks[:best]...)
	rest = append(rest, toks[best+1:]...)
	return toks[best], rest
}

func (s store) suggestPrefix(ctx context.Context, toks []string, limit int) ([]suggestion, error) {
	word, rest := rangeToken(toks)
	var b sqlBuf
	if s.pg() {
		// One ordered range of the word table. A listing can show up once
		// per matching word, so take a few more rows, keep each listing's
		// first, and visit the listings table only for the ones shown.
		var wb sqlBuf
		wb.w(`SELECT w.word, w.pos, w.name_fold, w.listing_id FROM listing_name_words w WHERE w.word >= ? AND w.word < ?`,
			word, prefixEnd(word)) // a range rather than LIKE, so even a generic plan walks the index
		for _, t := range rest {
			wb.w(" AND (' ' || w.name_fold) LIKE ?", "% "+t+"%")
		}
		wb.w(" ORDER BY w.word, w.pos, w.name_fold, w.listing_id LIMIT " + strconv.Itoa(3*limit))
		b.w("WITH w AS (")
		b.add(wb)
		b.w(`), d AS (SELECT DISTINCT ON (listing_id) listing_id, word, pos, name_fold FROM w
 ORDER BY listing_id, word, pos, name_fold),
 t AS (SELECT * FROM d ORDER BY word, pos, name_fold, listing_id LIMIT ` + strconv.Itoa(limit) + `)
 SELECT l.kind, l.id, l.slug, l.name_id, l.name_en, t.name_fold, t.word FROM t
 JOIN listings l ON l.id = t.listing_id AND l.status = 'published'
 ORDER BY t.word, t.pos, t.name_fold, t.listing_id`)
	} else {
		b.w(`SELECT l.kind, l.id, l.slug, l.name_id, l.name_en, '', '' FROM listings l
 WHERE l.status = 'published' AND l.search_rowid IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)
 LIMIT `+strconv.Itoa(suggestCandidates), ftsQuery(toks, "name"))
	}
	out, err := s.scanSuggestions(ctx, b)
	if err != nil {
		return nil, err
	}
	if !s.pg() {
		// Same order as the PostgreSQL word table: matched word, its place
		// in the name, then the name.
		kept := out[:0]
		for _, c := range out {
			c.fold = fold(c.Name.ID + " " + c.Name.EN)
			if c.word, c.pos = firstWordWithPrefix(c.fold, word); c.word != "" {
				kept = append(kept, c)
			}
		}
		out = kept
		sort.Slice(out, func(i, j int) bool {
			a, b := out[i], out[j]
			if a.word != b.word {
				return a.word < b.word
			}
			if a.pos != b.pos {
				return a.pos < b.pos
			}
			if a.fold != b.fold {
				return a.fold < b.fold
			}
			return a.ID.String() < b.ID.String()
		})
	}
	return dedupe(out, limit), nil
}

// prefixEnd is the smallest string above every string starting with p
// (p holds only [a-z0-9], so its last byte can be incremented).
func prefixEnd(p string) string {
	return p[:len(p)-1] + string(rune(p[len(p)-1]+1))
}

// firstWordWithPrefix returns the smallest word of folded that starts
// with prefix and where it first appears.
func firstWordWithPrefix(folded, prefix string) (string, int) {
	best, at := "", 0
	for i, w := range strings.Fields(folded) {
		if strings.HasPrefix(w, prefix) && (best == "" || w < best) {
			best, at = w, i
		}
	}
	return best, at
}

func dedupe(list []suggestion, limit int) []suggestion {
	seen := map[uuid.UUID]bool{}
	out := make([]suggestion, 0, limit)
	for _, c := range list {
		if len(out) == limit {
			break
		}
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// suggestSimilar finds names within trigram word similarity of q (pg_trgm
// word_similarity ≥ 0.6), most similar first. The candidates are capped,
// so a vague query costs the same as a precise one.
func (s store) suggestSimilar(ctx context.Context, q string) ([]suggestion, error) {
	var b sqlBuf
	if s.pg() {
		b.w(`SELECT l.kind, l.id, l.slug, l.name_id, l.name_en, c.name_fold, word_similarity(?, c.name_fold) AS sim FROM (
 SELECT id, name_fold FROM listings WHERE status = 'published' AND ? <% name_fold LIMIT `+strconv.Itoa(suggestCandidates)+`) c
 JOIN listings l ON l.id = c.id
 ORDER BY sim DESC, c.name_fold, l.id LIMIT `+strconv.Itoa(MaxSuggestions), q, q)
	} else {
		grams := trigramsOf(q)
		if len(grams) == 0 {
			return nil, nil
		}
		quoted := make([]string, len(grams))
		for i, g := range grams {
			quoted[i] = `"` + g + `"`
		}
		b.w(`SELECT l.kind, l.id, l.slug, l.name_id, l.name_en, '', 0 FROM listings l
 WHERE l.status = 'published' AND l.search_rowid IN (
 SELECT rowid FROM listings_trigram WHERE listings_trigram MATCH ? ORDER BY rank LIMIT `+strconv.Itoa(suggestCandidates)+`)`,
			strings.Join(quoted, " OR "))
	}
	out, err := s.scanSuggestions(ctx, b)
	if err != nil || s.pg() {
		return out, err
	}
	kept := out[:0]
	for _, c := range out {
		c.fold = fold(c.Name.ID + " " + c.Name.EN)
		if c.sim = wordSimilarity(q, c.fold); c.sim >= similarityThreshold {
			kept = append(kept, c)
		}
	}
	out = kept
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.sim != b.sim {
			return a.sim > b.sim
		}
		if a.fold != b.fold {
			return a.fold < b.fold
		}
		return a.ID.String() < b.ID.String()
	})
	if len(out) > MaxSuggestions {
		out = out[:MaxSuggestions]
	}
	return out, nil
}

func (s store) scanSuggestions(ctx context.Context, b sqlBuf) ([]suggestion, error) {
	var out []suggestion
	err := s.eachRow(ctx, b, func() { out = out[:0] }, func(row rowScanner) error {
		var (
			c     suggestion
			k     string
			extra any
		)
		if err := row.Scan(&k, &c.ID, &c.Slug, &c.Name.ID, &c.Name.EN, &c.fold, &extra); err != nil {
			return fmt.Errorf("scan suggestion: %w", err)
		}
		c.Kind = kind.Kind(k)
		switch v := extra.(type) {
		case float64:
			c.sim = v
		case float32:
			c.sim = float64(v)
		case string:
			c.word = v
		case []byte:
			c.word = string(v)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	return out, nil
}

// similarityThreshold is pg_trgm.word_similarity_threshold's default, the
// cut-off of PostgreSQL's <% operator.
const similarityThreshold = 0.6

// trigramsOf lists the distinct trigrams of the words of folded q that
// have at least three letters, for the SQLite trigram table (which indexes
// raw substrings, so padded pg_trgm trigrams do not apply there).
func trigramsOf(q string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.Fields(q) {
		for i := 0; i+3 <= len(w); i++ {
			if g := w[i : i+3]; !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}

// pgTrigrams returns the trigrams of folded text the way pg_trgm makes
// them: each word padded with two spaces in front and one behind, in order
// of appearance (repeats kept).
func pgTrigrams(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		p := "  " + w + " "
		for i := 0; i+3 <= len(p); i++ {
			out = append(out, p[i:i+3])
		}
	}
	return out
}

// wordSimilarity is pg_trgm's word_similarity(a, b): the greatest
// similarity between the trigram set of a and any contiguous run of the
// trigrams of b, where similarity is shared / (|a| + |run| - shared) over
// distinct trigrams. It follows iterate_word_similarity of pg_trgm so both
// databases rank typos alike.
func wordSimilarity(a, b string) float64 {
	set1 := map[string]bool{}
	for _, g := range pgTrigrams(a) {
		set1[g] = true
	}
	ulen1 := len(set1)
	trg2 := pgTrigrams(b)
	if ulen1 == 0 || len(trg2) == 0 {
		return 0
	}
	index := map[string]int{}
	idx := make([]int, len(trg2))
	var found []bool
	for i, g := range trg2 {
		j, ok := index[g]
		if !ok {
			j = len(found)
			index[g] = j
			found = append(found, set1[g])
		}
		idx[i] = j
	}
	calc := func(count, ulen2 int) float64 {
		return float64(count) / float64(ulen1+ulen2-count)
	}
	lastpos := make([]int, len(found))
	for i := range lastpos {
		lastpos[i] = -1
	}
	var (
		ulen2, count int
		lower        = -1
		best         float64
	)
	for i := range trg2 {
		t := idx[i]
		if lower >= 0 || found[t] {
			if lastpos[t] < 0 {
				ulen2++
				if found[t] {
					count++
				}
			}
			lastpos[t] = i
		}
		if !found[t] {
			continue
		}
		upper := i
		if lower == -1 {
			lower = i
			ulen2 = 1
		}
		cur := calc(count, ulen2)
		tmpCount, tmpUlen2, prevLower := count, ulen2, lower
		for tmpLower := lower; tmpLower <= upper; tmpLower++ {
			if v := calc(tmpCount, tmpUlen2); v > cur {
				cur, ulen2, lower, count = v, tmpUlen2, tmpLower, tmpCount
			}
			tt := idx[tmpLower]
			if lastpos[tt] == tmpLower {
				tmpUlen2--
				if found[tt] {
					tmpCount--
				}
			}
		}
		best = max(best, cur)
		for tmpLower := prevLower; tmpLower < lower; tmpLower++ {
			tt := idx[tmpLower]
			if lastpos[tt] == tmpLower {
				lastpos[tt] = -1
			}
		}
	}
	return float64(float32(best)) // pg_trgm computes in float4
}
