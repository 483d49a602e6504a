package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

// Workload is one fixed request mix: Next draws the next request path (with
// query) from the data set.
type Workload struct {
	ID        string
	Title     string
	Shape     string // the request with its random parts named, for the report
	Random    string // how the random parts are drawn
	TargetRPS float64
	// TargetOf names a workload of the same run whose rate is this one's
	// target (TargetRPS is then filled in after the run).
	TargetOf string
	Next     func(r *rand.Rand) string
	// Token, when set, draws the bearer token of each request (a workload
	// that acts as many users); otherwise the runner's token is sent.
	Token func(r *rand.Rand) string
}

// TargetP99MS is the latency target every workload shares.
const TargetP99MS = 50

// nearRadiusM is how far from the centre W3's points are drawn.
const nearRadiusM = 5000

// Workloads builds W1–W5 over a data set. All five must be buildable: a
// missing piece of the data set is an error, not a silently skipped test.
func Workloads(fx *fixture.Set) ([]Workload, error) {
	cats := fx.Categories["attraction"]
	slugs := fx.Slugs["attraction"]
	words := fx.NameWords["attraction"]
	var prefixWords []string
	seen := map[string]bool{}
	for _, k := range []string{"attraction", "culinary", "event"} {
		for _, w := range fx.NameWords[k] {
			if utf8.RuneCountInString(w) >= 3 && !seen[w] {
				seen[w] = true
				prefixWords = append(prefixWords, w)
			}
		}
	}
	switch {
	case len(cats) == 0:
		return nil, fmt.Errorf("data set has no attraction categories")
	case len(slugs) == 0:
		return nil, fmt.Errorf("data set has no published attraction slugs")
	case len(words) == 0 || len(prefixWords) == 0:
		return nil, fmt.Errorf("data set has no name words")
	}
	centre := fx.Centre
	return append([]Workload{
		{
			ID: "W1", Title: "List by category, sorted by rating", TargetRPS: 4000,
			Shape:  "GET /api/v1/attractions?category={category}&sort=rating&limit=20",
			Random: fmt.Sprintf("category: one of the %d attraction category codes", len(cats)),
			Next: func(r *rand.Rand) string {
				return "/api/v1/attractions?category=" + url.QueryEscape(pick(r, cats)) + "&sort=rating&limit=20"
			},
		},
		{
			ID: "W2", Title: "Detail by slug", TargetRPS: 10000,
			Shape:  "GET /api/v1/attractions/{slug}",
			Random: fmt.Sprintf("slug: one of %d published attraction slugs (all of them, or a uniform sample of large data sets)", len(slugs)),
			Next: func(r *rand.Rand) string {
				return "/api/v1/attractions/" + url.PathEscape(pick(r, slugs))
			},
		},
		{
			ID: "W3", Title: "Nearby within 3 km, sorted by distance", TargetRPS: 4000,
			Shape:  "GET /api/v1/culinary?near={lat},{lng}&radius_m=3000&sort=distance&limit=20",
			Random: fmt.Sprintf("near: a point uniformly distributed within %d km of the centre (%.4f, %.4f)", nearRadiusM/1000, centre.Lat, centre.Lng),
			Next: func(r *rand.Rand) string {
				lat, lng := randomPoint(r, centre, nearRadiusM)
				return fmt.Sprintf("/api/v1/culinary?near=%.5f,%.5f&radius_m=3000&sort=distance&limit=20", lat, lng)
			},
		},
		{
			ID: "W4", Title: "Text search", TargetRPS: 2000,
			Shape:  "GET /api/v1/attractions?q={word}&limit=20",
			Random: fmt.Sprintf("word: one of the %d distinct words of generated attraction names (Indonesian and English)", len(words)),
			Next: func(r *rand.Rand) string {
				return "/api/v1/attractions?q=" + url.QueryEscape(pick(r, words)) + "&limit=20"
			},
		},
		{
			ID: "W5", Title: "Suggest (prefix completion)", TargetRPS: 2000,
			Shape:  "GET /api/v1/search/suggest?q={prefix}",
			Random: fmt.Sprintf("prefix: the first 3–6 letters of one of the %d distinct words of generated names (all kinds), lower-cased", len(prefixWords)),
			Next: func(r *rand.Rand) string {
				return "/api/v1/search/suggest?q=" + url.QueryEscape(Prefix(r, pick(r, prefixWords)))
			},
		},
	}, transportWorkloads(fx.Transport)...), nil
}

// transportWorkloads are the transport reads, when the data set has a
// transport network; their target is W1's rate in the same run.
func transportWorkloads(t *fixture.Transport) []Workload {
	if t == nil || len(t.RouteIDs) == 0 || t.Days < 1 {
		return nil
	}
	first, err := time.Parse(time.DateOnly, t.FirstDay)
	if err != nil {
		return nil
	}
	routes := t.RouteIDs
	box := t.Box
	return []Workload{
		{
			ID: "T1", Title: "Trips of a route on a day", TargetOf: "W1",
			Shape:  "GET /api/v1/transport/trips?route_id={route}&date={date}",
			Random: fmt.Sprintf("route: one of the %d routes; date: one of the %d days of the season from %s", len(routes), t.Days, t.FirstDay),
			Next: func(r *rand.Rand) string {
				return "/api/v1/transport/trips?route_id=" + pick(r, routes) + "&date=" + first.AddDate(0, 0, r.IntN(t.Days)).Format(time.DateOnly)
			},
		},
		{
			ID: "T2", Title: "Stops near a point", TargetOf: "W1",
			Shape: "GET /api/v1/transport/stops?near={lat},{lng}",
			Random: fmt.Sprintf("near: a point uniformly distributed over the stops' bounding box (lat %.3f…%.3f, lng %.3f…%.3f); the API's default radius of 2 km",
				box.MinLat, box.MaxLat, box.MinLng, box.MaxLng),
			Next: func(r *rand.Rand) string {
				lat := box.MinLat + r.Float64()*(box.MaxLat-box.MinLat)
				lng := box.MinLng + r.Float64()*(box.MaxLng-box.MinLng)
				return fmt.Sprintf("/api/v1/transport/stops?near=%.5f,%.5f", lat, lng)
			},
		},
	}
}

// Select keeps the workloads whose ids are listed (comma-separated); empty
// keeps all.
func Select(all []Workload, ids string) ([]Workload, error) {
	if strings.TrimSpace(ids) == "" {
		return all, nil
	}
	var out []Workload
	for _, id := range strings.Split(ids, ",") {
		id = strings.ToUpper(strings.TrimSpace(id))
		found := false
		for _, w := range all {
			if w.ID == id {
				out = append(out, w)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown workload %q", id)
		}
	}
	return out, nil
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// Prefix returns the lower-cased first 3–6 letters of word (fewer only when
// the word is shorter).
func Prefix(r *rand.Rand, word string) string {
	runes := []rune(strings.ToLower(word))
	n := 3 + r.IntN(4)
	return string(runes[:min(n, len(runes))])
}

// randomPoint is uniform over the disc of radius m metres around c.
func randomPoint(r *rand.Rand, c fixture.Point, m float64) (float64, float64) {
	const mPerDeg = 111320.0
	d := m * math.Sqrt(r.Float64())
	theta := r.Float64() * 2 * math.Pi
	lat := c.Lat + d*math.Cos(theta)/mPerDeg
	lng := c.Lng + d*math.Sin(theta)/(mPerDeg*math.Cos(c.Lat*math.Pi/180))
	return lat, lng
}

// TargetTaxRPS is the floor for the tax reads on the database path.
const TargetTaxRPS = 2000

// TaxWorkloads are the tax reads, when the data set has tax data and the
// citizens' tokens could be signed; their target is the floor of
// 2 000 req/s (the report also sets them against W1 of the same run).
// tokens[i] is CitizenIDs[i]'s access token.
func TaxWorkloads(t *fixture.Tax, tokens []string) []Workload {
	if t == nil || len(t.CitizenIDs) == 0 || len(tokens) != len(t.CitizenIDs) || len(t.NOPs) == 0 || len(t.Years) == 0 {
		return nil
	}
	token := func(r *rand.Rand) string { return pick(r, tokens) }
	return []Workload{
		{
			ID: "X1", Title: "A citizen's tax bills", TargetRPS: TargetTaxRPS,
			Shape:  "GET /api/v1/me/tax-bills (as {citizen})",
			Random: fmt.Sprintf("citizen: one of the %d accounts with a verified profile (%d tax objects, %d bills in all, half of the objects theirs)", len(tokens), t.Objects, t.Bills),
			Next:   func(*rand.Rand) string { return "/api/v1/me/tax-bills" },
			Token:  token,
		},
		{
			ID: "X2", Title: "Bills by NOP and year", TargetRPS: TargetTaxRPS,
			Shape:  "GET /api/v1/taxes/bills/lookup?nop={nop}&year={year}",
			Random: fmt.Sprintf("nop: one of the %d tax objects' NOPs; year: one of %v; signed in as a random citizen", len(t.NOPs), t.Years),
			Next: func(r *rand.Rand) string {
				return "/api/v1/taxes/bills/lookup?nop=" + pick(r, t.NOPs) + "&year=" + strconv.Itoa(t.Years[r.IntN(len(t.Years))])
			},
			Token: token,
		},
	}
}
