package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

// Surakarta's centre, used when the data set did not come from benchdata.
var defaultCentre = fixture.Point{Lat: -7.5666, Lng: 110.8167}

// Discover samples a data set through the public list API (up to pages pages
// of 100 per kind), for servers whose data was not made by benchdata.
func Discover(ctx context.Context, c *http.Client, base string, pages int) (*fixture.Set, error) {
	fx := &fixture.Set{
		Centre: defaultCentre, Categories: map[string][]string{},
		Slugs: map[string][]string{}, NameWords: map[string][]string{},
	}
	kinds := []struct{ singular, plural string }{{"attraction", "attractions"}, {"culinary", "culinary"}, {"event", "events"}}
	for _, k := range kinds {
		cursor := ""
		for range pages {
			q := url.Values{"limit": {"100"}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			var page struct {
				Data []struct {
					Slug     string `json:"slug"`
					Name     string `json:"name"`
					Category string `json:"category"`
				} `json:"data"`
				Meta struct {
					NextCursor *string `json:"next_cursor"`
				} `json:"meta"`
			}
			if err := getJSON(ctx, c, base+"/api/v1/"+k.plural+"?"+q.Encode(), &page); err != nil {
				return nil, err
			}
			for _, it := range page.Data {
				fx.Slugs[k.singular] = append(fx.Slugs[k.singular], it.Slug)
				if it.Category != "" && !slices.Contains(fx.Categories[k.singular], it.Category) {
					fx.Categories[k.singular] = append(fx.Categories[k.singular], it.Category)
				}
				for _, w := range words(it.Name) {
					if !slices.Contains(fx.NameWords[k.singular], w) {
						fx.NameWords[k.singular] = append(fx.NameWords[k.singular], w)
					}
				}
			}
			if page.Meta.NextCursor == nil || *page.Meta.NextCursor == "" {
				break
			}
			cursor = *page.Meta.NextCursor
		}
		fx.PerKind = max(fx.PerKind, len(fx.Slugs[k.singular]))
	}
	return fx, nil
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// words splits a name into letter-only words of three or more letters.
func words(name string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(f)) >= 3 {
			out = append(out, f)
		}
	}
	return out
}
