package holiday

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/solodestination/api/pkg/civil"
)

// Days is the calendar of a date range held in memory, so a list of many
// due dates (the permit queue) costs one query: load the range once, then
// count on it.
type Days struct {
	From, To civil.Date
	off      map[civil.Date]Holiday
}

// Days loads the holidays from from to to, both included.
func (s *Service) Days(ctx context.Context, from, to civil.Date) (Days, error) {
	return s.DaysWith(ctx, s.db.DB, from, to)
}

// DaysWith is Days read through the caller's transaction, for a caller
// that counts working days while it holds one (a connection of its own
// would wait for the pool its transaction may have exhausted).
func (s *Service) DaysWith(ctx context.Context, tx *gorm.DB, from, to civil.Date) (Days, error) {
	if to.Before(from) {
		return Days{}, fmt.Errorf("holiday.Days: %s is before %s", to, from)
	}
	hs, err := s.list(ctx, tx, from, to)
	if err != nil {
		return Days{}, err
	}
	off := make(map[civil.Date]Holiday, len(hs))
	for _, h := range hs {
		off[h.Date] = h
	}
	return Days{From: from, To: to, off: off}, nil
}

// Holiday returns the holiday on d, if any.
func (c Days) Holiday(d civil.Date) (Holiday, bool) {
	h, ok := c.off[d]
	return h, ok
}

// IsWorkingDay reports whether d is neither a weekend day nor a holiday or
// cuti bersama. d must be inside the range.
func (c Days) IsWorkingDay(d civil.Date) bool {
	_, off := c.off[d]
	return !off && !Weekend(d)
}

// AddWorkingDays is the n-th working day after start, and false when it
// falls beyond the loaded range (load a longer one).
func (c Days) AddWorkingDays(start civil.Date, n int) (civil.Date, bool) {
	d := start
	for n > 0 {
		d = d.AddDays(1)
		if d.After(c.To) {
			return civil.Date{}, false
		}
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d, true
}

// WorkingDaysBetween counts the working days after from up to and including
// to (0 when to is not after from): the working days a paused SLA clock
// must give back.
func (c Days) WorkingDaysBetween(from, to civil.Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
