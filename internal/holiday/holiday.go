// Package holiday is Indonesia's calendar of national holidays (hari libur
// nasional) and collective leave (cuti bersama), as data: the decreed years
// ship with the code and are loaded at start, and staff add the years the
// government has not decreed yet. Other domains ask it whether a date is a
// working day in Asia/Jakarta (permits' SLA due dates) or which dates are
// holidays (transport schedules that skip or add them).
package holiday

import (
	"time"

	"github.com/solodestination/api/pkg/civil"
)

// Kind tells a holiday from a collective leave day.
type Kind string

const (
	// National is a national holiday (hari libur nasional).
	National Kind = "holiday"
	// CutiBersama is a collective leave day decreed next to a holiday:
	// government offices close, most businesses do not.
	CutiBersama Kind = "cuti_bersama"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == National || k == CutiBersama }

// Text is a name in Indonesian (required) and English.
type Text struct {
	ID string `json:"id" example:"Hari Raya Natal" maxLength:"200"`
	EN string `json:"en" example:"Christmas Day" maxLength:"200"`
} // @name HolidayText

// Holiday is one dated day off.
type Holiday struct {
	Date      civil.Date
	Kind      Kind
	Name      Text
	Source    string // the decree it comes from, or "staff"
	CreatedAt time.Time
	UpdatedAt time.Time
}

// WIB is Asia/Jakarta, UTC+7 without daylight saving since 1964.
var WIB = time.FixedZone("WIB", 7*60*60)

// DateIn is the Asia/Jakarta date of an instant: 17:30 UTC on 31 December
// is already New Year's Day in Solo.
func DateIn(t time.Time) civil.Date { return civil.Of(t.In(WIB)) }

// Weekend reports whether d is a Saturday or a Sunday.
func Weekend(d civil.Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// SourceStaff marks a date staff entered or changed.
const SourceStaff = "staff"

// Year limits: the calendar covers the years anyone plans in.
const (
	MinYear = 2000
	MaxYear = 2100
)
