package catalog_test

import (
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/testdb"
)

// TestOpenWeekIsTheOpeningHours: within a radius, PostgreSQL checks
// open_now on listings.open_week, which the spatial indexes carry; the
// other paths probe listing_hours. Both must say the same at every minute
// of the week: spans past midnight (Saturday's into Sunday), to 24:00,
// overlapping ones, a minute wide, none; after an edit as after a create;
// for events too.
func TestOpenWeekIsTheOpeningHours(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("open_week is PostgreSQL's")
	}
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	span := func(day int, open, close string) map[string]any {
		return map[string]any{"day": day, "open": open, "close": close}
	}
	cases := [][]map[string]any{
		{},
		{span(1, "08:00", "16:00")},
		{span(6, "22:00", "02:00")},
		{span(3, "18:00", "00:00")},
		{span(0, "00:00", "24:00"), span(6, "00:00", "24:00")},
		{span(2, "09:00", "12:00"), span(2, "11:00", "15:30"), span(2, "19:00", "21:00"), span(4, "07:15", "07:16")},
		{span(5, "23:59", "00:01"), span(0, "10:00", "22:00"), span(1, "10:00", "22:00")},
	}
	var ids []string
	for i, hours := range cases {
		name := "Open Week " + string(rune('A'+i))
		a := create(t, api, staff, "attractions", body("attractions", name, set("opening_hours", hours)))
		e := create(t, api, staff, "events", body("events", name, set("opening_hours", hours)))
		ids = append(ids, a.ID, e.ID)
	}
	// An edit recomputes it: Tuesday's spans become Friday night's.
	api.Send(http.MethodPatch, "/api/v1/attractions/"+ids[10], map[string]any{
		"opening_hours": []map[string]any{span(5, "20:00", "03:00")},
	}, staff).Expect(http.StatusOK)

	// Both as sets of minutes of the week: the spans of listing_hours
	// joined into one multirange, which like open_week is normalised, so
	// equal values are equal sets.
	var got []struct{ Listing, Week, Hours string }
	err := api.DB.Raw(`SELECT l.kind || '/' || l.slug AS listing, l.open_week::text AS week,
  (SELECT COALESCE(range_agg(int4range(h.day * 1440 + h.open_min, h.day * 1440 + h.close_min)), '{}')
     FROM listing_hours h WHERE h.listing_id = l.id)::text AS hours
 FROM listings l WHERE l.id IN ?`, ids).Scan(&got).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("%d of %d listings read", len(got), len(ids))
	}
	for _, d := range got {
		if d.Week != d.Hours {
			t.Errorf("%s: open_week %s, listing_hours %s (minutes of the week from Sunday 00:00)", d.Listing, d.Week, d.Hours)
		}
	}
	// The cases are not trivially all closed or all open.
	var open int64
	if err := api.DB.Raw("SELECT count(*) FROM listings l CROSS JOIN generate_series(0, 7*1440 - 1) AS m(minute) WHERE l.id IN ? AND l.open_week @> m.minute", ids).Scan(&open).Error; err != nil {
		t.Fatal(err)
	}
	if open == 0 || open == int64(len(ids))*7*1440 {
		t.Fatalf("open listing-minutes: %d", open)
	}
}
