package catalog_test

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/platform/testdb"
)

// haversine is the test's own great-circle distance (mean Earth radius).
func haversine(a, b point) float64 {
	const r, rad = 6371008.8, math.Pi / 180
	dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

func setRating(t testing.TB, api *apitest.API, id string, avg float64, count int) {
	t.Helper()
	if err := api.DB.Exec("UPDATE listings SET rating_avg = ?, rating_count = ?, rating_sum = ? WHERE id = ?",
		avg, count, int64(avg*float64(count)), id).Error; err != nil {
		t.Fatal(err)
	}
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// hoursSpan is an opening-hours entry from start to end (Jakarta), written
// the way clients do: an end on the next day makes close earlier than open.
func hoursSpan(start, end time.Time) map[string]any {
	s, e := start.In(catalog.Jakarta), end.In(catalog.Jakarta)
	return map[string]any{"day": int(s.Weekday()), "open": s.Format("15:04"), "close": e.Format("15:04")}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	now := time.Now()
	a := create(t, api, staff, "attractions", body("attractions", "Keraton Surakarta",
		set("category", "heritage_palace"), set("tags", []string{"royal", "heritage"}),
		set("location", keraton.json()), set("opening_hours", []any{hoursSpan(now.Add(-time.Hour), now.Add(time.Hour))})))
	b := create(t, api, staff, "attractions", body("attractions", "Pasar Gede Hardjonagoro",
		set("category", "market"), set("tags", []string{"market", "heritage"}),
		set("location", pasarGede.json()), set("opening_hours", []any{hoursSpan(now.Add(2*time.Hour), now.Add(3*time.Hour))})))
	c := create(t, api, staff, "attractions", body("attractions", "Kampung Batik Laweyan",
		set("category", "batik_village"), set("tags", []string{"batik"}),
		set("location", laweyan.json()), set("opening_hours", []any{hoursSpan(now.Add(-20*time.Hour), now.Add(time.Hour))})))
	// Fixed 23:00–05:00 overnight span: open now only in that window.
	local := now.In(catalog.Jakarta)
	night := time.Date(local.Year(), local.Month(), local.Day(), 23, 0, 0, 0, catalog.Jakarta)
	if local.Hour() < 5 {
		night = night.AddDate(0, 0, -1)
	}
	d := create(t, api, staff, "attractions", body("attractions", "Wedangan Malam",
		set("category", "market"), set("location", keraton.json()),
		set("opening_hours", []any{hoursSpan(night, night.Add(6*time.Hour))})))
	dOpen := local.Hour() >= 23 || local.Hour() < 5
	setRating(t, api, a.ID, 4.8, 10)
	setRating(t, api, b.ID, 4.2, 10)
	setRating(t, api, c.ID, 3.9, 10)

	path := "/api/v1/attractions"
	sorted := func(s []string) []string { slices.Sort(s); return s }
	same := func(name string, p page, want ...string) {
		t.Helper()
		if got := sorted(ids(p)); strings.Join(got, ",") != strings.Join(sorted(want), ",") {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	same("category", list(t, api, path, q("category", "market")), b.ID, d.ID)
	same("tag", list(t, api, path, q("tag", "heritage")), a.ID, b.ID)
	same("two tags", list(t, api, path, q("tag", "heritage", "tag", "royal")), a.ID)
	same("min_rating", list(t, api, path, q("min_rating", "4")), a.ID, b.ID)
	same("q", list(t, api, path, q("q", "pasar")), b.ID)
	same("q prefix, accents", list(t, api, path, q("q", "HARDJÓ")), b.ID)
	same("q two words", list(t, api, path, q("q", "kampung laweyan")), c.ID)
	same("q without match", list(t, api, path, q("q", "zzzz")))
	openWant := []string{a.ID, c.ID}
	if dOpen {
		openWant = append(openWant, d.ID)
	}
	same("open_now", list(t, api, path, q("open_now", "true")), openWant...)
	same("open_now=false is no filter", list(t, api, path, q("open_now", "false")), a.ID, b.ID, c.ID, d.ID)
	for _, l := range list(t, api, path, nil).Data {
		if want := slices.Contains(openWant, l.ID); l.OpenNow != want {
			t.Errorf("%s: open_now %v, want %v", l.Slug, l.OpenNow, want)
		}
	}

	// near: distances are great-circle metres, radius cuts.
	p := list(t, api, path, q("near", keraton.near(), "radius_m", "50000"))
	want := map[string]float64{a.ID: 0, b.ID: haversine(keraton, pasarGede), c.ID: haversine(keraton, laweyan), d.ID: 0}
	if len(p.Data) != 4 {
		t.Fatalf("near: %d items", len(p.Data))
	}
	for i, l := range p.Data {
		if l.DistanceM == nil {
			t.Fatalf("%s: no distance_m", l.Slug)
		}
		if math.Abs(*l.DistanceM-want[l.ID]) > 0.5 {
			t.Errorf("%s: distance_m %v, want %v", l.Slug, *l.DistanceM, want[l.ID])
		}
		if i > 0 && *l.DistanceM < *p.Data[i-1].DistanceM {
			t.Errorf("near without sort is not nearest first: %v", ids(p))
		}
	}
	if g := want[b.ID]; g < 1000 || g > 1400 {
		t.Errorf("Keraton to Pasar Gede is %v m, want about 1.2 km", g)
	}
	same("radius 1000", list(t, api, path, q("near", keraton.near(), "radius_m", "1000")), a.ID, d.ID)
	same("radius 1500", list(t, api, path, q("near", keraton.near(), "radius_m", "1500")), a.ID, b.ID, d.ID)
	same("default radius 5000", list(t, api, path, q("near", keraton.near())), a.ID, b.ID, c.ID, d.ID)
	same("radius and category", list(t, api, path, q("near", pasarGede.near(), "radius_m", "500", "category", "market")), b.ID)
	if p := list(t, api, path, nil); p.Data[0].DistanceM != nil {
		t.Error("distance_m without near")
	}
}

func TestEventWindow(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	now := time.Now().UTC().Truncate(time.Hour)
	ev := func(name string, start, end time.Time) listing {
		return create(t, api, staff, "events", body("events", name,
			set("starts_at", start.Format(time.RFC3339)), set("ends_at", end.Format(time.RFC3339))))
	}
	soon := ev("Konser Keroncong", now.Add(48*time.Hour), now.Add(51*time.Hour))
	later := ev("Sekaten", now.Add(10*24*time.Hour), now.Add(12*24*time.Hour))
	past := ev("Grebeg Sudiro", now.Add(-5*24*time.Hour), now.Add(-4*24*time.Hour))
	running := ev("Pameran Batik", now.Add(-time.Hour), now.Add(2*time.Hour))

	path := "/api/v1/events"
	p := list(t, api, path, nil)
	if got, want := ids(p), []string{past.ID, running.ID, soon.ID, later.ID}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("default order is not soonest start first: %v, want %v", got, want)
	}
	rfc := func(t time.Time) string { return t.Format(time.RFC3339) }
	day := func(t time.Time) string { return t.In(catalog.Jakarta).Format(time.DateOnly) }
	check := func(name string, v url.Values, want ...string) {
		t.Helper()
		if got := ids(list(t, api, path, v)); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	check("from/to around soon", q("from", rfc(now.Add(24*time.Hour)), "to", rfc(now.Add(72*time.Hour))), soon.ID)
	check("from only", q("from", rfc(now.Add(24*time.Hour))), soon.ID, later.ID)
	check("to only", q("to", rfc(now)), past.ID, running.ID)
	check("overlap at the edge", q("from", rfc(now.Add(51*time.Hour)), "to", rfc(now.Add(51*time.Hour))), soon.ID)
	check("a date includes the whole day", q("from", day(now.Add(11*24*time.Hour)), "to", day(now.Add(11*24*time.Hour))), later.ID)
	check("open_now on events", q("open_now", "true"), running.ID)
	var l listing
	api.Get("/api/v1/events/"+running.ID, apitest.Anonymous).Expect(http.StatusOK).JSON(&l)
	if !l.OpenNow {
		t.Error("a running event is not open_now")
	}
	api.Get(path+"?from=yesterday", apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Get(path+"?from=2026-05-02&to=2026-05-01", apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Get("/api/v1/attractions?from=2026-05-01", apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
}

func TestListSorts(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	mk := func(nameID, nameEN string, at point, rating float64) listing {
		l := create(t, api, staff, "culinary", body("culinary", nameID,
			set("name", map[string]any{"id": nameID, "en": nameEN}), set("location", at.json()),
			set("description", map[string]any{"id": "Warung soto dekat pasar.", "en": "A soto stall near the market."})))
		setRating(t, api, l.ID, rating, 3)
		return l
	}
	soto := mk("Soto Gading", "Gading Soto", keraton, 4.5)
	sate := mk("Sate Kere Yu Rebi", "", pasarGede, 4.5) // tie on rating; no English name
	bakso := mk("bakso Kadipolo", "Kadipolo Meatballs", laweyan, 4.9)
	dawet := mk("Dawet Telasih", "Basil Seed Dawet", point{-7.5695, 110.8315}, 3.0)

	path := "/api/v1/culinary"
	check := func(name string, v url.Values, want ...listing) {
		t.Helper()
		var w []string
		for _, l := range want {
			w = append(w, l.ID)
		}
		if got := ids(list(t, api, path, v)); strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%s: %v, want %v", name, got, w)
		}
	}
	check("default is rating, ties newest first", nil, bakso, sate, soto, dawet)
	check("rating", q("sort", "rating"), bakso, sate, soto, dawet)
	check("newest", q("sort", "newest"), dawet, bakso, sate, soto)
	check("name in Indonesian, case-insensitive", q("sort", "name"), bakso, dawet, sate, soto)
	check("name in English, falling back", q("sort", "name", "lang", "en"), dawet, soto, bakso, sate)
	check("distance", q("near", keraton.near(), "sort", "distance"), soto, dawet, sate, bakso)
	check("near defaults to distance", q("near", keraton.near()), soto, dawet, sate, bakso)
	check("near with rating", q("near", keraton.near(), "sort", "rating"), bakso, sate, soto, dawet)
	// Relevance: name matches first (best rated first), then description matches.
	check("relevance", q("q", "soto"), soto, bakso, sate, dawet)
	check("q defaults to relevance", q("q", "soto", "sort", "relevance"), soto, bakso, sate, dawet)
	check("q with name sort", q("q", "soto", "sort", "name"), bakso, dawet, sate, soto)
	var byHeader page
	api.Do(apitest.Req{Method: http.MethodGet, Path: path + "?sort=name", Header: map[string]string{"Accept-Language": "en-GB,en;q=0.9"}}).
		Expect(http.StatusOK).JSON(&byHeader)
	if got, want := ids(byHeader), []string{dawet.ID, soto.ID, bakso.ID, sate.ID}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("name sort by Accept-Language: %v, want %v", got, want)
	}
}

func TestListBadParameters(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	for _, bad := range []string{
		"sort=popular", "sort=relevance", "sort=distance", "sort=starts_at",
		"near=abc", "near=-7.5", "near=-91,110", "near=-7.5,181", "near=x,110",
		"near=-7.5,110.8&radius_m=0", "near=-7.5,110.8&radius_m=-5", "near=-7.5,110.8&radius_m=50001",
		"near=-7.5,110.8&radius_m=far", "radius_m=100",
		"limit=0", "limit=101", "limit=ten", "min_rating=6", "min_rating=-1", "min_rating=good",
		"open_now=maybe", "category=pizza", "q=%20%20", "q=%3F%21", "status=secret",
		"cursor=garbage", "tag=" + strings.Repeat("&tag=x", 21),
	} {
		api.Get("/api/v1/attractions?"+bad, apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
	list(t, api, "/api/v1/attractions", q("limit", "100", "near", "-7.5,110.8", "radius_m", "50000", "lang", "xx"))
}

// walk follows next_cursor from the first page until it is null.
func walk(t testing.TB, api *apitest.API, path string, v url.Values, between func()) []string {
	t.Helper()
	var out []string
	cur := ""
	for range 100 {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		if cur != "" {
			w.Set("cursor", cur)
		}
		p := list(t, api, path, w)
		out = append(out, ids(p)...)
		if p.Meta.NextCursor == nil {
			return out
		}
		if len(p.Data) == 0 {
			t.Fatal("empty page with a next_cursor")
		}
		cur = *p.Meta.NextCursor
		if between != nil {
			between()
		}
	}
	t.Fatal("cursor walk did not end")
	return nil
}

func TestCursorWalk(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	const n = 45
	for i := range n {
		name := fmt.Sprintf("Warung %c", 'A'+i%9) // repeated names
		desc := "Warung makan biasa."
		if i%2 == 0 {
			name = fmt.Sprintf("Soto %02d", i)
		} else if i%3 == 0 {
			desc = "Menjual soto ayam."
		}
		at := point{keraton.Lat + float64(i%5)*0.001, keraton.Lng} // many equal distances
		l := create(t, api, staff, "culinary", body("culinary", name, set("location", at.json()),
			set("description", map[string]any{"id": desc})))
		setRating(t, api, l.ID, float64(i%4), 1) // many equal ratings
	}
	path := "/api/v1/culinary"
	for _, v := range []url.Values{
		q("sort", "newest"), q("sort", "rating"), q("sort", "name"), q("sort", "name", "lang", "en"),
		q("near", keraton.near(), "sort", "distance"), q("q", "soto"), q("q", "soto", "sort", "rating"),
		q("near", keraton.near(), "sort", "rating", "category", "soup"),
	} {
		full := list(t, api, path, func() url.Values { w := url.Values{"limit": {"100"}}; maps(w, v); return w }())
		w := url.Values{"limit": {"7"}}
		maps(w, v)
		got := walk(t, api, path, w, nil)
		if strings.Join(got, ",") != strings.Join(ids(full), ",") {
			t.Errorf("%v: walk with limit 7\n got %v\nwant %v", v, got, ids(full))
		}
		seen := map[string]bool{}
		for _, id := range got {
			if seen[id] {
				t.Errorf("%v: %s twice", v, id)
			}
			seen[id] = true
		}
		if len(got) == 0 {
			t.Errorf("%v: nothing listed", v)
		}
	}
}

func maps(dst, src url.Values) {
	for k, vs := range src {
		dst[k] = vs
	}
}

func TestCursorWhileCreating(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	var before []string
	for i := range 30 {
		l := create(t, api, staff, "attractions", body("attractions", fmt.Sprintf("Museum %02d", i)))
		setRating(t, api, l.ID, float64(i%5), 2)
		before = append(before, l.ID)
	}
	path := "/api/v1/attractions"
	for _, v := range []url.Values{q("sort", "newest"), q("sort", "rating"), q("sort", "name"), q("q", "museum")} {
		added := 0
		got := walk(t, api, path, func() url.Values { w := url.Values{"limit": {"4"}}; maps(w, v); return w }(), func() {
			for range 2 {
				added++
				l := create(t, api, staff, "attractions", body("attractions", fmt.Sprintf("Museum Baru %s %d", v.Get("sort"), added)))
				setRating(t, api, l.ID, float64(added%5), 2)
			}
		})
		count := map[string]int{}
		for _, id := range got {
			count[id]++
		}
		for id, c := range count {
			if c > 1 {
				t.Errorf("%v: %s listed %d times", v, id, c)
			}
		}
		for _, id := range before {
			if count[id] != 1 {
				t.Errorf("%v: %s existed from the start but was listed %d times", v, id, count[id])
			}
		}
	}
}

func TestCursorBelongsToItsQuery(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	for i := range 5 {
		create(t, api, staff, "attractions", body("attractions", fmt.Sprintf("Taman %d", i), set("category", "park")))
	}
	p := list(t, api, "/api/v1/attractions", q("limit", "2", "category", "park"))
	if p.Meta.NextCursor == nil {
		t.Fatal("no next_cursor")
	}
	cur := *p.Meta.NextCursor
	list(t, api, "/api/v1/attractions", q("limit", "2", "category", "park", "cursor", cur))
	for _, v := range []url.Values{
		q("limit", "2", "category", "museum", "cursor", cur),
		q("limit", "2", "cursor", cur),
		q("limit", "2", "category", "park", "sort", "newest", "cursor", cur),
		q("limit", "2", "category", "park", "cursor", tamperSignature(cur)),
		q("limit", "2", "category", "park", "cursor", "x"+cur[1:]),
	} {
		api.Get("/api/v1/attractions?"+v.Encode(), apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
	api.Get("/api/v1/culinary?"+q("limit", "2", "category", "park", "cursor", cur).Encode(), apitest.Anonymous).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	// A different page size is the same query.
	list(t, api, "/api/v1/attractions", q("limit", "3", "category", "park", "cursor", cur))
}

// tamperSignature changes a character well inside the cursor's signature:
// the last character of an unpadded base64 string carries padding bits a
// decoder may ignore, so changing it could leave the signature intact.
func tamperSignature(cur string) string {
	i := len(cur) - 5
	c := byte('A')
	if cur[i] == c {
		c = 'B'
	}
	return cur[:i] + string(c) + cur[i+1:]
}

func TestListQueryCount(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	for i := range 50 {
		l := create(t, api, staff, "attractions", body("attractions", fmt.Sprintf("Galeri %d", i),
			set("tags", []string{"art", "gallery"}),
			set("opening_hours", []map[string]any{{"day": i % 7, "open": "00:00", "close": "24:00"}})))
		for j := range 2 {
			err := api.DB.Exec(`INSERT INTO listing_images (id, listing_id, storage_key, caption, content_type, size_bytes, position, created_at)
 VALUES (?, ?, ?, ?, 'image/jpeg', 1000, ?, ?)`, uuid.Must(uuid.NewV7()), l.ID, fmt.Sprintf("listings/%s/%d.jpg", l.ID, j),
				fmt.Sprintf("Foto %d", j), j, time.Now().UTC()).Error
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	// Rows come with their images: one query whatever the page size; a
	// relevance order may need a second one for its second tier, and
	// nearest-first on PostgreSQL picks candidates before fetching rows.
	// Search words on PostgreSQL first walk the rating order, and a tier
	// that ends within the page collects its matches and orders those: a
	// walk, a collect and a page per tier.
	words := int64(2)
	if testdb.IsPostgres() {
		words = 6
	}
	for _, tc := range []struct {
		v   url.Values
		max int64
	}{
		{q("limit", "50"), 1}, {q("limit", "50", "sort", "name"), 1},
		{q("limit", "50", "q", "galeri"), words}, {q("limit", "50", "q", "art"), words},
		{q("limit", "50", "near", keraton.near(), "open_now", "true", "tag", "art"), 2},
	} {
		v := tc.v
		api.DB.Queries.Reset()
		p := list(t, api, "/api/v1/attractions", v)
		n := api.DB.Queries.Count()
		if n > tc.max {
			t.Errorf("%v: %d queries for %d items, want at most %d", v, n, len(p.Data), tc.max)
		}
		if len(p.Data) == 0 {
			t.Errorf("%v: empty", v)
		}
		for _, l := range p.Data {
			if len(l.Images) != 2 || len(l.Tags) != 2 || len(l.OpeningHours) != 1 {
				t.Fatalf("%s: images %d, tags %d, hours %d", l.Slug, len(l.Images), len(l.Tags), len(l.OpeningHours))
			}
		}
	}
	var one struct {
		Images []struct {
			URL     string `json:"url"`
			Caption string `json:"caption"`
		} `json:"images"`
	}
	p := list(t, api, "/api/v1/attractions", q("limit", "1"))
	api.DB.Queries.Reset()
	api.Get("/api/v1/attractions/"+p.Data[0].Slug, apitest.Anonymous).Expect(http.StatusOK).JSON(&one)
	if n := api.DB.Queries.Count(); n != 1 {
		t.Errorf("detail took %d queries, want 1", n)
	}
	if len(one.Images) != 2 || !strings.HasPrefix(one.Images[0].URL, "/media/listings/") || one.Images[0].Caption != "Foto 0" {
		t.Errorf("images %+v", one.Images)
	}
}

// TestNearestIsGreatCircleOrder places a listing 995 m east and another
// 1000 m north: in plain degrees the northern one is nearer (a degree of
// longitude is shorter than one of latitude), on the sphere the eastern one.
// Many decoys of another category around the centre make the nearest-first
// scan ask for more candidates before it finds them.
func TestNearestIsGreatCircleOrder(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := tourismStaff(api)
	const mPerDegLat = 6371008.8 * math.Pi / 180
	c := keraton
	north := point{c.Lat + 1000/mPerDegLat, c.Lng}
	east := point{c.Lat, c.Lng + 995/(mPerDegLat*math.Cos(c.Lat*math.Pi/180))}
	far := point{c.Lat - 2000/mPerDegLat, c.Lng}
	if !(haversine(c, east) < haversine(c, north)) || !(math.Abs(east.Lng-c.Lng) > math.Abs(north.Lat-c.Lat)) {
		t.Fatal("test geometry is off")
	}
	mk := func(name, category string, at point) string {
		return create(t, api, staff, "culinary", body("culinary", name, set("category", category), set("location", at.json()))).ID
	}
	n := mk("Roti Utara", "bakery", north)
	e := mk("Roti Timur", "bakery", east)
	f := mk("Roti Jauh", "bakery", far)
	for i := range 90 {
		angle := float64(i) * 2 * math.Pi / 90
		r := 50 + float64(i*4)
		mk(fmt.Sprintf("Soto %d", i), "soup", point{c.Lat + r*math.Sin(angle)/mPerDegLat, c.Lng + r*math.Cos(angle)/(mPerDegLat*math.Cos(c.Lat*math.Pi/180))})
	}
	got := walk(t, api, "/api/v1/culinary", q("near", c.near(), "category", "bakery", "limit", "1"), nil)
	if want := []string{e, n, f}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("bakeries nearest first: %v, want east, north, far %v", got, want)
	}
	all := list(t, api, "/api/v1/culinary", q("near", c.near(), "limit", "100"))
	for i := 1; i < len(all.Data); i++ {
		if *all.Data[i].DistanceM < *all.Data[i-1].DistanceM {
			t.Errorf("not nearest first at %d: %v after %v", i, *all.Data[i].DistanceM, *all.Data[i-1].DistanceM)
		}
	}
	if len(all.Data) != 93 {
		t.Errorf("%d listings within 5 km, want 93", len(all.Data))
	}
	if got := walk(t, api, "/api/v1/culinary", q("near", c.near(), "limit", "9"), nil); strings.Join(got, ",") != strings.Join(ids(all), ",") {
		t.Error("walking nearest-first with limit 9 differs from one page")
	}
	small := list(t, api, "/api/v1/culinary", q("near", c.near(), "radius_m", "100", "limit", "100"))
	for _, l := range small.Data {
		if *l.DistanceM > 100 {
			t.Errorf("radius 100: %v m", *l.DistanceM)
		}
	}
	if len(small.Data) == 0 {
		t.Error("radius 100: nothing")
	}
	// Far from every listing, and across the antimeridian: empty pages.
	for _, at := range []string{"-6.2,106.8", "0,179.999", "89.99,10"} {
		if p := list(t, api, "/api/v1/culinary", q("near", at, "radius_m", "50000")); len(p.Data) != 0 || p.Meta.NextCursor != nil {
			t.Errorf("near %s: %d items", at, len(p.Data))
		}
	}
}
