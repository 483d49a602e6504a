package holiday_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/pkg/civil"
)

type list struct {
	Year int `json:"year"`
	Data []struct {
		Date   string `json:"date"`
		Kind   string `json:"kind"`
		Name   any    `json:"name"`
		Source string `json:"source"`
	} `json:"data"`
}

func date(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The decreed calendar is there at start, in both languages, cacheable.
func TestReferenceCalendarIsLoaded(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	ref, err := holiday.ReferenceRows()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, h := range ref {
		if h.Date.Year == 2026 {
			want++
		}
	}
	var l list
	r := api.Get("/api/v1/calendar/holidays?year=2026&lang=en", apitest.Anonymous).Expect(http.StatusOK)
	r.JSON(&l)
	if l.Year != 2026 || len(l.Data) != want || want < 20 {
		t.Fatalf("2026: %d dates, want %d", len(l.Data), want)
	}
	last := l.Data[len(l.Data)-1]
	if last.Date != "2026-12-25" || last.Kind != "holiday" || last.Name != "Christmas Day" {
		t.Fatalf("last of 2026: %+v", last)
	}
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/calendar/holidays?year=2026&lang=en",
		Header: map[string]string{"If-None-Match": r.Header.Get("ETag")}}).Expect(http.StatusNotModified)
	api.Get("/api/v1/calendar/holidays?year=2026&lang=all", apitest.Anonymous).Expect(http.StatusOK).JSON(&l)
	if name, ok := l.Data[0].Name.(map[string]any); !ok || name["id"] != "Tahun Baru 2026 Masehi" {
		t.Fatalf("lang=all name %v", l.Data[0].Name)
	}
	// Without ?year: this year in Solo, where 17:30 UTC on New Year's Eve is already the next year.
	api.App.Holidays.SetClock(func() time.Time { return time.Date(2025, 12, 31, 17, 30, 0, 0, time.UTC) })
	api.Get("/api/v1/calendar/holidays", apitest.Anonymous).Expect(http.StatusOK).JSON(&l)
	if l.Year != 2026 || len(l.Data) != want {
		t.Fatalf("default year %d with %d dates, want 2026", l.Year, len(l.Data))
	}
	api.Get("/api/v1/calendar/holidays?year=2027", apitest.Anonymous).Expect(http.StatusOK).JSON(&l)
	if len(l.Data) != 0 {
		t.Fatalf("2027 is not decreed, got %d dates", len(l.Data))
	}
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/calendar/holidays?year=1999", Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	// Loading again (another start) adds nothing.
	if n, err := api.App.Holidays.LoadReference(context.Background()); err != nil || n != 0 {
		t.Fatalf("second load: %d, %v", n, err)
	}
}

// Staff of any department keep the calendar; others may not; a date staff
// removed stays removed when the reference is loaded again.
func TestHolidayWritesAllowedAndDenied(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	body := map[string]any{"kind": "holiday", "name": map[string]string{"id": "Tahun Baru 2027 Masehi", "en": "New Year's Day"}}
	path := "/api/v1/calendar/holidays/2027-01-01"
	api.Send(http.MethodPut, path, body, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Send(http.MethodPut, path, body, api.User("sari")).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Send(http.MethodPut, path, body, api.Staff(identity.DeptLicensing)).Expect(http.StatusCreated)
	body["kind"] = "cuti_bersama"
	api.Send(http.MethodPut, path, body, api.Staff(identity.DeptTransport)).Expect(http.StatusOK)
	api.Send(http.MethodPut, path, map[string]any{"kind": "festival", "name": map[string]string{"id": "x"}}, api.Admin()).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	api.Send(http.MethodPut, path, map[string]any{"kind": "holiday", "name": map[string]string{"id": " "}}, api.Admin()).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	api.Do(apitest.Req{Method: http.MethodPut, Path: "/api/v1/calendar/holidays/2027-02-30", Body: body, As: api.Admin(), Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	var l list
	api.Get("/api/v1/calendar/holidays?year=2027", apitest.Anonymous).Expect(http.StatusOK).JSON(&l)
	if len(l.Data) != 1 || l.Data[0].Kind != "cuti_bersama" || l.Data[0].Source != "staff" {
		t.Fatalf("2027 after staff edits: %+v", l.Data)
	}

	// Removing a decreed date: denied to users, allowed to any staff, and
	// not undone by the next start.
	del := "/api/v1/calendar/holidays/2026-12-24"
	api.Send(http.MethodDelete, del, nil, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Send(http.MethodDelete, del, nil, api.User("budi")).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Send(http.MethodDelete, del, nil, api.Staff(identity.DeptRevenue)).Expect(http.StatusNoContent)
	api.Send(http.MethodDelete, del, nil, api.Staff(identity.DeptRevenue)).ExpectProblem(http.StatusNotFound, "not_found")
	if _, err := api.App.Holidays.LoadReference(context.Background()); err != nil {
		t.Fatal(err)
	}
	ok, err := api.App.Holidays.IsWorkingDay(context.Background(), date(t, "2026-12-24"))
	if err != nil || !ok {
		t.Fatalf("2026-12-24 after removal: working %v, %v", ok, err)
	}
	// PUT brings a removed date back (201: it was not a holiday).
	api.Send(http.MethodPut, del, map[string]any{"kind": "cuti_bersama", "name": map[string]string{"id": "Cuti Bersama Natal"}},
		api.Staff(identity.DeptTourism)).Expect(http.StatusCreated)
	var audits int64
	api.DB.Raw("SELECT count(*) FROM audit_log WHERE entity = 'holiday'").Scan(&audits)
	if audits != 4 {
		t.Fatalf("%d audit entries for holiday writes, want 4", audits)
	}
}

// Working days in Asia/Jakarta skip weekends, holidays and cuti bersama,
// across Lebaran and the year end, and follow what staff add.
func TestWorkingDays(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	cal := api.App.Holidays
	ctx := context.Background()
	for _, c := range []struct {
		start string
		n     int
		want  string
	}{
		{"2026-12-07", 0, "2026-12-07"},
		{"2026-12-07", 1, "2026-12-08"},
		{"2026-12-04", 1, "2026-12-07"},  // Friday → Monday
		{"2025-12-24", 1, "2025-12-29"},  // Christmas, its cuti bersama, the weekend
		{"2026-12-23", 1, "2026-12-28"},  // cuti bersama 24th, Christmas 25th, weekend
		{"2026-12-23", 4, "2026-12-31"},  // the last working day of 2026
		{"2026-12-23", 5, "2027-01-01"},  // 2027 not decreed: New Year's Day still a working day
		{"2026-03-17", 1, "2026-03-25"},  // Nyepi and Lebaran 2026: 18th to 24th off
		{"2026-03-13", 10, "2026-04-06"}, // ten working days across Lebaran and Good Friday
	} {
		got, err := cal.AddWorkingDays(ctx, date(t, c.start), c.n)
		if err != nil || got.String() != c.want {
			t.Errorf("%s + %d working days = %s (%v), want %s", c.start, c.n, got, err, c.want)
		}
	}
	for d, want := range map[string]bool{"2026-12-24": false, "2026-12-25": false, "2026-12-26": false, "2026-12-28": true, "2026-08-17": false} {
		if got, err := cal.IsWorkingDay(ctx, date(t, d)); err != nil || got != want {
			t.Errorf("IsWorkingDay(%s) = %v, %v", d, got, err)
		}
	}
	// Staff decree New Year's Day 2027: the SLA moves to Monday.
	api.Send(http.MethodPut, "/api/v1/calendar/holidays/2027-01-01",
		map[string]any{"kind": "holiday", "name": map[string]string{"id": "Tahun Baru 2027 Masehi"}}, api.Admin()).Expect(http.StatusCreated)
	if got, _ := cal.AddWorkingDays(ctx, date(t, "2026-12-23"), 5); got.String() != "2027-01-04" {
		t.Errorf("after 2027-01-01 is decreed: %s", got)
	}
	hs, err := cal.Between(ctx, date(t, "2026-12-20"), date(t, "2027-01-02"))
	if err != nil || len(hs) != 3 || hs[date(t, "2026-12-24")].Kind != holiday.CutiBersama {
		t.Fatalf("Between: %v %v", hs, err)
	}
	if got := holiday.DateIn(time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC)).String(); got != "2027-01-01" {
		t.Errorf("17:30 UTC on 31 December is %s in Solo", got)
	}
}

// A range loaded once answers many due dates and pauses without queries.
func TestDaysInMemory(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	ctx := context.Background()
	days, err := api.App.Holidays.Days(ctx, date(t, "2026-12-01"), date(t, "2027-01-31"))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := days.AddWorkingDays(date(t, "2026-12-23"), 4); !ok || got.String() != "2026-12-31" {
		t.Errorf("AddWorkingDays: %s %v", got, ok)
	}
	if _, ok := days.AddWorkingDays(date(t, "2027-01-20"), 30); ok {
		t.Error("a due date beyond the range must say so")
	}
	// 21–31 December 2026: 11 days, 4 weekend days, cuti bersama and Christmas.
	if n := days.WorkingDaysBetween(date(t, "2026-12-20"), date(t, "2026-12-31")); n != 7 {
		t.Errorf("working days 21–31 December: %d, want 7", n)
	}
	if n := days.WorkingDaysBetween(date(t, "2026-12-31"), date(t, "2026-12-20")); n != 0 {
		t.Errorf("backwards range: %d", n)
	}
	if h, ok := days.Holiday(date(t, "2026-12-25")); !ok || h.Name.EN != "Christmas Day" {
		t.Errorf("Holiday(25 December) = %+v %v", h, ok)
	}
	for from, to := range map[string]string{"2026-12-01": "2026-11-30"} {
		if _, err := api.App.Holidays.Days(ctx, date(t, from), date(t, to)); err == nil {
			t.Error("a backwards range loads")
		}
	}
}
