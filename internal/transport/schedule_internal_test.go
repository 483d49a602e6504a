package transport

import (
	"testing"
	"time"

	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/pkg/civil"
)

func day(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The holiday policy and exceptions become GTFS calendar_dates against the
// weekly pattern; exceptions win over the policy.
func TestCalendarDates(t *testing.T) {
	hs := map[civil.Date]holiday.Holiday{
		day(t, "2026-12-24"): {Date: day(t, "2026-12-24"), Kind: holiday.CutiBersama},
		day(t, "2026-12-25"): {Date: day(t, "2026-12-25"), Kind: holiday.National},
		day(t, "2027-01-02"): {Date: day(t, "2027-01-02"), Kind: holiday.National}, // a Saturday
	}
	weekend := Schedule{Weekdays: []time.Weekday{time.Sunday, time.Saturday}, ValidFrom: day(t, "2026-12-20"),
		ValidUntil: day(t, "2027-01-03")}
	for _, c := range []struct {
		name   string
		policy HolidayPolicy
		cuti   bool
		ex     []Exception
		want   string
	}{
		{"as usual", HolidaysAsUsual, false, nil, "[]"},
		{"add", HolidaysAdd, false, nil, "[{2026-12-25 added}]"},
		{"add with cuti bersama", HolidaysAdd, true, nil, "[{2026-12-24 added} {2026-12-25 added}]"},
		{"skip", HolidaysSkip, false, nil, "[{2027-01-02 removed}]"},
		{"exceptions win", HolidaysAdd, false, []Exception{{day(t, "2026-12-25"), ExceptionRemoved}, {day(t, "2026-12-30"), ExceptionAdded}},
			"[{2026-12-30 added}]"},
	} {
		s := weekend
		s.Holidays, s.WithCutiBersama, s.Exceptions = c.policy, c.cuti, c.ex
		got := "["
		for i, e := range s.CalendarDates(hs) {
			if i > 0 {
				got += " "
			}
			got += "{" + e.Date.String() + " " + string(e.Type) + "}"
		}
		if got += "]"; got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// Outside the validity nothing runs, whatever the exceptions say.
	s := weekend
	s.Exceptions = []Exception{{day(t, "2027-01-10"), ExceptionAdded}}
	if s.RunsOn(day(t, "2027-01-10"), hs) || s.RunsOn(day(t, "2026-12-19"), hs) {
		t.Error("runs outside its validity")
	}
}

// A cutoff the day before at 18:00 WIB is 11:00 UTC; departures are WIB
// wall times on their date.
func TestDeparturesOn(t *testing.T) {
	s := Schedule{Departures: []Clock{{23, 30}}, Duration: time.Hour, MinPassengers: 15,
		ConfirmCutoff: &Cutoff{DaysBefore: 1, Time: Clock{18, 0}}}
	d := s.DeparturesOn(day(t, "2027-01-01"))
	if len(d) != 1 || !d[0].DepartsAt.Equal(time.Date(2027, 1, 1, 16, 30, 0, 0, time.UTC)) ||
		!d[0].ArrivesAt.Equal(time.Date(2027, 1, 1, 17, 30, 0, 0, time.UTC)) ||
		d[0].ConfirmBy == nil || !d[0].ConfirmBy.Equal(time.Date(2026, 12, 31, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("%+v", d)
	}
	s.MinPassengers = 0
	if d := s.DeparturesOn(day(t, "2027-01-01")); d[0].ConfirmBy != nil {
		t.Fatal("a schedule without a minimum has no cutoff")
	}
}
