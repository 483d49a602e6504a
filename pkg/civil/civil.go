// Package civil is a calendar date without a time of day or a zone: a tax
// bill is due on a day, not at an instant, and comparing instants across
// zones is how "due today" turns into "late yesterday". The shape follows
// cloud.google.com/go/civil (Year, Month, Day) so either can replace the
// other, but this one adds the month arithmetic tax rules need
// (AddMonthsClamped) and the Asia/Jakarta "today".
package civil

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Date is a day in the proleptic Gregorian calendar. The zero value is not a
// valid date; IsValid tells.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalid is wrapped by every parse and scan error of this package.
var ErrInvalid = errors.New("invalid date")

// Jakarta is Western Indonesian Time (WIB). It is a fixed UTC+7 zone rather
// than time.LoadLocation("Asia/Jakarta") so "today" does not depend on the
// tz database being installed: WIB has been UTC+7 without daylight saving
// since 1964, so the two agree for every date this API handles.
var Jakarta = time.FixedZone("WIB", 7*60*60)

// Of returns the date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// TodayInJakarta is the Surakarta calendar day at the instant now. It takes
// the instant rather than reading the clock so callers (and tests) decide
// what "now" is.
func TodayInJakarta(now time.Time) Date { return Of(now.In(Jakarta)) }

// DaysIn is the number of days of month m in year y.
func DaysIn(y int, m time.Month) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsValid reports whether d names a real day between years 1 and 9999 (the
// range the YYYY-MM-DD form can carry).
func (d Date) IsValid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= DaysIn(d.Year, d.Month)
}

// Parse reads exactly YYYY-MM-DD (the API's date form); anything else,
// including a time part or a day that does not exist, is an error.
func Parse(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%w: want YYYY-MM-DD", ErrInvalid)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%w: want YYYY-MM-DD", ErrInvalid)
	}
	out := Date{y, time.Month(m), d}
	if !out.IsValid() {
		return Date{}, fmt.Errorf("%w: %s is not a day of the calendar", ErrInvalid, s)
	}
	return out, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// String is YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// In is midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays moves n days (n may be negative).
func (d Date) AddDays(n int) Date { return Of(d.In(time.UTC).AddDate(0, 0, n)) }

// AddMonthsClamped moves n calendar months and, when the day does not exist
// in the target month, takes that month's last day: 01-31 + 1 month is
// 02-28 (02-29 in a leap year). time.AddDate normalises instead (01-31 + 1
// month is 03-03), which would make a January 31 bill "one month late" only
// from March 4.
func (d Date) AddMonthsClamped(n int) Date {
	total := d.Year*12 + int(d.Month-1) + n
	y, m := total/12, time.Month(total%12+1)
	if total%12 < 0 { // floor division for dates before year 0
		y, m = y-1, m+12
	}
	day := min(d.Day, DaysIn(y, m))
	return Date{y, m, day}
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmp(d.Year, o.Year)
	case d.Month != o.Month:
		return cmp(int(d.Month), int(o.Month))
	default:
		return cmp(d.Day, o.Day)
	}
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// MarshalText is YYYY-MM-DD, so JSON carries the API's date form.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, d)
	}
	return []byte(d.String()), nil
}

// UnmarshalText accepts what Parse accepts.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the date as YYYY-MM-DD, which both PostgreSQL's date type and
// SQLite's text accept.
func (d Date) Value() (driver.Value, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, d)
	}
	return d.String(), nil
}

// Scan reads a date column: PostgreSQL drivers hand back a time.Time at
// midnight UTC, SQLite a string or bytes, sometimes with a time part.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = Of(v)
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	}
	return fmt.Errorf("%w: cannot scan %T", ErrInvalid, src)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// At is the instant of d at hh:mm in loc.
func (d Date) At(hour, minute int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, loc)
}

// DaysSince is the number of days from e to d (negative when d is before e).
func (d Date) DaysSince(e Date) int {
	return int(d.In(time.UTC).Sub(e.In(time.UTC)).Hours() / 24)
}

// Weekday is d's day of the week.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }
