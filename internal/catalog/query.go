package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// Sort is the order of a list.
type Sort string

const (
	SortRelevance Sort = "relevance" // with q: name matches first, then other matches; best rated first within each
	SortDistance  Sort = "distance"  // with near: nearest first
	SortRating    Sort = "rating"    // best rated first, then newest
	SortName      Sort = "name"      // by name in the response language
	SortNewest    Sort = "newest"    // most recently created first
	SortStartsAt  Sort = "starts_at" // events: soonest start first
)

// statusFilter is which statuses a list shows; only staff choose.
type statusFilter string

const statusAll statusFilter = "all"

// listQuery is a parsed GET /{kind} request.
type listQuery struct {
	Kind      kind.Kind
	Status    statusFilter // published for the public
	Tokens    []string     // folded words of q
	Category  string
	Tags      []string
	Near      *Location
	RadiusM   float64
	OpenNow   bool
	MinRating *float64
	From, To  *time.Time // events: spans overlapping [From, To]
	Sort      Sort
	Lang      Lang
	Limit     int
	After     *position // keyset: the last item of the previous page
	// staffView is set when the caller asked for non-public statuses, so
	// the response must not be cached by shared caches.
	staffView bool
	// startFloor is the earliest start of an event overlapping From, or
	// nil (see store.startFloor).
	startFloor *time.Time
	// facets is set when the words are read through the facets index
	// (see store.withFacets).
	facets *facetPlan
	// collected keeps the collect of one relevance tier for the next.
	collected *collectMemo
	// openWeek checks open_now on l.open_week (see openWeekSQL).
	openWeek bool
}

// position is where a page ended, in the sort keys of its last item. Tier
// is the relevance tier; Num holds rating, distance or tier-internal
// rating; Str a name key; Time a start time; ID breaks ties.
type position struct {
	Tier int        `json:"r,omitempty"`
	Num  *float64   `json:"n,omitempty"`
	Str  *string    `json:"s,omitempty"`
	Time *time.Time `json:"t,omitempty"`
	ID   uuid.UUID  `json:"i"`
}

// fingerprint hashes every parameter that decides which items a page holds
// and in which order (the language too, when it decides the order).
func (q listQuery) fingerprint() string {
	b := make([]byte, 0, 128)
	b = append(b, "kind="...)
	b = append(b, q.Kind...)
	b = append(b, "|status="...)
	b = append(b, q.Status...)
	b = append(b, "|q="...)
	b = append(b, strings.Join(q.Tokens, " ")...)
	b = append(b, "|cat="...)
	b = append(b, q.Category...)
	b = append(b, "|tags="...)
	b = append(b, strings.Join(q.Tags, ",")...)
	b = append(b, "|open="...)
	b = strconv.AppendBool(b, q.OpenNow)
	b = append(b, "|sort="...)
	b = append(b, q.Sort...)
	if q.Near != nil {
		b = append(b, "|near="...)
		b = strconv.AppendFloat(b, q.Near.Lat, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, q.Near.Lng, 'g', -1, 64)
		b = append(b, "|r="...)
		b = strconv.AppendFloat(b, q.RadiusM, 'g', -1, 64)
	}
	if q.MinRating != nil {
		b = append(b, "|min="...)
		b = strconv.AppendFloat(b, *q.MinRating, 'g', -1, 64)
	}
	if q.From != nil {
		b = append(b, "|from="...)
		b = strconv.AppendInt(b, q.From.Unix(), 10)
	}
	if q.To != nil {
		b = append(b, "|to="...)
		b = strconv.AppendInt(b, q.To.Unix(), 10)
	}
	if q.Sort == SortName {
		b = append(b, "|lang="...)
		b = append(b, q.Lang...)
	}
	return cursor.Fingerprint(string(b))
}

// parseListQuery reads the query string of GET /{kind}. Unknown enum
// values and malformed numbers are 400s.
// The page (limit and cursor) is read last, once the fingerprint is known.
func parseListQuery(c *gin.Context, k kind.Kind, who identity.Actor, pg web.Pager) (listQuery, web.Page[position], error) {
	q, err := parseListFilters(c, k, who)
	if err != nil {
		return q, web.Page[position]{}, err
	}
	page, err := web.ReadPage[position](c, pg, q.fingerprint())
	q.Limit, q.After = page.Limit, page.After
	return q, page, err
}

func parseListFilters(c *gin.Context, k kind.Kind, who identity.Actor) (listQuery, error) {
	q := listQuery{Kind: k, Status: statusFilter(Published), Lang: web.RequestLang(c)}
	var err error
	if raw, ok := c.GetQuery("status"); ok {
		if q.Status, err = parseStatusFilter(raw, who); err != nil {
			return q, err
		}
		q.staffView = q.Status != statusFilter(Published)
	}
	if raw, ok := c.GetQuery("q"); ok {
		if q.Tokens, err = parseSearchText(raw); err != nil {
			return q, err
		}
	}
	q.Category = strings.TrimSpace(c.Query("category"))
	for _, t := range c.QueryArray("tag") {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			q.Tags = append(q.Tags, t)
		}
	}
	if len(q.Tags) > maxTags {
		return q, apperr.BadRequest(fmt.Sprintf("Give at most %d tag filters.", maxTags))
	}
	if q.Near, q.RadiusM, err = parseNearRadius(c); err != nil {
		return q, err
	}
	if raw, ok := c.GetQuery("open_now"); ok {
		switch raw {
		case "true", "1":
			q.OpenNow = true
		case "false", "0", "":
		default:
			return q, apperr.BadRequest("open_now must be true or false.")
		}
	}
	if f, ok, err := web.QueryFloat(c, "min_rating", 0, 5); err != nil {
		return q, err
	} else if ok {
		q.MinRating = &f
	}
	if err := parseEventWindow(c, &q); err != nil {
		return q, err
	}
	q.Sort, err = parseSort(c.Query("sort"), q)
	return q, err
}

// parseStatusFilter: published is open to all; anything else is for
// tourism staff and admins.
func parseStatusFilter(raw string, who identity.Actor) (statusFilter, error) {
	s := statusFilter(raw)
	switch {
	case s == statusAll || Status(s).Valid():
	default:
		return "", apperr.BadRequest("status must be draft, published, archived or all.")
	}
	if s != statusFilter(Published) && !canManage(who) {
		return "", apperr.Denied("Only tourism staff may list listings that are not published.")
	}
	return s, nil
}

// parseSearchText folds q into search words; blank or wordless q is a 400.
func parseSearchText(raw string) ([]string, error) {
	if utf8.RuneCountInString(raw) > maxQueryLen {
		return nil, apperr.BadRequest(fmt.Sprintf("q must be at most %d characters.", maxQueryLen))
	}
	toks := tokens(raw)
	if len(toks) == 0 {
		return nil, apperr.BadRequest("q must contain at least one letter or digit.")
	}
	return toks, nil
}

// parseNearRadius reads near=lat,lng and radius_m (metres, default 5000).
func parseNearRadius(c *gin.Context) (*Location, float64, error) {
	rawNear, hasNear := c.GetQuery("near")
	rawRadius, hasRadius := c.GetQuery("radius_m")
	if !hasNear {
		if hasRadius {
			return nil, 0, apperr.BadRequest("radius_m needs near=lat,lng.")
		}
		return nil, 0, nil
	}
	p, ok := parseNear(rawNear)
	if !ok {
		return nil, 0, apperr.BadRequest("near must be two numbers lat,lng with lat in -90..90 and lng in -180..180, e.g. near=-7.5755,110.8243.")
	}
	r := float64(DefaultRadiusM)
	if hasRadius {
		f, err := web.ParseFinite(rawRadius)
		if err != nil || !(f > 0 && f <= MaxRadiusM) {
			return nil, 0, apperr.BadRequest(fmt.Sprintf("radius_m must be a number of metres above 0 and at most %d.", MaxRadiusM))
		}
		r = f
	}
	return &p, r, nil
}

// parseEventWindow reads from/to (RFC 3339 or YYYY-MM-DD in Asia/Jakarta;
// a date as "to" includes that whole day). Only events have them.
func parseEventWindow(c *gin.Context, q *listQuery) error {
	for _, f := range []struct {
		name string
		dst  **time.Time
		end  bool
	}{{"from", &q.From, false}, {"to", &q.To, true}} {
		raw, ok := c.GetQuery(f.name)
		if !ok {
			continue
		}
		if q.Kind != kind.Event {
			return apperr.BadRequest(f.name + " only applies to events.")
		}
		t, err := parseTimeOrDate(raw, f.end)
		if err != nil {
			return apperr.BadRequest(f.name + " must be an RFC 3339 time or a date YYYY-MM-DD.")
		}
		*f.dst = &t
	}
	if q.From != nil && q.To != nil && q.To.Before(*q.From) {
		return apperr.BadRequest("to must not be before from.")
	}
	return nil
}

func parseTimeOrDate(s string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Truncate(time.Second), nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, Jakarta)
	if err != nil {
		return time.Time{}, err
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1).Add(-time.Second)
	}
	return d.UTC(), nil
}

// parseSort checks sort against the query: relevance needs q, distance
// needs near, starts_at is for events. Without sort: relevance with q,
// distance with near, starts_at for events, else rating.
func parseSort(raw string, q listQuery) (Sort, error) {
	s := Sort(raw)
	switch s {
	case "":
		switch {
		case len(q.Tokens) > 0:
			return SortRelevance, nil
		case q.Near != nil:
			return SortDistance, nil
		case q.Kind == kind.Event:
			return SortStartsAt, nil
		default:
			return SortRating, nil
		}
	case SortRelevance:
		if len(q.Tokens) == 0 {
			return "", apperr.BadRequest("sort=relevance needs q.")
		}
	case SortDistance:
		if q.Near == nil {
			return "", apperr.BadRequest("sort=distance needs near=lat,lng.")
		}
	case SortStartsAt:
		if q.Kind != kind.Event {
			return "", apperr.BadRequest("sort=starts_at only applies to events.")
		}
	case SortRating, SortName, SortNewest:
	default:
		return "", apperr.BadRequest("sort must be relevance, distance, rating, name, newest or (events) starts_at.")
	}
	return s, nil
}
