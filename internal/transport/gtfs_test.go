package transport_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
)

func init() {
	// The harness checks every answer against api/openapi.yaml; a zip is a
	// file body to it, as application/octet-stream is.
	openapi3filter.RegisterBodyDecoder("application/zip", openapi3filter.FileBodyDecoder)
}

var jakarta = time.FixedZone("WIB", 7*60*60)

// gtfsTable is one CSV file of the feed: its header and its rows by name.
type gtfsTable struct {
	header []string
	rows   []map[string]string
}

func (t gtfsTable) where(col, val string) []map[string]string {
	var out []map[string]string
	for _, r := range t.rows {
		if r[col] == val {
			out = append(out, r)
		}
	}
	return out
}

func readFeed(t *testing.T, body []byte) (map[string]gtfsTable, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	tables, raw := map[string]gtfsTable{}, map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s starts with a BOM", f.Name)
		}
		records, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		tb := gtfsTable{header: records[0]}
		for _, rec := range records[1:] {
			row := map[string]string{}
			for i, h := range tb.header {
				row[h] = rec[i]
			}
			tb.rows = append(tb.rows, row)
		}
		tables[f.Name], raw[f.Name] = tb, b
	}
	return tables, raw
}

// insertTrip writes a trip row directly, as the schedule generator would.
func insertTrip(t *testing.T, api *apitest.API, route string, dep time.Time, dur time.Duration, schedule *uuid.UUID, status string) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	var sched any
	if schedule != nil {
		sched = schedule.String()
	}
	created := dep.Add(-30 * 24 * time.Hour).UTC()
	err := api.DB.Exec(`INSERT INTO transport_trips (id, route_id, departs_at, arrives_at, capacity, seats_available, fare_idr,
		status, schedule_id, created_at, updated_at) VALUES (?, ?, ?, ?, 50, 50, 50000, ?, ?, ?, ?)`,
		id.String(), route, dep.UTC(), dep.Add(dur).UTC(), status, sched, created, created).Error
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

func TestGTFSFeed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	api := w.api
	// Wednesday 10 March 2027, 10:00 WIB.
	now := time.Date(2027, 3, 10, 10, 0, 0, 0, jakarta)
	api.App.Transport.SetClock(func() time.Time { return now })

	// A stop and a route whose names need CSV quoting.
	var stop struct{ ID string }
	api.Send(http.MethodPost, "/api/v1/transport/stops", map[string]any{
		"name": map[string]string{"id": `Halte "Slamet", Riyadi`, "en": "Slamet Riyadi stop"}, "location": map[string]float64{"lat": -7.566, "lng": 110.81},
	}, w.staff).Expect(http.StatusCreated).JSON(&stop)
	var quoted struct{ ID string }
	api.Send(http.MethodPost, "/api/v1/transport/routes", map[string]any{
		"mode": "city_bus", "name": map[string]string{"id": `Koridor "1", Kartasura – Palur`},
		"stop_ids": []string{w.stops[0], stop.ID, w.stops[2]},
	}, w.staff).Expect(http.StatusCreated).JSON(&quoted)

	// A weekend schedule at 09:00 and 15:00 on four weekends from Saturday
	// 13 March; no run on Sunday 21 March (a holiday), and the 15:00 of 27
	// March cancelled; and an extra run on Monday 29 March.
	sched := uuid.MustParse("0193a5b2-0000-7000-8000-00000000beef")
	for wk := range 4 {
		for d := range 2 {
			day := time.Date(2027, 3, 13+7*wk+d, 0, 0, 0, 0, jakarta)
			if day.Day() == 21 {
				continue
			}
			insertTrip(t, api, w.route, day.Add(9*time.Hour), 3*time.Hour, &sched, "scheduled")
			status := "scheduled"
			if day.Day() == 27 {
				status = "cancelled"
			}
			insertTrip(t, api, w.route, day.Add(15*time.Hour), 3*time.Hour, &sched, status)
		}
	}
	// The extra Monday run, off the weekend pattern.
	insertTrip(t, api, w.route, time.Date(2027, 3, 29, 9, 0, 0, 0, jakarta), 3*time.Hour, &sched, "scheduled")
	// One-off trips: a late one running past midnight, one on the quoted
	// route, one long before the window.
	late := insertTrip(t, api, w.route, time.Date(2027, 3, 12, 23, 30, 0, 0, jakarta), 70*time.Minute, nil, "scheduled")
	bus := insertTrip(t, api, quoted.ID, time.Date(2027, 3, 11, 7, 0, 0, 0, jakarta), 45*time.Minute, nil, "scheduled")
	old := insertTrip(t, api, w.route, time.Date(2026, 12, 1, 9, 0, 0, 0, jakarta), time.Hour, nil, "scheduled")

	res := api.Get("/api/v1/transport/gtfs.zip", apitest.Anonymous).Expect(http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "application/zip" {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "gtfs.zip") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	etag, lastMod := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || lastMod == "" || res.Header.Get("Cache-Control") == "" {
		t.Fatalf("validators: ETag %q, Last-Modified %q, Cache-Control %q", etag, lastMod, res.Header.Get("Cache-Control"))
	}
	if out := os.Getenv("GTFS_TEST_OUT"); out != "" { // to read it with clients/gtfs-check by hand
		if err := os.WriteFile(out, res.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	feed, raw := readFeed(t, res.Body)

	wantHeaders := map[string]string{
		"agency.txt":          "agency_id,agency_name,agency_url,agency_timezone,agency_lang",
		"stops.txt":           "stop_id,stop_name,stop_lat,stop_lon,location_type",
		"routes.txt":          "route_id,agency_id,route_short_name,route_long_name,route_desc,route_type",
		"trips.txt":           "route_id,service_id,trip_id,trip_headsign,shape_id",
		"stop_times.txt":      "trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint",
		"calendar.txt":        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date",
		"calendar_dates.txt":  "service_id,date,exception_type",
		"fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers,agency_id",
		"fare_rules.txt":      "fare_id,route_id",
		"feed_info.txt":       "feed_publisher_name,feed_publisher_url,feed_lang,default_lang,feed_start_date,feed_end_date,feed_version",
		"translations.txt":    "table_name,field_name,language,translation,record_id",
	}
	for name, want := range wantHeaders {
		tb, ok := feed[name]
		if !ok {
			t.Fatalf("%s missing; files %v", name, slices.Sorted(maps.Keys(feed)))
		}
		if got := strings.Join(tb.header, ","); got != want {
			t.Errorf("%s header %q, want %q", name, got, want)
		}
		if len(tb.rows) == 0 {
			t.Errorf("%s has no rows", name)
		}
	}

	ag := feed["agency.txt"].rows[0]
	if ag["agency_timezone"] != "Asia/Jakarta" || ag["agency_lang"] != "id" || ag["agency_name"] != "Dinas Perhubungan Kota Surakarta" {
		t.Errorf("agency %v", ag)
	}
	fi := feed["feed_info.txt"].rows[0]
	if fi["feed_start_date"] != "20270303" || fi["feed_end_date"] != "20270708" || fi["feed_lang"] != "id" || fi["feed_version"] == "" {
		t.Errorf("feed_info %v", fi)
	}

	// Quoting: the names come back whole, and the file holds them quoted.
	if s := feed["stops.txt"].where("stop_id", stop.ID); len(s) != 1 || s[0]["stop_name"] != `Halte "Slamet", Riyadi` {
		t.Errorf("quoted stop %v", s)
	}
	if !bytes.Contains(raw["stops.txt"], []byte(`"Halte ""Slamet"", Riyadi"`)) {
		t.Errorf("stops.txt does not quote the name:\n%s", raw["stops.txt"])
	}
	if r := feed["routes.txt"].where("route_id", quoted.ID); len(r) != 1 || r[0]["route_long_name"] != `Koridor "1", Kartasura – Palur` ||
		r[0]["route_type"] != "3" {
		t.Errorf("quoted route %v", r)
	}
	if r := feed["routes.txt"].where("route_id", w.route); len(r) != 1 || r[0]["route_type"] != "2" {
		t.Errorf("steam train route %v", r)
	}
	if tr := feed["translations.txt"].where("record_id", stop.ID); len(tr) != 1 || tr[0]["translation"] != "Slamet Riyadi stop" {
		t.Errorf("translation %v", tr)
	}

	// The schedule: one GTFS trip per departure time.
	trips := feed["trips.txt"]
	nine, three := trips.where("trip_id", sched.String()+"-0900"), trips.where("trip_id", sched.String()+"-1500")
	if len(nine) != 1 || len(three) != 1 {
		t.Fatalf("schedule trips %v", trips.rows)
	}
	if nine[0]["service_id"] != sched.String() || three[0]["service_id"] == sched.String() {
		t.Fatalf("services: 09:00 %q, 15:00 %q", nine[0]["service_id"], three[0]["service_id"])
	}
	weekend := map[string]string{"service_id": sched.String(), "monday": "0", "tuesday": "0", "wednesday": "0", "thursday": "0",
		"friday": "0", "saturday": "1", "sunday": "1", "start_date": "20270313", "end_date": "20270404"}
	if c := feed["calendar.txt"].where("service_id", sched.String()); len(c) != 1 || !maps.Equal(c[0], weekend) {
		t.Errorf("calendar %v, want %v", c, weekend)
	}
	exceptions := func(service string) []string {
		var out []string
		for _, r := range feed["calendar_dates.txt"].where("service_id", service) {
			out = append(out, r["date"]+":"+r["exception_type"])
		}
		slices.Sort(out)
		return out
	}
	if got := exceptions(sched.String()); !slices.Equal(got, []string{"20270321:2", "20270329:1"}) {
		t.Errorf("holiday exceptions %v", got)
	}
	if got := exceptions(three[0]["service_id"]); !slices.Equal(got, []string{"20270321:2", "20270327:2"}) {
		t.Errorf("15:00 exceptions (holiday, cancelled run) %v", got)
	}

	// One-off trips: their own trip on a service of their date; the old one
	// is outside the window.
	if tr := trips.where("trip_id", late); len(tr) != 1 || tr[0]["service_id"] != "d20270312" || tr[0]["route_id"] != w.route {
		t.Fatalf("late trip %v", tr)
	}
	if got := exceptions("d20270312"); !slices.Equal(got, []string{"20270312:1"}) {
		t.Errorf("one-off service %v", got)
	}
	if tr := trips.where("trip_id", bus); len(tr) != 1 || tr[0]["service_id"] != "d20270311" {
		t.Errorf("bus trip %v", tr)
	}
	if len(trips.where("trip_id", old)) != 0 {
		t.Error("a trip before the window is exported")
	}

	// Times: interpolated along the stops, counting on past midnight.
	st := feed["stop_times.txt"].where("trip_id", late)
	if len(st) != 3 || st[0]["departure_time"] != "23:30:00" || st[2]["arrival_time"] != "24:40:00" ||
		st[0]["stop_id"] != w.stops[0] || st[2]["stop_id"] != w.stops[2] || st[1]["timepoint"] != "0" {
		t.Fatalf("stop_times of the late trip %v", st)
	}
	if mid := st[1]["arrival_time"]; mid <= "23:30:00" || mid >= "24:40:00" {
		t.Errorf("middle stop at %s", mid)
	}
	if st := feed["stop_times.txt"].where("trip_id", sched.String()+"-1500"); len(st) != 3 || st[0]["departure_time"] != "15:00:00" ||
		st[2]["arrival_time"] != "18:00:00" {
		t.Errorf("stop_times of the 15:00 %v", st)
	}

	// Integrity, as a consumer would check it.
	ids := func(file, col string) map[string]bool {
		out := map[string]bool{}
		for _, r := range feed[file].rows {
			out[r[col]] = true
		}
		return out
	}
	tripIDs, stopIDs, routeIDs := ids("trips.txt", "trip_id"), ids("stops.txt", "stop_id"), ids("routes.txt", "route_id")
	services := ids("calendar.txt", "service_id")
	for s := range ids("calendar_dates.txt", "service_id") {
		services[s] = true
	}
	for _, r := range feed["stop_times.txt"].rows {
		if !tripIDs[r["trip_id"]] || !stopIDs[r["stop_id"]] {
			t.Fatalf("dangling stop_time %v", r)
		}
	}
	for _, r := range trips.rows {
		if !routeIDs[r["route_id"]] || !services[r["service_id"]] {
			t.Fatalf("dangling trip %v", r)
		}
	}
	fares := ids("fare_attributes.txt", "fare_id")
	for _, r := range feed["fare_rules.txt"].rows {
		if !fares[r["fare_id"]] || !routeIDs[r["route_id"]] {
			t.Fatalf("dangling fare rule %v", r)
		}
	}
	if f := feed["fare_attributes.txt"].where("fare_id", "steam_train-50000"); len(f) != 1 || f[0]["currency_type"] != "IDR" ||
		f[0]["payment_method"] != "1" {
		t.Errorf("steam train fare %v", feed["fare_attributes.txt"].rows)
	}

	// Conditional requests.
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/gtfs.zip",
		Header: map[string]string{"If-None-Match": etag}}).Expect(http.StatusNotModified)
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/gtfs.zip",
		Header: map[string]string{"If-Modified-Since": lastMod}}).Expect(http.StatusNotModified)
	again := api.Get("/api/v1/transport/gtfs.zip", apitest.Anonymous).Expect(http.StatusOK)
	if again.Header.Get("ETag") != etag || !bytes.Equal(again.Body, res.Body) {
		t.Error("the same data gave another feed")
	}

	// A booking moves a seat counter, which the feed does not carry.
	w.book(late, 1, api.User("sari"), "").Expect(http.StatusCreated)
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/gtfs.zip",
		Header: map[string]string{"If-None-Match": etag}}).Expect(http.StatusNotModified)

	// A cancelled trip leaves the feed, which gets a new ETag.
	api.Send(http.MethodPatch, "/api/v1/transport/trips/"+late, map[string]any{"status": "cancelled"}, w.staff).Expect(http.StatusOK)
	res = api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/gtfs.zip",
		Header: map[string]string{"If-None-Match": etag}}).Expect(http.StatusOK)
	if res.Header.Get("ETag") == etag {
		t.Fatal("ETag unchanged after a cancellation")
	}
	feed, _ = readFeed(t, res.Body)
	if len(feed["trips.txt"].where("trip_id", late)) != 0 || len(exceptions("d20270312")) != 0 {
		t.Error("the cancelled one-off trip is still in the feed")
	}
	if _, ok := feed["calendar_dates.txt"]; !ok {
		t.Error("calendar_dates.txt gone")
	}
}

// An empty network still makes a feed: agency and feed_info, and the
// required files with their headers only.
func TestGTFSFeedEmpty(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	res := api.Get("/api/v1/transport/gtfs.zip", apitest.Anonymous).Expect(http.StatusOK)
	feed, _ := readFeed(t, res.Body)
	for _, name := range []string{"agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "feed_info.txt"} {
		if _, ok := feed[name]; !ok {
			t.Errorf("%s missing", name)
		}
	}
	if _, ok := feed["calendar.txt"]; ok {
		t.Error("an empty calendar.txt is written")
	}
}
