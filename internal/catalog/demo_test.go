package catalog_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/web"
)

// count walks a list to its end.
func count(t testing.TB, api *apitest.API, plural string) []listing {
	t.Helper()
	var out []listing
	v := q("limit", "100")
	for range 20 {
		p := list(t, api, "/api/v1/"+plural, v)
		out = append(out, p.Data...)
		if p.Meta.NextCursor == nil {
			return out
		}
		v.Set("cursor", *p.Meta.NextCursor)
	}
	t.Fatal("list did not end")
	return nil
}

func TestDemoContent(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	ctx := context.Background()
	if err := api.App.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()

	attractions, culinary, events := count(t, api, "attractions"), count(t, api, "culinary"), count(t, api, "events")
	if len(attractions) < 25 || len(culinary) < 20 || len(events) < 10 {
		t.Fatalf("demo content: %d attractions, %d culinary, %d events", len(attractions), len(culinary), len(events))
	}
	for _, e := range events {
		start, err := time.Parse(time.RFC3339, *e.StartsAt)
		if err != nil {
			t.Fatal(err)
		}
		if start.Before(now.Add(-time.Minute)) || start.After(now.AddDate(1, 0, 0)) {
			t.Errorf("%s starts %s, outside the coming twelve months", e.Slug, start)
		}
	}

	// Opening hours at fixed times, through a service on the same database
	// with its own clock.
	at := func(day time.Weekday, hhmm string) time.Time {
		local := now.In(catalog.Jakarta)
		d := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, catalog.Jakarta)
		for d.Weekday() != day {
			d = d.AddDate(0, 0, 1)
		}
		clock, _ := time.Parse("15:04", hhmm)
		return d.Add(time.Duration(clock.Hour())*time.Hour + time.Duration(clock.Minute())*time.Minute)
	}
	svcAt := func(t0 time.Time) *catalog.Service {
		svc, err := catalog.NewService(api.DB.DB, catalog.Options{Now: func() time.Time { return t0 }})
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	const keraton = "keraton-kasunanan-surakarta-hadiningrat"
	for _, tc := range []struct {
		when time.Time
		want bool
	}{{at(time.Friday, "10:00"), false}, {at(time.Thursday, "10:00"), true}, {at(time.Sunday, "14:30"), true}, {at(time.Monday, "20:00"), false}} {
		l, err := svcAt(tc.when).Get(ctx, identity.Actor{}, kind.Attraction, keraton)
		if err != nil {
			t.Fatal(err)
		}
		if l.OpenNow != tc.want {
			t.Errorf("Keraton at %s: open_now %v, want %v", tc.when.Format("Mon 15:04"), l.OpenNow, tc.want)
		}
	}

	// A night culinary spot is open at 00:30, also through the open_now filter.
	var night listing
	for _, c := range culinary {
		for _, h := range c.OpeningHours {
			if h["close"].(string) < h["open"].(string) && h["day"].(float64) == 5 { // Friday night into Saturday
				night = c
			}
		}
	}
	if night.ID == "" {
		t.Fatal("no culinary spot open past midnight on Friday")
	}
	saturday := at(time.Saturday, "00:30")
	l, err := svcAt(saturday).Get(ctx, identity.Actor{}, kind.Culinary, night.Slug)
	if err != nil || !l.OpenNow {
		t.Errorf("%s on Saturday 00:30: open_now %v (%v)", night.Slug, l.OpenNow, err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/culinary", web.Handle(catalog.List(svcAt(saturday), web.NewPager([]byte("k")), kind.Culinary)))
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/culinary?open_now=true&limit=100", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"id":"`+night.ID+`"`) {
		t.Errorf("open_now=true on Saturday 00:30 lacks %s: %d %s", night.Slug, rec.Code, rec.Body)
	}
	for _, c := range culinary {
		if c.Slug == "soto-gading" && strings.Contains(rec.Body.String(), c.ID) {
			t.Error("a breakfast place is open at 00:30")
		}
	}

	// Suggestions forgive typos.
	h := search(t, api, "/api/v1/search/suggest", q("q", "serabi notosman"))
	found := false
	for _, x := range h.Data {
		found = found || x.Slug == "serabi-notosuman"
	}
	if !found {
		t.Errorf("serabi notosman: %+v", h.Data)
	}

	// Seeding again changes nothing.
	if err := api.App.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	if again := count(t, api, "attractions"); len(again) != len(attractions) {
		t.Errorf("seeding again changed the attractions from %d to %d", len(attractions), len(again))
	}
}
