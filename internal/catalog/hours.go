package catalog

import (
	"fmt"
	"time"

	_ "time/tzdata" // the static binary carries Asia/Jakarta
)

// Jakarta is the city's time zone (WIB, UTC+7, no daylight saving): opening
// hours and open_now are evaluated in it.
var Jakarta = mustLoad("Asia/Jakarta")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in, so this cannot happen
	}
	return loc
}

// Hours is one opening span of a weekday, in Asia/Jakarta local time.
// Close earlier than Open means the span ends the next day; Close may be
// "24:00".
type Hours struct {
	Day   int    `json:"day" minimum:"0" maximum:"6" example:"1" format:"int32"` // 0 = Sunday
	Open  string `json:"open" example:"09:00" maxLength:"5" extensions:"x-pattern=clock"`
	Close string `json:"close" example:"14:00" maxLength:"5" extensions:"x-pattern=closingClock"`
} // @name OpeningHours

// span is a stored listing_hours row: minutes of one weekday, never past
// midnight.
type span struct {
	Day      int
	OpenMin  int
	CloseMin int
}

const minutesPerDay = 24 * 60

// parseClock reads "HH:MM"; "24:00" only when allow24.
func parseClock(s string, allow24 bool) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if allow24 && h == 24 && m == 0 {
		return minutesPerDay, true
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// validateHours reports problems per field path (opening_hours[i].open …).
func validateHours(hours []Hours) map[string]string {
	p := map[string]string{}
	if len(hours) > maxHours {
		p["opening_hours"] = fmt.Sprintf("must have at most %d items", maxHours)
		return p
	}
	for i, h := range hours {
		at := fmt.Sprintf("opening_hours[%d]", i)
		if h.Day < 0 || h.Day > 6 {
			p[at+".day"] = "must be 0 (Sunday) to 6 (Saturday)"
		}
		open, okOpen := parseClock(h.Open, false)
		if !okOpen {
			p[at+".open"] = `must be a time "HH:MM" from 00:00 to 23:59`
		}
		close, okClose := parseClock(h.Close, true)
		if !okClose {
			p[at+".close"] = `must be a time "HH:MM" from 00:00 to 24:00`
		}
		if okOpen && okClose && open == close {
			p[at+".close"] = "must differ from open"
		}
	}
	return p
}

// spans turns valid opening hours into listing_hours rows: a span past
// midnight becomes the rest of its day plus the start of the next one.
func spans(hours []Hours) []span {
	out := make([]span, 0, len(hours))
	for _, h := range hours {
		open, _ := parseClock(h.Open, false)
		close, _ := parseClock(h.Close, true)
		if close > open {
			out = append(out, span{h.Day, open, close})
			continue
		}
		out = append(out, span{h.Day, open, minutesPerDay})
		if close > 0 {
			out = append(out, span{(h.Day + 1) % 7, 0, close})
		}
	}
	return out
}

// clock is a moment as opening hours see it: weekday and minute of the day
// in Jakarta.
type clock struct {
	Day, Minute int
}

func clockAt(t time.Time) clock {
	j := t.In(Jakarta)
	return clock{Day: int(j.Weekday()), Minute: j.Hour()*60 + j.Minute()}
}

// openAt reports whether a place with these opening hours is open at t.
// It is the Go twin of the open_now SQL over listing_hours.
func openAt(hours []Hours, t time.Time) bool { return openAtClock(hours, clockAt(t)) }

func openAtClock(hours []Hours, c clock) bool {
	for _, h := range hours {
		open, ok1 := parseClock(h.Open, false)
		close, ok2 := parseClock(h.Close, true)
		if ok1 && ok2 && spanCovers(h.Day, open, close, c) {
			return true
		}
	}
	return false
}

// spanCovers reports whether the opening span of day from open to close
// (minutes; close not after open runs into the next day) covers c, the way
// spans splits it into listing_hours rows.
func spanCovers(day, open, close int, c clock) bool {
	if close > open {
		return c.Day == day && open <= c.Minute && c.Minute < close
	}
	if c.Day == day && open <= c.Minute {
		return true
	}
	return c.Day == (day+1)%7 && c.Minute < close
}
