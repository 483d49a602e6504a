package catalog_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// Points of Surakarta used across tests.
var (
	keraton   = point{-7.5778, 110.8278}
	pasarGede = point{-7.5694, 110.8317}
	laweyan   = point{-7.5685, 110.7958}
)

type point struct{ Lat, Lng float64 }

func (p point) json() map[string]any { return map[string]any{"lat": p.Lat, "lng": p.Lng} }
func (p point) near() string         { return fmt.Sprintf("%v,%v", p.Lat, p.Lng) }

// body is a valid POST body of kind plural, adjusted by mods.
func body(plural, name string, mods ...func(map[string]any)) map[string]any {
	b := map[string]any{
		"name":        map[string]any{"id": name, "en": name + " (EN)"},
		"description": map[string]any{"id": "Deskripsi " + name, "en": "Description of " + name},
		"location":    keraton.json(),
		"status":      "published",
	}
	switch plural {
	case "attractions":
		b["category"] = "museum"
	case "culinary":
		b["category"] = "soup"
	case "events":
		b["category"] = "festival"
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
		b["starts_at"] = start.Format(time.RFC3339)
		b["ends_at"] = start.Add(3 * time.Hour).Format(time.RFC3339)
	}
	for _, m := range mods {
		m(b)
	}
	return b
}

func set(key string, v any) func(map[string]any) { return func(b map[string]any) { b[key] = v } }

// listing is the part of a listing response the tests read.
type listing struct {
	ID           string           `json:"id"`
	Type         string           `json:"type"`
	Slug         string           `json:"slug"`
	Name         any              `json:"name"`
	Description  any              `json:"description"`
	Category     string           `json:"category"`
	Tags         []string         `json:"tags"`
	Location     point2           `json:"location"`
	OpeningHours []map[string]any `json:"opening_hours"`
	OpenNow      bool             `json:"open_now"`
	Status       string           `json:"status"`
	Rating       struct {
		Average float64 `json:"average"`
		Count   int     `json:"count"`
	} `json:"rating"`
	DistanceM *float64 `json:"distance_m"`
	StartsAt  *string  `json:"starts_at"`
	Images    []any    `json:"images"`
}

type point2 struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

type page struct {
	Data []listing `json:"data"`
	Meta struct {
		Limit      int     `json:"limit"`
		NextCursor *string `json:"next_cursor"`
	} `json:"meta"`
}

// tourismStaff returns a logged-in tourism staff member.
func tourismStaff(api *apitest.API) apitest.Actor { return api.Staff(identity.DeptTourism) }

// create posts a listing and returns it.
func create(t testing.TB, api *apitest.API, as apitest.Actor, plural string, b map[string]any) listing {
	t.Helper()
	var l listing
	api.Send(http.MethodPost, "/api/v1/"+plural, b, as).Expect(http.StatusCreated).JSON(&l)
	return l
}

// list GETs a list page.
func list(t testing.TB, api *apitest.API, path string, params url.Values) page {
	t.Helper()
	var p page
	u := path
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	api.Get(u, apitest.Anonymous).Expect(http.StatusOK).JSON(&p)
	return p
}

func ids(p page) []string {
	out := make([]string, len(p.Data))
	for i, l := range p.Data {
		out[i] = l.ID
	}
	return out
}
