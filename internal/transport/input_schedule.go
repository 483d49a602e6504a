package transport

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/pkg/civil"
)

// Schedule limits, also declared in the API description.
const (
	maxDepartures    = 48
	maxExceptions    = 366
	maxDurationMin   = 1440
	maxValidityDays  = 731
	maxCutoffDays    = 30
	maxScheduleRange = "two years"
)

type cutoffRequest struct {
	DaysBefore int    `json:"days_before" minimum:"0" maximum:"30" example:"1" format:"int32"`
	Time       string `json:"time" example:"18:00" maxLength:"5" extensions:"x-pattern=clock"` // Asia/Jakarta
} // @name TransportConfirmCutoff

type exceptionRequest struct {
	Date string `json:"date" format:"date" example:"2026-12-25" maxLength:"10"`
	Type string `json:"type" enums:"added,removed" example:"added"`
} // @name TransportScheduleExceptionRequest

// scheduleRequest is the body of creating (route_id, departures,
// duration_min, capacity, fare_idr, valid_from and valid_until required)
// and changing (absent fields unchanged) a schedule.
type scheduleRequest struct {
	RouteID         *uuid.UUID         `json:"route_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Weekdays        []int              `json:"weekdays" example:"0,6" validate:"max=7" minimum:"0" maximum:"6" format:"int32"` // days of the week it runs, 0 = Sunday
	Departures      []string           `json:"departures" example:"09:00,12:00,15:00" validate:"min=1,max=48" maxLength:"5" extensions:"x-pattern=clock"`
	DurationMin     *int               `json:"duration_min" minimum:"1" maximum:"1440" example:"120" format:"int32"`
	Capacity        *int               `json:"capacity" minimum:"1" maximum:"1000" example:"43" format:"int32"`
	FareIDR         *int64             `json:"fare_idr" minimum:"0" maximum:"100000000" example:"20000" format:"int64"`
	ValidFrom       *string            `json:"valid_from" format:"date" example:"2026-12-01" maxLength:"10"`
	ValidUntil      *string            `json:"valid_until" format:"date" example:"2027-03-31" maxLength:"10"`
	Holidays        *string            `json:"holidays" enums:"as_usual,skip,add" example:"add"`                      // on national holidays: run by the weekdays, not run, or also run
	WithCutiBersama *bool              `json:"with_cuti_bersama" example:"false"`                                     // cuti bersama days count as holidays
	Exceptions      []exceptionRequest `json:"exceptions" validate:"max=366"`                                         // dated additions and removals; they win over weekdays and holidays
	MinPassengers   *int               `json:"min_passengers" minimum:"0" maximum:"1000" example:"15" format:"int32"` // 0: no minimum
	ConfirmCutoff   *cutoffRequest     `json:"confirm_cutoff"`                                                        // required with a minimum
} // @name TransportScheduleRequest

// apply writes the fields sent into sc and reports shape problems; the
// rules that join fields are checked on the result by checkSchedule.
func (r *scheduleRequest) apply(sc *Schedule, create bool) problems {
	p := problems{}
	req := func(field string, absent bool) {
		if create && absent {
			p.add(field, "is required")
		}
	}
	req("route_id", r.RouteID == nil)
	req("departures", r.Departures == nil)
	req("duration_min", r.DurationMin == nil)
	req("capacity", r.Capacity == nil)
	req("fare_idr", r.FareIDR == nil)
	req("valid_from", r.ValidFrom == nil)
	req("valid_until", r.ValidUntil == nil)
	if r.RouteID != nil {
		sc.RouteID = *r.RouteID
	}
	if r.Weekdays != nil {
		sc.Weekdays = []time.Weekday{}
		for _, d := range r.Weekdays {
			if d < 0 || d > 6 || slices.Contains(sc.Weekdays, time.Weekday(d)) {
				p.add("weekdays", "lists distinct days 0..6 (0 = Sunday)")
				continue
			}
			sc.Weekdays = append(sc.Weekdays, time.Weekday(d))
		}
		slices.Sort(sc.Weekdays)
	}
	if r.Departures != nil {
		sc.Departures = []Clock{}
		if len(r.Departures) < 1 || len(r.Departures) > maxDepartures {
			p.add("departures", "lists 1 to 48 times")
		}
		for _, s := range r.Departures {
			c, ok := parseClock(s)
			if !ok || slices.Contains(sc.Departures, c) {
				p.add("departures", `lists distinct times "HH:MM" (Asia/Jakarta)`)
				continue
			}
			sc.Departures = append(sc.Departures, c)
		}
		slices.SortFunc(sc.Departures, func(a, b Clock) int { return a.minutes() - b.minutes() })
	}
	if r.DurationMin != nil {
		if *r.DurationMin < 1 || *r.DurationMin > maxDurationMin {
			p.add("duration_min", "must be 1..1440")
		}
		sc.Duration = time.Duration(*r.DurationMin) * time.Minute
	}
	if r.Capacity != nil {
		if *r.Capacity < 1 || *r.Capacity > maxCapacity {
			p.add("capacity", "must be 1..1000")
		}
		sc.Capacity = *r.Capacity
	}
	if r.FareIDR != nil {
		if *r.FareIDR < 0 || *r.FareIDR > maxFareIDR {
			p.add("fare_idr", "must be 0..100000000")
		}
		sc.FareIDR = *r.FareIDR
	}
	date := func(field string, s *string, dst *civil.Date) {
		if s == nil {
			return
		}
		d, err := civil.Parse(*s)
		if err != nil || d.Year < 2000 || d.Year > 2100 {
			p.add(field, "must be a date YYYY-MM-DD in 2000..2100")
			return
		}
		*dst = d
	}
	date("valid_from", r.ValidFrom, &sc.ValidFrom)
	date("valid_until", r.ValidUntil, &sc.ValidUntil)
	if r.Holidays != nil {
		sc.Holidays = HolidayPolicy(*r.Holidays)
		if !sc.Holidays.Valid() {
			p.add("holidays", "must be as_usual, skip or add")
		}
	}
	if sc.Holidays == "" {
		sc.Holidays = HolidaysAsUsual
	}
	if r.WithCutiBersama != nil {
		sc.WithCutiBersama = *r.WithCutiBersama
	}
	if r.Exceptions != nil {
		sc.Exceptions = []Exception{}
		if len(r.Exceptions) > maxExceptions {
			p.add("exceptions", "has too many entries")
		}
		for _, e := range r.Exceptions {
			d, err := civil.Parse(e.Date)
			t := ExceptionType(e.Type)
			if err != nil || (t != ExceptionAdded && t != ExceptionRemoved) {
				p.add("exceptions", `each entry needs a date YYYY-MM-DD and type "added" or "removed"`)
				continue
			}
			if slices.ContainsFunc(sc.Exceptions, func(x Exception) bool { return x.Date == d }) {
				p.add("exceptions", "names a date twice")
				continue
			}
			sc.Exceptions = append(sc.Exceptions, Exception{Date: d, Type: t})
		}
		slices.SortFunc(sc.Exceptions, func(a, b Exception) int { return a.Date.Compare(b.Date) })
	}
	if r.MinPassengers != nil {
		sc.MinPassengers = *r.MinPassengers
	}
	if r.ConfirmCutoff != nil {
		c, ok := parseClock(r.ConfirmCutoff.Time)
		if !ok || r.ConfirmCutoff.DaysBefore < 0 || r.ConfirmCutoff.DaysBefore > maxCutoffDays {
			p.add("confirm_cutoff", `needs days_before 0..30 and time "HH:MM"`)
		}
		sc.ConfirmCutoff = &Cutoff{DaysBefore: r.ConfirmCutoff.DaysBefore, Time: c}
	}
	if sc.MinPassengers == 0 {
		sc.ConfirmCutoff = nil // without a minimum there is nothing to confirm
	}
	return p
}

// checkSchedule holds the rules that join fields, on the whole schedule.
func checkSchedule(sc Schedule, p problems) {
	if len(p) > 0 {
		return // the fields themselves are wrong; joined rules would only repeat it
	}
	if sc.ValidUntil.Before(sc.ValidFrom) {
		p.add("valid_until", "must not be before valid_from")
	} else if sc.ValidUntil.DaysSince(sc.ValidFrom) >= maxValidityDays {
		p.add("valid_until", "a schedule is valid for at most "+maxScheduleRange+"; add another for later")
	}
	adds := slices.ContainsFunc(sc.Exceptions, func(e Exception) bool { return e.Type == ExceptionAdded })
	if len(sc.Weekdays) == 0 && sc.Holidays != HolidaysAdd && !adds {
		p.add("weekdays", "the schedule would run on no day: name weekdays, add holidays or add dates")
	}
	if sc.MinPassengers < 0 || sc.MinPassengers > sc.Capacity {
		p.add("min_passengers", "must be 0..capacity")
	}
	if sc.MinPassengers > 0 && sc.ConfirmCutoff == nil {
		p.add("confirm_cutoff", "is required with min_passengers")
	}
	if c := sc.ConfirmCutoff; c != nil && c.DaysBefore == 0 && len(sc.Departures) > 0 && c.Time.minutes() >= sc.Departures[0].minutes() {
		p.add("confirm_cutoff", fmt.Sprintf("on the day itself must be before the first departure (%s)", sc.Departures[0]))
	}
}

type generateRequest struct {
	From string `json:"from" format:"date" example:"2026-12-05" maxLength:"10"`
	To   string `json:"to" format:"date" example:"2027-01-31" maxLength:"10"`
} // @name GenerateTransportTripsRequest

func (r *generateRequest) dates() (civil.Date, civil.Date, problems) {
	p := problems{}
	from, err := civil.Parse(r.From)
	if err != nil || from.Year < 2000 || from.Year > 2100 {
		p.add("from", "must be a date YYYY-MM-DD in 2000..2100")
	}
	to, err := civil.Parse(r.To)
	if err != nil || to.Year < 2000 || to.Year > 2100 {
		p.add("to", "must be a date YYYY-MM-DD in 2000..2100")
	}
	if len(p) == 0 {
		if to.Before(from) {
			p.add("to", "must not be before from")
		} else if to.DaysSince(from) >= MaxGenerateDays {
			p.add("to", fmt.Sprintf("a generation covers at most %d days", MaxGenerateDays))
		}
	}
	return from, to, p
}
