package transport

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The GTFS static export (https://gtfs.org/documentation/schedule/reference/).
//
// Our trips are dated: one row per run. GTFS trips are patterns that run on
// every day of their service. A trip generated from a weekly schedule
// therefore becomes one GTFS trip per departure slot of that schedule (its
// route, local departure time and duration) running on the dates the slot
// has trips, and the service of those dates is inferred from the dates
// alone, without reading the schedule: the weekdays that carry trips on
// most of their occurrences form calendar.txt, and calendar_dates.txt
// removes the pattern days without a trip (a holiday, a cancelled run) and
// adds the trips on other days. A one-off trip is its own GTFS trip on a
// service of its date, in calendar_dates.txt only. Cancelled trips are left
// out, so their dates drop out of their service.

// The export covers the service dates from a week back to four months
// ahead (Asia/Jakarta), which bounds its size.
const (
	gtfsDaysBack  = 7
	gtfsDaysAhead = 120
	// gtfsMaxTrips stops an export that would no longer be a reasonable
	// download (and an unreasonable amount of memory to build it in).
	gtfsMaxTrips = 250_000
)

// The feed's publisher and its one agency.
const (
	gtfsAgencyID   = "dishub-surakarta"
	gtfsAgencyName = "Dinas Perhubungan Kota Surakarta"
	gtfsAgencyEN   = "Surakarta City Department of Transportation"
	gtfsAgencyURL  = "https://surakarta.go.id"
	gtfsTimezone   = "Asia/Jakarta"
	gtfsLang       = "id"
	gtfsCurrency   = "IDR"
)

// GTFSFeed is a built feed: the zip and its validators.
type GTFSFeed struct {
	Body         []byte
	ETag         string // strong: the bytes are deterministic for the same data
	LastModified time.Time
}

// gtfsWindow is the first and last service date of the export, at midnight
// WIB, by the service clock.
func (s *Service) gtfsWindow() (first, last time.Time) {
	now := s.now().In(wib)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, wib)
	return today.AddDate(0, 0, -gtfsDaysBack), today.AddDate(0, 0, gtfsDaysAhead)
}

// gtfsVersion fingerprints everything the feed is built from in one cheap
// query: counts catch deletions and cancellations, the newest timestamps
// catch inserts and updates (a route's stops are replaced together with its
// updated_at).
// Bookings touch the trips' updated_at too, which only costs a rebuild that
// yields the same bytes and ETag.
func (s *Service) gtfsVersion(ctx context.Context, first, last time.Time) (string, error) {
	from, to := first.UTC(), last.AddDate(0, 0, 1).UTC()
	var v struct {
		ModesN, StopsN, RoutesN, RouteStopsN, TripsN, CancelledN int64
		ModesAt, StopsAt, RoutesAt, TripsAt                      string
	}
	err := s.read(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM transport_modes) AS modes_n,
		(SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM transport_modes) AS modes_at,
		(SELECT COUNT(*) FROM transport_stops) AS stops_n,
		(SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM transport_stops) AS stops_at,
		(SELECT COUNT(*) FROM transport_routes) AS routes_n,
		(SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM transport_routes) AS routes_at,
		(SELECT COUNT(*) FROM transport_route_stops) AS route_stops_n,
		(SELECT COUNT(*) FROM transport_trips WHERE departs_at >= ? AND departs_at < ?) AS trips_n,
		(SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM transport_trips WHERE departs_at >= ? AND departs_at < ?) AS trips_at,
		(SELECT COUNT(*) FROM transport_trips WHERE departs_at >= ? AND departs_at < ? AND status = 'cancelled') AS cancelled_n`,
		from, to, from, to, from, to).Scan(&v).Error
	if err != nil {
		return "", fmt.Errorf("gtfs version: %w", err)
	}
	return fmt.Sprintf("%s/%s/%+v", first.Format(time.DateOnly), last.Format(time.DateOnly), v), nil
}

// gtfsSlot is what makes dated trips of one schedule the same GTFS trip.
type gtfsSlot struct {
	schedule uuid.UUID
	route    uuid.UUID
	depSecs  int // departure, seconds after midnight of the service date
	durSecs  int
}

type gtfsSlotTrips struct {
	slot    gtfsSlot
	dates   []string // YYYYMMDD, ascending (trips are read by departure)
	id      string
	service string
}

type gtfsOneOff struct {
	id      uuid.UUID
	route   uuid.UUID
	date    string
	depSecs int
	durSecs int
}

// buildGTFS writes the feed for the service dates first..last.
func (s *Service) buildGTFS(ctx context.Context, first, last time.Time) (GTFSFeed, error) {
	db := s.read(ctx)
	modes, err := s.Modes(ctx)
	if err != nil {
		return GTFSFeed{}, err
	}
	modeByCode := make(map[string]Mode, len(modes))
	for _, m := range modes {
		modeByCode[m.Code] = m
	}
	var stopRows []stopRow
	if err := db.Order("id").Find(&stopRows).Error; err != nil {
		return GTFSFeed{}, fmt.Errorf("gtfs stops: %w", err)
	}
	var routeRows []routeRow
	if err := db.Order("id").Find(&routeRows).Error; err != nil {
		return GTFSFeed{}, fmt.Errorf("gtfs routes: %w", err)
	}
	routes, err := s.withStops(ctx, s.read(ctx), routeRows)
	if err != nil {
		return GTFSFeed{}, err
	}
	routeByID := make(map[uuid.UUID]*Route, len(routes))
	for i := range routes {
		routeByID[routes[i].ID] = &routes[i]
	}

	// The newest change the feed reflects; the day the window last moved
	// counts as one.
	lastMod := first.AddDate(0, 0, gtfsDaysBack)
	seen := func(t time.Time) {
		if t.After(lastMod) {
			lastMod = t
		}
	}
	for _, m := range modes {
		seen(m.UpdatedAt)
	}
	for _, r := range stopRows {
		seen(r.UpdatedAt)
	}
	for _, r := range routeRows {
		seen(r.UpdatedAt)
	}

	// One pass over the window's trips, by departure: schedule trips fold
	// into their slots, one-off trips are kept compactly.
	rows, err := db.Model(&tripRow{}).
		Select("id, route_id, departs_at, arrives_at, fare_idr, status, schedule_id, created_at, cancelled_at").
		Where("departs_at >= ? AND departs_at < ?", first.UTC(), last.AddDate(0, 0, 1).UTC()).
		Order("departs_at, id").Rows()
	if err != nil {
		return GTFSFeed{}, fmt.Errorf("gtfs trips: %w", err)
	}
	defer rows.Close()
	slots := map[gtfsSlot]*gtfsSlotTrips{}
	var oneOffs []gtfsOneOff
	routeFares := map[uuid.UUID]map[int64]int{} // route → fare → trips
	n := 0
	for rows.Next() {
		var r tripRow
		if err := db.ScanRows(rows, &r); err != nil {
			return GTFSFeed{}, fmt.Errorf("gtfs trip: %w", err)
		}
		seen(r.CreatedAt)
		if r.CancelledAt != nil {
			seen(*r.CancelledAt)
		}
		rt := routeByID[r.RouteID]
		if TripStatus(r.Status) == TripCancelled || rt == nil || len(rt.Stops) < 2 {
			continue // GTFS needs two stops to ride between
		}
		if n++; n > gtfsMaxTrips {
			return GTFSFeed{}, fmt.Errorf("gtfs: more than %d trips in the export window", gtfsMaxTrips)
		}
		dep := r.DepartsAt.In(wib)
		date := dep.Format("20060102")
		depSecs := dep.Hour()*3600 + dep.Minute()*60 + dep.Second()
		durSecs := int(r.ArrivesAt.Sub(r.DepartsAt) / time.Second)
		if routeFares[r.RouteID] == nil {
			routeFares[r.RouteID] = map[int64]int{}
		}
		routeFares[r.RouteID][r.FareIDR]++
		if r.ScheduleID == nil {
			oneOffs = append(oneOffs, gtfsOneOff{id: r.ID, route: r.RouteID, date: date, depSecs: depSecs, durSecs: durSecs})
			continue
		}
		k := gtfsSlot{*r.ScheduleID, r.RouteID, depSecs, durSecs}
		st := slots[k]
		if st == nil {
			st = &gtfsSlotTrips{slot: k}
			slots[k] = st
		}
		if len(st.dates) == 0 || st.dates[len(st.dates)-1] != date {
			st.dates = append(st.dates, date)
		}
	}
	if err := rows.Err(); err != nil {
		return GTFSFeed{}, fmt.Errorf("gtfs trips: %w", err)
	}
	rows.Close()

	slotList := slices.SortedFunc(maps.Values(slots), func(a, b *gtfsSlotTrips) int {
		return cmp.Or(slices.Compare(a.slot.schedule[:], b.slot.schedule[:]), cmp.Compare(a.slot.depSecs, b.slot.depSecs),
			slices.Compare(a.slot.route[:], b.slot.route[:]), cmp.Compare(a.slot.durSecs, b.slot.durSecs))
	})
	services := assignServices(slotList)

	lastMod = lastMod.UTC().Truncate(time.Second)
	var buf bytes.Buffer
	z := &gtfsZip{zw: zip.NewWriter(&buf), modified: lastMod, hash: sha256.New()}

	z.file("agency.txt", []string{"agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"},
		func(w *csv.Writer) error {
			return w.Write([]string{gtfsAgencyID, gtfsAgencyName, gtfsAgencyURL, gtfsTimezone, gtfsLang})
		})

	z.file("stops.txt", []string{"stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"}, func(w *csv.Writer) error {
		for _, r := range stopRows {
			if err := w.Write([]string{r.ID.String(), gtfsText(r.NameID), coord(r.Lat), coord(r.Lng), "0"}); err != nil {
				return err
			}
		}
		return nil
	})

	z.file("routes.txt", []string{"route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type"},
		func(w *csv.Writer) error {
			for _, r := range routes {
				err := w.Write([]string{r.ID.String(), gtfsAgencyID, "", gtfsText(r.Name.ID), gtfsText(r.Description.ID),
					strconv.Itoa(routeType(r.Mode))})
				if err != nil {
					return err
				}
			}
			return nil
		})

	shapeOf := func(r *Route) string {
		if len(r.Path) < 2 {
			return ""
		}
		return r.ID.String()
	}
	headsign := func(r *Route) string { return gtfsText(r.Stops[len(r.Stops)-1].Stop.Name.ID) }
	z.file("trips.txt", []string{"route_id", "service_id", "trip_id", "trip_headsign", "shape_id"}, func(w *csv.Writer) error {
		for _, st := range slotList {
			rt := routeByID[st.slot.route]
			if err := w.Write([]string{rt.ID.String(), st.service, st.id, headsign(rt), shapeOf(rt)}); err != nil {
				return err
			}
		}
		for _, t := range oneOffs {
			rt := routeByID[t.route]
			if err := w.Write([]string{rt.ID.String(), "d" + t.date, t.id.String(), headsign(rt), shapeOf(rt)}); err != nil {
				return err
			}
		}
		return nil
	})

	// Times along a route are interpolated by the distance between its
	// stops, so only the first and the last are timepoints.
	z.file("stop_times.txt", []string{"trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "timepoint"},
		func(w *csv.Writer) error {
			write := func(id string, rt *Route, dep, dur int) error {
				for i, at := range stopOffsets(rt, dur) {
					tp := "0"
					if i == 0 || i == len(rt.Stops)-1 {
						tp = "1"
					}
					hms := gtfsTime(dep + at)
					rs := rt.Stops[i]
					if err := w.Write([]string{id, hms, hms, rs.Stop.ID.String(), strconv.Itoa(rs.Order), tp}); err != nil {
						return err
					}
				}
				return nil
			}
			for _, st := range slotList {
				if err := write(st.id, routeByID[st.slot.route], st.slot.depSecs, st.slot.durSecs); err != nil {
					return err
				}
			}
			for _, t := range oneOffs {
				if err := write(t.id.String(), routeByID[t.route], t.depSecs, t.durSecs); err != nil {
					return err
				}
			}
			return nil
		})

	var calendarRows, dateRows [][]string
	for _, sv := range services {
		c := inferCalendar(sv.dates)
		if c.any() {
			row := []string{sv.id}
			for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
				row = append(row, map[bool]string{true: "1", false: "0"}[c.days[d]])
			}
			calendarRows = append(calendarRows, append(row, c.start, c.end))
		}
		for _, d := range c.added {
			dateRows = append(dateRows, []string{sv.id, d, "1"})
		}
		for _, d := range c.removed {
			dateRows = append(dateRows, []string{sv.id, d, "2"})
		}
	}
	oneOffDates := map[string]bool{}
	for _, t := range oneOffs {
		oneOffDates[t.date] = true
	}
	for _, d := range slices.Sorted(maps.Keys(oneOffDates)) {
		dateRows = append(dateRows, []string{"d" + d, d, "1"})
	}
	z.rows("calendar.txt", []string{"service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"start_date", "end_date"}, calendarRows)
	z.rows("calendar_dates.txt", []string{"service_id", "date", "exception_type"}, dateRows)

	// Fares v1 has one price per route: the fare most of the route's trips
	// charge, else the mode's adult fare. Bookable rides are paid before
	// boarding, the others on board.
	var fareRows, fareRuleRows [][]string
	fareSeen := map[string]bool{}
	for _, r := range routes {
		m, ok := modeByCode[r.Mode]
		amount, has := routeFare(routeFares[r.ID], m)
		if !ok || !has {
			continue
		}
		id := fmt.Sprintf("%s-%d", r.Mode, amount)
		if !fareSeen[id] {
			fareSeen[id] = true
			payment := "0"
			if m.Bookable {
				payment = "1"
			}
			fareRows = append(fareRows, []string{id, strconv.FormatInt(amount, 10), gtfsCurrency, payment, "0", gtfsAgencyID})
		}
		fareRuleRows = append(fareRuleRows, []string{id, r.ID.String()})
	}
	slices.SortFunc(fareRows, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	z.rows("fare_attributes.txt", []string{"fare_id", "price", "currency_type", "payment_method", "transfers", "agency_id"}, fareRows)
	z.rows("fare_rules.txt", []string{"fare_id", "route_id"}, fareRuleRows)

	var shapeRows [][]string
	for i := range routes {
		if shapeOf(&routes[i]) == "" {
			continue
		}
		for j, p := range routes[i].Path {
			shapeRows = append(shapeRows, []string{routes[i].ID.String(), coord(p[1]), coord(p[0]), strconv.Itoa(j + 1)})
		}
	}
	z.rows("shapes.txt", []string{"shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"}, shapeRows)

	// English names and descriptions, where they are given.
	var tr [][]string
	add := func(table, field, record, id, en string) {
		if en = gtfsText(en); en != "" && en != gtfsText(id) {
			tr = append(tr, []string{table, field, "en", en, record})
		}
	}
	add("agency", "agency_name", gtfsAgencyID, gtfsAgencyName, gtfsAgencyEN)
	for _, r := range stopRows {
		add("stops", "stop_name", r.ID.String(), r.NameID, r.NameEn)
	}
	for _, r := range routes {
		add("routes", "route_long_name", r.ID.String(), r.Name.ID, r.Name.EN)
		add("routes", "route_desc", r.ID.String(), r.Description.ID, r.Description.EN)
	}
	z.rows("translations.txt", []string{"table_name", "field_name", "language", "translation", "record_id"}, tr)

	// The version names the content written so far, so a rebuild that
	// finds the same data (a booking only moved a seat counter) yields the
	// same bytes and ETag.
	z.file("feed_info.txt", []string{"feed_publisher_name", "feed_publisher_url", "feed_lang", "default_lang",
		"feed_start_date", "feed_end_date", "feed_version"}, func(w *csv.Writer) error {
		return w.Write([]string{gtfsAgencyName, gtfsAgencyURL, gtfsLang, gtfsLang, first.Format("20060102"),
			last.Format("20060102"), hex.EncodeToString(z.hash.Sum(nil)[:6])})
	})

	if z.err == nil {
		z.err = z.zw.Close()
	}
	if z.err != nil {
		return GTFSFeed{}, fmt.Errorf("gtfs zip: %w", z.err)
	}
	body := buf.Bytes()
	etag := sha256.Sum256(body)
	return GTFSFeed{Body: body, ETag: `"` + hex.EncodeToString(etag[:12]) + `"`, LastModified: lastMod}, nil
}

// gtfsService is a set of service dates with its id.
type gtfsService struct {
	id    string
	dates []string
}

// assignServices gives each slot a service: the slots of one schedule that
// run on the same dates share one, named after the schedule; a slot whose
// dates differ (a run cancelled on one day) gets its own, "<schedule>-2"…
// The slots are sorted by schedule.
func assignServices(slots []*gtfsSlotTrips) []gtfsService {
	var out []gtfsService
	for i := 0; i < len(slots); {
		j := i
		for j < len(slots) && slots[j].slot.schedule == slots[i].slot.schedule {
			j++
		}
		group := slots[i:j]
		users := map[string]int{}
		for _, st := range group {
			users[strings.Join(st.dates, ",")]++
		}
		sets := slices.SortedFunc(maps.Keys(users), func(a, b string) int {
			return cmp.Or(-cmp.Compare(users[a], users[b]), -cmp.Compare(len(a), len(b)), strings.Compare(a, b))
		})
		ids := map[string]string{}
		for k, set := range sets {
			id := group[0].slot.schedule.String()
			if k > 0 {
				id += "-" + strconv.Itoa(k+1)
			}
			ids[set] = id
			out = append(out, gtfsService{id: id, dates: strings.Split(set, ",")})
		}
		// Trip ids: the schedule and the local departure time, made unique
		// when two slots leave at the same minute.
		taken := map[string]int{}
		for _, st := range group {
			st.service = ids[strings.Join(st.dates, ",")]
			base := fmt.Sprintf("%s-%02d%02d", st.slot.schedule, st.slot.depSecs/3600, st.slot.depSecs/60%60)
			if taken[base]++; taken[base] > 1 {
				base += "-" + strconv.Itoa(taken[base])
			}
			st.id = base
		}
		i = j
	}
	return out
}

// gtfsCalendar is a service as calendar.txt and calendar_dates.txt say it.
type gtfsCalendar struct {
	days           [7]bool // by time.Weekday
	start, end     string
	added, removed []string
}

func (c gtfsCalendar) any() bool { return slices.Contains(c.days[:], true) }

// inferCalendar finds the weekly pattern of a set of dates (YYYYMMDD,
// ascending, not empty): a weekday belongs to it when more than half of
// its occurrences between the first and the last date have service. The
// dates the pattern gets wrong become exceptions.
func inferCalendar(dates []string) gtfsCalendar {
	have := make(map[string]bool, len(dates))
	for _, d := range dates {
		have[d] = true
	}
	start, _ := time.ParseInLocation("20060102", dates[0], wib)
	end, _ := time.ParseInLocation("20060102", dates[len(dates)-1], wib)
	c := gtfsCalendar{start: dates[0], end: dates[len(dates)-1]}
	var possible, present [7]int
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		possible[d.Weekday()]++
		if have[d.Format("20060102")] {
			present[d.Weekday()]++
		}
	}
	for w := range c.days {
		c.days[w] = present[w]*2 > possible[w]
	}
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		k := d.Format("20060102")
		switch on := c.days[d.Weekday()]; {
		case on && !have[k]:
			c.removed = append(c.removed, k)
		case !on && have[k]:
			c.added = append(c.added, k)
		}
	}
	return c
}

// stopOffsets spreads a trip's duration over its route's stops by the
// great-circle distance between them (evenly when the stops coincide).
// Offsets are whole seconds, never decreasing, the last one the duration.
func stopOffsets(r *Route, dur int) []int {
	cum := make([]float64, len(r.Stops))
	for i := 1; i < len(r.Stops); i++ {
		cum[i] = cum[i-1] + distanceM(r.Stops[i-1].Stop.Location, r.Stops[i].Stop.Location)
	}
	total := cum[len(cum)-1]
	out := make([]int, len(cum))
	for i := range cum {
		frac := float64(i) / float64(len(cum)-1)
		if total > 0 {
			frac = cum[i] / total
		}
		out[i] = int(math.Floor(frac * float64(dur)))
	}
	out[len(out)-1] = dur
	return out
}

// gtfsTime is seconds after midnight of the service date as H:MM:SS; a
// trip running past midnight goes on counting (24:30:00).
func gtfsTime(secs int) string {
	return fmt.Sprintf("%02d:%02d:%02d", secs/3600, secs/60%60, secs%60)
}

// routeType maps a mode to a GTFS route type. Basic types where one fits,
// since every consumer knows them: the Jaladara runs on a railway line
// between two stations (2, rail); the double-decker, the city buses and
// the electric tourist cars are road vehicles on fixed loops (3, bus). The
// andong has no basic type; the extended type 1702 (horse-drawn carriage)
// says exactly what it is. Modes added later are matched by their code.
func routeType(mode string) int {
	switch c := strings.ToLower(mode); {
	case c == "andong" || strings.Contains(c, "horse") || strings.Contains(c, "carriage") || strings.Contains(c, "delman"):
		return 1702
	case strings.Contains(c, "train") || strings.Contains(c, "rail"):
		return 2
	case strings.Contains(c, "tram"):
		return 0
	case strings.Contains(c, "boat") || strings.Contains(c, "ferry"):
		return 4
	}
	return 3
}

// routeFare is the fare most of a route's trips charge (the lower on a
// tie), else the mode's adult fare, else its first.
func routeFare(trips map[int64]int, m Mode) (int64, bool) {
	best, bestN := int64(0), 0
	for fare, n := range trips {
		if n > bestN || (n == bestN && fare < best) {
			best, bestN = fare, n
		}
	}
	if bestN > 0 {
		return best, true
	}
	for _, f := range m.Fares {
		if f.Category == Adult {
			return f.AmountIDR, true
		}
	}
	if len(m.Fares) > 0 {
		return m.Fares[0].AmountIDR, true
	}
	return 0, false
}

func coord(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// gtfsText puts a text on one line: GTFS fields should hold no line breaks
// or tabs. Commas and quotes are encoding/csv's to quote.
func gtfsText(s string) string { return strings.Join(strings.Fields(s), " ") }

// gtfsZip writes CSV files into a zip; the first error sticks. Every entry
// carries the same time, so the same data gives the same bytes.
type gtfsZip struct {
	zw       *zip.Writer
	modified time.Time
	hash     hash.Hash // of every file's name and contents
	err      error
}

func (z *gtfsZip) file(name string, header []string, body func(*csv.Writer) error) {
	if z.err != nil {
		return
	}
	var f io.Writer
	f, z.err = z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.modified})
	if z.err != nil {
		return
	}
	io.WriteString(z.hash, name+"\n")
	w := csv.NewWriter(io.MultiWriter(f, z.hash))
	if z.err = w.Write(header); z.err != nil {
		return
	}
	if z.err = body(w); z.err != nil {
		return
	}
	w.Flush()
	z.err = w.Error()
}

// rows writes a file when it has rows; an optional file with a header only
// is left out.
func (z *gtfsZip) rows(name string, header []string, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	z.file(name, header, func(w *csv.Writer) error { return w.WriteAll(rows) })
}
