package main

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

const categoriesPath = "../../internal/catalog/demo/categories.json"

func newTestGenerator(t *testing.T, seed uint64, now time.Time) *Generator {
	t.Helper()
	cats, err := LoadCategories(categoriesPath)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGenerator(seed, now, cats)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func distanceM(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371000.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := (lat2-lat1)*math.Pi/180, (lng2-lng1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

func TestGeneratedListingsAreValid(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	g := newTestGenerator(t, 7, now)
	cats, _ := LoadCategories(categoriesPath)
	const perKind = 1500
	slugs := map[string]bool{}
	statuses := map[string]int{}
	overnight, within3km := 0, 0
	for n := 1; n <= perKind; n++ {
		for _, k := range Kinds {
			l := g.Listing(k, n)
			if l.ID.Version() != 7 {
				t.Fatalf("id %s is not a UUIDv7", l.ID)
			}
			if !slices.Contains(cats[k], l.Category) {
				t.Fatalf("%s category %q is not a %s code", l.Slug, l.Category, k)
			}
			key := k + "/" + l.Slug
			if slugs[key] {
				t.Fatalf("duplicate slug %s", key)
			}
			slugs[key] = true
			if l.Slug != slugify(l.NameID) || l.NameEN == "" || l.DescID == "" || l.DescEN == "" {
				t.Fatalf("incomplete names or slug: %+v", l)
			}
			d := distanceM(centreLat, centreLng, l.Lat, l.Lng)
			if d > spreadM+10 {
				t.Fatalf("%s is %.0f m from the centre", l.Slug, d)
			}
			if d < 3000 {
				within3km++
			}
			if n := len(l.Tags); n < 2 || n > 5 {
				t.Fatalf("%s has %d tags", l.Slug, n)
			}
			switch {
			case l.RatingCount == 0:
				if l.RatingSum != 0 || l.RatingAvg != 0 {
					t.Fatalf("%s: no reviews but sum %d avg %v", l.Slug, l.RatingSum, l.RatingAvg)
				}
			default:
				c := int64(l.RatingCount)
				if l.RatingSum < c || l.RatingSum > 5*c || math.Abs(l.RatingAvg-float64(l.RatingSum)/float64(c)) > 1e-9 {
					t.Fatalf("%s: inconsistent rating sum %d count %d avg %v", l.Slug, l.RatingSum, c, l.RatingAvg)
				}
			}
			for _, s := range l.Spans {
				if s.Day < 0 || s.Day > 6 || s.OpenMin < 0 || s.OpenMin >= s.CloseMin || s.CloseMin > 1440 {
					t.Fatalf("%s: bad span %+v", l.Slug, s)
				}
			}
			if len(l.Spans) > len(l.Hours) {
				overnight++
			}
			if k == "event" {
				if l.StartsAt == nil || l.EndsAt == nil || !l.EndsAt.After(*l.StartsAt) {
					t.Fatalf("%s: bad event span", l.Slug)
				}
				if l.StartsAt.Before(now) || l.StartsAt.After(now.AddDate(1, 0, 2)) {
					t.Fatalf("%s starts %s, outside the next twelve months", l.Slug, l.StartsAt)
				}
			} else if l.StartsAt != nil {
				t.Fatalf("%s: a %s with starts_at", l.Slug, k)
			}
			if (k == "culinary") != (l.PriceRange != nil && l.Halal != nil) {
				t.Fatalf("%s: price range/halal set on the wrong kind", l.Slug)
			}
			if l.UpdatedAt.Before(l.CreatedAt) || l.CreatedAt.After(now) {
				t.Fatalf("%s: created %s updated %s", l.Slug, l.CreatedAt, l.UpdatedAt)
			}
			if (l.Status == "draft") != (l.PublishedAt == nil) {
				t.Fatalf("%s: status %s with published_at %v", l.Slug, l.Status, l.PublishedAt)
			}
			statuses[l.Status]++
		}
	}
	total := perKind * len(Kinds)
	if pub := statuses["published"]; pub < total*85/100 || statuses["draft"] == 0 {
		t.Errorf("statuses %v: want mostly published and some drafts", statuses)
	}
	if overnight == 0 {
		t.Error("no opening hours past midnight")
	}
	// Denser centre: far more than the 4 % a uniform 15 km disc would put
	// within 3 km.
	if within3km < total/3 {
		t.Errorf("only %d of %d listings within 3 km of the centre", within3km, total)
	}
}

func TestSameSeedSameContent(t *testing.T) {
	t.Parallel()
	a := newTestGenerator(t, 42, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b := newTestGenerator(t, 42, time.Date(2026, 1, 1, 0, 0, 5, 0, time.UTC))
	c := newTestGenerator(t, 43, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	differs := false
	for n := 1; n <= 200; n++ {
		for _, k := range Kinds {
			la, lb, lc := a.Listing(k, n), b.Listing(k, n), c.Listing(k, n)
			if la.NameID != lb.NameID || la.HoursJSON != lb.HoursJSON || la.Lat != lb.Lat || la.Status != lb.Status || la.TagsJSON != lb.TagsJSON {
				t.Fatalf("seed 42 gave different listings: %q vs %q", la.NameID, lb.NameID)
			}
			if la.ID == lb.ID {
				t.Fatal("ids repeat across generators")
			}
			if la.NameID != lc.NameID {
				differs = true
			}
		}
	}
	if !differs {
		t.Error("seeds 42 and 43 gave the same names")
	}
}

func TestSpans(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		hours []Hours
		want  []Span
	}{
		{"day", []Hours{{1, "08:00", "16:00"}}, []Span{{1, 480, 960}}},
		{"past midnight", []Hours{{6, "18:00", "02:00"}}, []Span{{6, 1080, 1440}, {0, 0, 120}}},
		{"until midnight", []Hours{{2, "17:00", "00:00"}}, []Span{{2, 1020, 1440}}},
		{"all day", []Hours{{3, "00:00", "24:00"}}, []Span{{3, 0, 1440}}},
		{"none", nil, nil},
	}
	for _, c := range cases {
		if got := Spans(c.hours); !slices.Equal(got, c.want) {
			t.Errorf("%s: Spans(%v) = %v, want %v", c.name, c.hours, got, c.want)
		}
	}
}

func TestSlugifyAndNameWords(t *testing.T) {
	t.Parallel()
	if got := slugify("Warung Soto Pak Budi 1234"); got != "warung-soto-pak-budi-1234" {
		t.Errorf("slugify = %q", got)
	}
	if got := slugify("  Alun-alun  Kidul!! "); got != "alun-alun-kidul" {
		t.Errorf("slugify = %q", got)
	}
	got := NameWords("Pak Budi's Soto Soup Stall 1234 Mie")
	want := []string{"Pak", "Budi", "Soto", "Soup", "Stall", "Mie"}
	if !slices.Equal(got, want) {
		t.Errorf("NameWords = %v, want %v", got, want)
	}
	if w := NameWords("Alun-alun 12"); !slices.Equal(w, []string{"Alun", "alun"}) {
		t.Errorf("NameWords = %v", w)
	}
}

func TestOffsetMovesByMetres(t *testing.T) {
	t.Parallel()
	lat, lng := Offset(centreLat, centreLng, 3000, 4000)
	if d := distanceM(centreLat, centreLng, lat, lng); math.Abs(d-5000) > 15 {
		t.Errorf("moved %.1f m, want 5000", d)
	}
}

func TestLoadCategoriesRejectsMissingKinds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := dir + "/c.json"
	if err := writeFile(p, `{"attractions": [{"code": "museum"}]}`); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCategories(p); err == nil || !strings.Contains(err.Error(), "culinary") {
		t.Errorf("err = %v, want a complaint about culinary", err)
	}
}
