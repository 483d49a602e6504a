package transport_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

var wib = time.FixedZone("WIB", 7*3600)

// at is a fixed instant in Asia/Jakarta.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, wib) }

// frozen moves the transport clock to now.
func (w *world) frozen(now time.Time) { w.api.App.Transport.SetClock(func() time.Time { return now }) }

type scheduleOut struct {
	ID            string   `json:"id"`
	Weekdays      []int    `json:"weekdays"`
	Departures    []string `json:"departures"`
	Holidays      string   `json:"holidays"`
	MinPassengers int      `json:"min_passengers"`
	ConfirmCutoff *struct {
		DaysBefore int    `json:"days_before"`
		Time       string `json:"time"`
	} `json:"confirm_cutoff"`
}

type generated struct {
	Created  int `json:"created"`
	Existing int `json:"existing"`
}

type schedTrip struct {
	ID            string     `json:"id"`
	DepartsAt     time.Time  `json:"departs_at"`
	ArrivesAt     time.Time  `json:"arrives_at"`
	Capacity      int        `json:"capacity"`
	Seats         int        `json:"seats_available"`
	FareIDR       int64      `json:"fare_idr"`
	ScheduleID    *string    `json:"schedule_id"`
	MinPassengers int        `json:"min_passengers"`
	ConfirmBy     *time.Time `json:"confirm_by"`
	Confirmed     bool       `json:"confirmed"`
}

// weekend is a Werkudara-like schedule body on w.route.
func (w *world) weekend(extra map[string]any) map[string]any {
	b := map[string]any{"route_id": w.route, "weekdays": []int{0, 6}, "departures": []string{"15:00", "09:00", "12:00"},
		"duration_min": 120, "capacity": 43, "fare_idr": 20000, "valid_from": "2026-12-01", "valid_until": "2027-06-30",
		"holidays": "add"}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func (w *world) schedule(t *testing.T, body map[string]any) scheduleOut {
	t.Helper()
	var out scheduleOut
	w.api.Send(http.MethodPost, "/api/v1/transport/schedules", body, w.staff).Expect(http.StatusCreated).JSON(&out)
	return out
}

func (w *world) generate(t *testing.T, id, from, to string) generated {
	t.Helper()
	var g generated
	w.api.Send(http.MethodPost, "/api/v1/transport/schedules/"+id+"/generate", map[string]string{"from": from, "to": to}, w.staff).
		Expect(http.StatusOK).JSON(&g)
	return g
}

func (w *world) tripsOn(t *testing.T, date string) []schedTrip {
	t.Helper()
	var page struct{ Data []schedTrip }
	w.api.Get("/api/v1/transport/trips?limit=100&route_id="+w.route+"&date="+date, apitest.Anonymous).Expect(http.StatusOK).JSON(&page)
	return page.Data
}

// Anyone reads schedules; only transport staff and admins write them.
func TestScheduleAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.frozen(at(2026, 12, 5, 10, 0))
	api := w.api
	body := w.weekend(nil)
	for _, c := range []struct {
		as   apitest.Actor
		code int
	}{{apitest.Anonymous, 401}, {api.User("sari"), 403}, {api.Staff(identity.DeptTourism), 403}} {
		api.Send(http.MethodPost, "/api/v1/transport/schedules", body, c.as).Expect(c.code)
	}
	s := w.schedule(t, body)
	if s.Holidays != "add" || fmt.Sprint(s.Departures) != "[09:00 12:00 15:00]" || fmt.Sprint(s.Weekdays) != "[0 6]" {
		t.Fatalf("schedule %+v", s)
	}
	api.Send(http.MethodPost, "/api/v1/transport/schedules", body, api.Admin()).Expect(http.StatusCreated)
	path := "/api/v1/transport/schedules/" + s.ID
	gen := map[string]string{"from": "2026-12-07", "to": "2026-12-13"}
	for _, as := range []apitest.Actor{apitest.Anonymous, api.User("budi"), api.Staff(identity.DeptRevenue)} {
		want := 403
		if as.Token == "" {
			want = 401
		}
		api.Send(http.MethodPatch, path, map[string]any{"capacity": 50}, as).Expect(want)
		api.Send(http.MethodPost, path+"/generate", gen, as).Expect(want)
		api.Send(http.MethodDelete, path, nil, as).Expect(want)
	}
	api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
	if all := api.All("/api/v1/transport/schedules?limit=1&route_id="+w.route, apitest.Anonymous); len(all) != 2 {
		t.Fatalf("%d schedules of the route, want 2", len(all))
	}
	var patched scheduleOut
	api.Send(http.MethodPatch, path, map[string]any{"min_passengers": 15, "confirm_cutoff": map[string]any{"days_before": 1, "time": "18:00"}},
		w.staff).Expect(http.StatusOK).JSON(&patched)
	if patched.MinPassengers != 15 || patched.ConfirmCutoff == nil || patched.ConfirmCutoff.Time != "18:00" {
		t.Fatalf("patched %+v", patched)
	}
	w.generate(t, s.ID, "2026-12-07", "2026-12-13")
	api.Send(http.MethodDelete, path, nil, w.staff).ExpectProblem(http.StatusConflict, "in_use")
	var other scheduleOut
	api.Send(http.MethodPost, "/api/v1/transport/schedules", body, w.staff).Expect(http.StatusCreated).JSON(&other)
	api.Send(http.MethodDelete, "/api/v1/transport/schedules/"+other.ID, nil, w.staff).Expect(http.StatusNoContent)
	api.Get("/api/v1/transport/schedules/"+other.ID, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	// A route with a schedule is not deleted from under it.
	bare := w.newRoute(t, "steam_train", w.stops)
	var onBare scheduleOut
	api.Send(http.MethodPost, "/api/v1/transport/schedules", w.weekend(map[string]any{"route_id": bare}), w.staff).
		Expect(http.StatusCreated).JSON(&onBare)
	api.Send(http.MethodDelete, "/api/v1/transport/routes/"+bare, nil, w.staff).ExpectProblem(http.StatusConflict, "in_use")
	api.Send(http.MethodDelete, "/api/v1/transport/schedules/"+onBare.ID, nil, w.staff).Expect(http.StatusNoContent)
	api.Send(http.MethodDelete, "/api/v1/transport/routes/"+bare, nil, w.staff).Expect(http.StatusNoContent)
	if n := count(t, api, "SELECT count(*) FROM audit_log WHERE entity = 'transport_schedule'"); n != 8 {
		t.Fatalf("%d schedule audit entries, want 8 (4 creates, update, generate, 2 deletes)", n)
	}
}

// Schedules that break their rules are refused with the field named, and
// nothing is stored.
func TestScheduleValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.frozen(at(2026, 12, 5, 10, 0))
	for name, extra := range map[string]map[string]any{
		"unknown route":        {"route_id": "0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"},
		"weekday 7":            {"weekdays": []int{7}},
		"twice the same time":  {"departures": []string{"09:00", "09:00"}},
		"bad time":             {"departures": []string{"9:00"}},
		"until before from":    {"valid_until": "2026-11-30"},
		"three years":          {"valid_until": "2029-12-31"},
		"no day at all":        {"weekdays": []int{}, "holidays": "skip"},
		"minimum, no cutoff":   {"min_passengers": 15},
		"minimum over seats":   {"min_passengers": 44, "confirm_cutoff": map[string]any{"days_before": 1, "time": "18:00"}},
		"cutoff after leaving": {"min_passengers": 5, "confirm_cutoff": map[string]any{"days_before": 0, "time": "10:00"}},
		"bad policy":           {"holidays": "sometimes"},
		"exception twice":      {"exceptions": []map[string]string{{"date": "2026-12-31", "type": "added"}, {"date": "2026-12-31", "type": "removed"}}},
		"zero duration":        {"duration_min": 0},
	} {
		// Some rules are in the API description (the request is invalid by
		// it), the others only the service knows.
		invalid := name == "weekday 7" || name == "bad time" || name == "bad policy" || name == "zero duration"
		r := w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/transport/schedules", Body: w.weekend(extra), As: w.staff, Invalid: invalid})
		if r.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, body %s", name, r.Code, r.Body)
		}
	}
	missing := w.weekend(nil)
	delete(missing, "departures")
	w.api.Send(http.MethodPost, "/api/v1/transport/schedules", missing, w.staff).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	if n := count(t, w.api, "SELECT count(*) FROM transport_schedules"); n != 0 {
		t.Fatalf("%d schedules stored", n)
	}
	s := w.schedule(t, w.weekend(nil))
	for name, body := range map[string]map[string]string{
		"to before from": {"from": "2026-12-10", "to": "2026-12-09"},
		"over 120 days":  {"from": "2026-12-10", "to": "2027-04-09"},
		"not a date":     {"from": "2026-12-10", "to": "2026-12-32"},
	} {
		r := w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/transport/schedules/" + s.ID + "/generate", Body: body, As: w.staff, Invalid: name == "not a date"})
		if r.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, body %s", name, r.Code, r.Body)
		}
	}
	if n := count(t, w.api, "SELECT count(*) FROM transport_trips"); n != 0 {
		t.Fatalf("%d trips made by refused generations", n)
	}
}

// Generating twice creates nothing new; weekends and national holidays
// (but not cuti bersama) get the three departures.
func TestGenerateIsIdempotentAndAddsHolidays(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.frozen(at(2026, 12, 5, 10, 0))
	s := w.schedule(t, w.weekend(nil))
	// 7 Dec 2026 – 31 Jan 2027: 16 weekend days and Christmas (a Friday);
	// 24 December is cuti bersama, which this schedule does not count.
	if g := w.generate(t, s.ID, "2026-12-07", "2027-01-31"); g.Created != 51 || g.Existing != 0 {
		t.Fatalf("first generation %+v, want 51 created", g)
	}
	if g := w.generate(t, s.ID, "2026-12-07", "2027-01-31"); g.Created != 0 || g.Existing != 51 {
		t.Fatalf("second generation %+v, want 0 created, 51 existing", g)
	}
	if g := w.generate(t, s.ID, "2027-01-25", "2027-02-07"); g.Created != 6 || g.Existing != 6 {
		t.Fatalf("overlapping generation %+v, want 6 created, 6 existing", g)
	}
	if n := count(t, w.api, "SELECT count(*) FROM transport_trips"); n != 57 {
		t.Fatalf("%d trips, want 57", n)
	}
	if got := w.tripsOn(t, "2026-12-24"); len(got) != 0 {
		t.Fatalf("%d trips on cuti bersama 24 December", len(got))
	}
	xmas := w.tripsOn(t, "2026-12-25")
	if len(xmas) != 3 || !xmas[0].DepartsAt.Equal(at(2026, 12, 25, 9, 0)) || xmas[0].ScheduleID == nil || *xmas[0].ScheduleID != s.ID ||
		xmas[0].Capacity != 43 || xmas[0].Seats != 43 || xmas[0].FareIDR != 20000 || !xmas[0].ArrivesAt.Equal(at(2026, 12, 25, 11, 0)) {
		t.Fatalf("Christmas trips %+v", xmas)
	}
	// Counting cuti bersama adds the 24th on the next generation.
	w.api.Send(http.MethodPatch, "/api/v1/transport/schedules/"+s.ID, map[string]any{"with_cuti_bersama": true}, w.staff).Expect(http.StatusOK)
	if g := w.generate(t, s.ID, "2026-12-20", "2026-12-27"); g.Created != 3 || g.Existing != 12 {
		t.Fatalf("with cuti bersama %+v, want 3 created, 12 existing", g)
	}
}

// A daily service that skips holidays, with dated exceptions winning over
// both the weekdays and the holiday policy.
func TestHolidaySkipAndExceptions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.frozen(at(2026, 12, 5, 10, 0))
	s := w.schedule(t, w.weekend(map[string]any{"weekdays": []int{0, 1, 2, 3, 4, 5, 6}, "departures": []string{"07:00"},
		"holidays": "skip", "with_cuti_bersama": true, "exceptions": []map[string]string{
			{"date": "2026-12-31", "type": "removed"}, {"date": "2026-12-25", "type": "added"}}}))
	// 20–31 December: 12 days, less the 24th (cuti bersama) and the 31st
	// (removed); the 25th is a holiday but added by its exception.
	if g := w.generate(t, s.ID, "2026-12-20", "2026-12-31"); g.Created != 10 {
		t.Fatalf("%+v, want 10 created", g)
	}
	for date, want := range map[string]int{"2026-12-24": 0, "2026-12-25": 1, "2026-12-31": 0, "2026-12-30": 1} {
		if got := len(w.tripsOn(t, date)); got != want {
			t.Errorf("%s: %d trips, want %d", date, got, want)
		}
	}
	// Outside its validity a schedule makes nothing.
	w.api.Send(http.MethodPatch, "/api/v1/transport/schedules/"+s.ID, map[string]any{"valid_until": "2027-01-05"}, w.staff).Expect(http.StatusOK)
	if g := w.generate(t, s.ID, "2027-01-01", "2027-01-31"); g.Created != 5 {
		t.Fatalf("%+v, want 5 created (1–5 January)", g)
	}
}

// Departure times are Asia/Jakarta wall times: 23:30 WIB is 16:30 UTC the
// same day, and the trip is listed on its WIB date.
func TestGeneratedTimesAreJakartaTimes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.frozen(at(2026, 12, 5, 10, 0))
	s := w.schedule(t, w.weekend(map[string]any{"weekdays": []int{4}, "departures": []string{"23:30"}, "duration_min": 60}))
	if g := w.generate(t, s.ID, "2026-12-10", "2026-12-10"); g.Created != 1 {
		t.Fatalf("%+v", g)
	}
	trips := w.tripsOn(t, "2026-12-10")
	if len(trips) != 1 {
		t.Fatalf("%d trips on 10 December", len(trips))
	}
	if want := time.Date(2026, 12, 10, 16, 30, 0, 0, time.UTC); !trips[0].DepartsAt.Equal(want) {
		t.Fatalf("departs %v, want %v", trips[0].DepartsAt.UTC(), want)
	}
	if !trips[0].ArrivesAt.Equal(at(2026, 12, 11, 0, 30)) {
		t.Fatalf("arrives %v", trips[0].ArrivesAt)
	}
	if len(w.tripsOn(t, "2026-12-11")) != 0 {
		t.Fatal("the 23:30 trip is listed on the next day")
	}
	var stored int64
	w.api.DB.Raw("SELECT count(*) FROM transport_trips WHERE departs_at = ?", time.Date(2026, 12, 10, 16, 30, 0, 0, time.UTC)).Scan(&stored)
	if stored != 1 {
		t.Fatal("the stored instant is not 16:30 UTC")
	}
}

// A trip gets confirm_by only when its cutoff is still ahead; departures
// already past are not generated; one-off trips never have a cutoff.
func TestPastCutoffLeavesConfirmByNull(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Friday 11 December 2026, 19:00 WIB: Saturday's cutoff (18:00) has passed.
	w.frozen(at(2026, 12, 11, 19, 0))
	s := w.schedule(t, w.weekend(map[string]any{"weekdays": []int{6}, "holidays": "as_usual", "min_passengers": 15,
		"confirm_cutoff": map[string]any{"days_before": 1, "time": "18:00"}}))
	if g := w.generate(t, s.ID, "2026-12-05", "2026-12-19"); g.Created != 6 {
		t.Fatalf("%+v, want 6: the 5 December trips have left", g)
	}
	for _, tr := range w.tripsOn(t, "2026-12-12") {
		if tr.ConfirmBy != nil || tr.MinPassengers != 15 || tr.Confirmed {
			t.Fatalf("12 December trip %+v: its cutoff had passed, confirm_by must be null", tr)
		}
	}
	for _, tr := range w.tripsOn(t, "2026-12-19") {
		if tr.ConfirmBy == nil || !tr.ConfirmBy.Equal(at(2026, 12, 18, 18, 0)) || tr.MinPassengers != 15 {
			t.Fatalf("19 December trip %+v: confirm_by must be 18 December 18:00 WIB", tr)
		}
		if _, off := tr.ConfirmBy.Zone(); off != 7*3600 {
			t.Fatalf("confirm_by not written in WIB: %v", tr.ConfirmBy)
		}
	}
	w.frozen(time.Now())
	var oneOff schedTrip
	w.api.Get("/api/v1/transport/trips/"+w.trip(t, w.route, 48*time.Hour, 20), apitest.Anonymous).Expect(http.StatusOK).JSON(&oneOff)
	if oneOff.ScheduleID != nil || oneOff.ConfirmBy != nil || oneOff.MinPassengers != 0 || oneOff.Confirmed {
		t.Fatalf("one-off trip %+v", oneOff)
	}
}

// Staff change a trip's time, seats and fare; capacity never goes below
// the seats booked, a new fare leaves bookings as paid, and owners hear of
// a new time once per time.
func TestChangeTrip(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	api := w.api
	id := w.trip(t, w.route, 72*time.Hour, 10)
	path := "/api/v1/transport/trips/" + id
	sari := api.User("sari")
	w.book(id, 4, sari, "").Expect(http.StatusCreated)
	w.book(id, 3, api.User("budi"), "").Expect(http.StatusCreated)

	api.Send(http.MethodPatch, path, map[string]any{"capacity": 6}, w.staff).ExpectProblem(http.StatusConflict, "capacity_below_booked")
	var tr schedTrip
	api.Send(http.MethodPatch, path, map[string]any{"capacity": 7}, w.staff).Expect(http.StatusOK).JSON(&tr)
	if tr.Capacity != 7 || tr.Seats != 0 {
		t.Fatalf("capacity 7: %+v", tr)
	}
	w.book(id, 1, sari, "").ExpectProblem(http.StatusConflict, "insufficient_seats")
	api.Send(http.MethodPatch, path, map[string]any{"capacity": 20, "fare_idr": 75000}, w.staff).Expect(http.StatusOK).JSON(&tr)
	if tr.Capacity != 20 || tr.Seats != 13 || tr.FareIDR != 75000 {
		t.Fatalf("capacity 20: %+v", tr)
	}
	var b booking
	w.book(id, 1, sari, "").Expect(http.StatusCreated).JSON(&b)
	if b.TotalIDR != 75000 {
		t.Fatalf("new booking total %d", b.TotalIDR)
	}
	if n := count(t, api, "SELECT count(*) FROM transport_bookings WHERE trip_id = ? AND total_idr = 200000", id); n != 1 {
		t.Fatal("the first booking's total changed with the fare")
	}

	// A new time: kept length, owners told once per new time.
	newDep := time.Now().Add(96 * time.Hour).Truncate(time.Minute)
	api.Send(http.MethodPatch, path, map[string]any{"departs_at": newDep.Format(time.RFC3339)}, w.staff).Expect(http.StatusOK).JSON(&tr)
	if !tr.DepartsAt.Equal(newDep) || tr.ArrivesAt.Sub(tr.DepartsAt) != 3*time.Hour {
		t.Fatalf("moved trip %+v", tr)
	}
	api.Send(http.MethodPatch, path, map[string]any{"departs_at": newDep.Format(time.RFC3339)}, w.staff).Expect(http.StatusOK)
	if n := w.notifications(t, sari, "trip_rescheduled"); n != 1 {
		t.Fatalf("sari has %d reschedule notices, want 1", n)
	}
	api.Send(http.MethodPatch, path, map[string]any{"departs_at": newDep.Add(time.Hour).Format(time.RFC3339)}, w.staff).Expect(http.StatusOK)
	if n := w.notifications(t, sari, "trip_rescheduled"); n != 2 {
		t.Fatalf("sari has %d reschedule notices after a second move, want 2", n)
	}

	// Refusals change nothing.
	for name, body := range map[string]map[string]any{
		"into the past":         {"departs_at": time.Now().Add(-time.Hour).Format(time.RFC3339)},
		"arrives before":        {"arrives_at": time.Now().Add(time.Hour).Format(time.RFC3339)},
		"cancel with a change":  {"status": "cancelled", "capacity": 30},
		"nothing":               {},
		"capacity over the cap": {"capacity": 5000},
	} {
		r := api.Do(apitest.Req{Method: http.MethodPatch, Path: path, Body: body, As: w.staff, Invalid: name == "capacity over the cap"})
		if r.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", name, r.Code, r.Body)
		}
	}
	api.Send(http.MethodPatch, path, map[string]any{"capacity": 30}, sari).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Send(http.MethodPatch, path, map[string]any{"capacity": 30}, api.Staff(identity.DeptTourism)).ExpectProblem(http.StatusForbidden, "forbidden")
	if got := w.seats(t, id); got.Capacity != 20 {
		t.Fatalf("capacity after refusals %d", got.Capacity)
	}
	if n := count(t, api, "SELECT count(*) FROM audit_log WHERE action = 'transport_trip.update' AND entity_id = ?", id); n != 5 {
		t.Fatalf("%d trip updates audited, want 5", n)
	}

	// Cancelled and departed trips are not changed.
	api.Send(http.MethodPatch, path, map[string]any{"status": "cancelled"}, w.staff).Expect(http.StatusOK)
	api.Send(http.MethodPatch, path, map[string]any{"capacity": 30}, w.staff).ExpectProblem(http.StatusConflict, "trip_cancelled")
	other := w.trip(t, w.route, time.Hour, 10)
	w.frozen(time.Now().Add(2 * time.Hour))
	api.Send(http.MethodPatch, "/api/v1/transport/trips/"+other, map[string]any{"capacity": 30}, w.staff).
		ExpectProblem(http.StatusConflict, "trip_departed")
	_ = context.Background
}

// Generations of one range racing each other (two staff, two replicas)
// make each trip once between them. More of them than the pool has
// connections: on SQLite, a generation that read the holidays outside its
// transaction waited for a connection that the others held while they
// waited for its write lock, and all but one failed at the busy timeout.
func TestConcurrentGenerationsMakeEachTripOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.frozen(at(2026, 12, 5, 10, 0))
	s := w.schedule(t, w.weekend(nil))
	const racers = 12 // more than SQLite's pool of 8 connections
	results := make(chan generated, racers)
	for range racers {
		go func() {
			var g generated
			r := w.api.Send(http.MethodPost, "/api/v1/transport/schedules/"+s.ID+"/generate",
				map[string]string{"from": "2026-12-07", "to": "2027-01-31"}, w.staff)
			if r.Code == http.StatusOK {
				r.JSON(&g)
			} else {
				g.Created = -1000
			}
			results <- g
		}()
	}
	created := 0
	for range racers {
		g := <-results
		if g.Created+g.Existing != 51 {
			t.Errorf("a generation answered %+v", g)
		}
		created += g.Created
	}
	if created != 51 {
		t.Fatalf("%d trips created in all, want 51", created)
	}
	if n := count(t, w.api, "SELECT count(*) FROM transport_trips WHERE schedule_id = ?", s.ID); n != 51 {
		t.Fatalf("%d trips stored, want 51", n)
	}
}

// Moving a generated trip onto another departure of its schedule would
// make two trips of one departure: refused, nothing changes.
func TestMovingOntoASiblingDepartureIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.frozen(at(2026, 12, 5, 10, 0))
	s := w.schedule(t, w.weekend(nil))
	w.generate(t, s.ID, "2026-12-12", "2026-12-12")
	trips := w.tripsOn(t, "2026-12-12")
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+trips[0].ID,
		map[string]any{"departs_at": trips[1].DepartsAt.Format(time.RFC3339)}, w.staff).ExpectProblem(http.StatusConflict, "conflict")
	if got := w.tripsOn(t, "2026-12-12"); !got[0].DepartsAt.Equal(trips[0].DepartsAt) {
		t.Fatal("the refused move changed the trip")
	}
	// Moving a generated trip's departure moves its pending cutoff too.
	w.api.Send(http.MethodPatch, "/api/v1/transport/schedules/"+s.ID, map[string]any{"min_passengers": 15,
		"confirm_cutoff": map[string]any{"days_before": 1, "time": "18:00"}}, w.staff).Expect(http.StatusOK)
	w.generate(t, s.ID, "2026-12-19", "2026-12-19")
	first := w.tripsOn(t, "2026-12-19")[0]
	var moved schedTrip
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+first.ID,
		map[string]any{"departs_at": at(2026, 12, 19, 10, 0).Format(time.RFC3339)}, w.staff).Expect(http.StatusOK).JSON(&moved)
	if moved.ConfirmBy == nil || !moved.ConfirmBy.Equal(at(2026, 12, 18, 19, 0)) {
		t.Fatalf("confirm_by after an hour's move: %v", moved.ConfirmBy)
	}
}
