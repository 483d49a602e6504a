package transport

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/pkg/civil"
)

// Calendar tells which dates are national holidays or cuti bersama
// (*holiday.Service implements it). Schedules skip or add those dates.
type Calendar interface {
	// BetweenWith reads them on db: a transaction reads them on its own
	// connection rather than wait for a second one.
	BetweenWith(ctx context.Context, db *gorm.DB, from, to civil.Date) (map[civil.Date]holiday.Holiday, error)
}

// HolidayPolicy is what a schedule does on a national holiday.
type HolidayPolicy string

const (
	// HolidaysAsUsual runs by the weekdays alone (BST runs every day).
	HolidaysAsUsual HolidayPolicy = "as_usual"
	// HolidaysSkip does not run on a holiday that falls on a service day.
	HolidaysSkip HolidayPolicy = "skip"
	// HolidaysAdd also runs on every holiday (Werkudara: weekends and
	// national holidays).
	HolidaysAdd HolidayPolicy = "add"
)

// Valid reports whether p is a known policy.
func (p HolidayPolicy) Valid() bool {
	return p == HolidaysAsUsual || p == HolidaysSkip || p == HolidaysAdd
}

// ExceptionType is GTFS calendar_dates' exception_type: a date added to or
// removed from the service.
type ExceptionType string

const (
	ExceptionAdded   ExceptionType = "added"
	ExceptionRemoved ExceptionType = "removed"
)

// Exception is a dated change to a schedule; it wins over the weekdays and
// the holiday policy.
type Exception struct {
	Date civil.Date    `json:"date" swaggertype:"string" format:"date" example:"2026-12-31" maxLength:"10"`
	Type ExceptionType `json:"type" enums:"added,removed" swaggertype:"string" example:"added"`
} // @name TransportScheduleException

// Clock is a time of day in Asia/Jakarta, "HH:MM".
type Clock struct{ Hour, Minute int }

func parseClock(s string) (Clock, bool) {
	if len(s) != 5 {
		return Clock{}, false
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return Clock{}, false
	}
	return Clock{t.Hour(), t.Minute()}, true
}

func (c Clock) String() string {
	return time.Date(0, 1, 1, c.Hour, c.Minute, 0, 0, time.UTC).Format("15:04")
}

func (c Clock) minutes() int { return c.Hour*60 + c.Minute }

// Cutoff is when a trip with a minimum ridership is confirmed or cancelled:
// DaysBefore its departure date at Time (WIB). Werkudara: 1 day, 18:00.
type Cutoff struct {
	DaysBefore int
	Time       Clock
}

// Schedule is a weekly timetable of a route.
type Schedule struct {
	ID      uuid.UUID
	RouteID uuid.UUID
	// Weekdays it runs, 0 = Sunday, ascending.
	Weekdays []time.Weekday
	// Departures in Asia/Jakarta, ascending.
	Departures      []Clock
	Duration        time.Duration
	Capacity        int
	FareIDR         int64
	ValidFrom       civil.Date
	ValidUntil      civil.Date
	Holidays        HolidayPolicy
	WithCutiBersama bool // cuti bersama days count as holidays for the policy
	Exceptions      []Exception
	// MinPassengers, when above 0, is checked at the cutoff of each
	// generated trip.
	MinPassengers int
	ConfirmCutoff *Cutoff
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// RunsOn reports whether the schedule serves date d, given the holidays
// around it: an exception decides; else a holiday under skip or add; else
// the weekdays. Dates outside the validity never run.
func (s Schedule) RunsOn(d civil.Date, holidays map[civil.Date]holiday.Holiday) bool {
	if d.Before(s.ValidFrom) || d.After(s.ValidUntil) {
		return false
	}
	for _, e := range s.Exceptions {
		if e.Date == d {
			return e.Type == ExceptionAdded
		}
	}
	weekly := slices.Contains(s.Weekdays, d.Weekday())
	if h, ok := holidays[d]; ok && (h.Kind == holiday.National || s.WithCutiBersama) {
		switch s.Holidays {
		case HolidaysSkip:
			return false
		case HolidaysAdd:
			return true
		}
	}
	return weekly
}

// Departure is one dated departure of a schedule.
type Departure struct {
	DepartsAt, ArrivesAt time.Time
	// ConfirmBy is the cutoff of a schedule with a minimum ridership, nil
	// when it has none.
	ConfirmBy *time.Time
}

// DeparturesOn lists the schedule's departures on d (which must be a
// service day), as instants.
func (s Schedule) DeparturesOn(d civil.Date) []Departure {
	out := make([]Departure, len(s.Departures))
	for i, c := range s.Departures {
		dep := d.At(c.Hour, c.Minute, wib).UTC()
		out[i] = Departure{DepartsAt: dep, ArrivesAt: dep.Add(s.Duration)}
		if s.MinPassengers > 0 && s.ConfirmCutoff != nil {
			by := d.AddDays(-s.ConfirmCutoff.DaysBefore).At(s.ConfirmCutoff.Time.Hour, s.ConfirmCutoff.Time.Minute, wib).UTC()
			out[i].ConfirmBy = &by
		}
	}
	return out
}

// CalendarDates is the schedule as GTFS calendar_dates sees it against its
// weekly pattern (calendar.txt: Weekdays from ValidFrom to ValidUntil):
// every date of the validity where the holiday policy or an exception makes
// it differ, as added or removed, by date. holidays must cover the validity.
func (s Schedule) CalendarDates(holidays map[civil.Date]holiday.Holiday) []Exception {
	var out []Exception
	for d := s.ValidFrom; !d.After(s.ValidUntil); d = d.AddDays(1) {
		weekly, runs := slices.Contains(s.Weekdays, d.Weekday()), s.RunsOn(d, holidays)
		switch {
		case runs && !weekly:
			out = append(out, Exception{Date: d, Type: ExceptionAdded})
		case !runs && weekly:
			out = append(out, Exception{Date: d, Type: ExceptionRemoved})
		}
	}
	return out
}
