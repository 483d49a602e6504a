package permit

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/pkg/civil"
)

// The SLA clock counts working days in Asia/Jakarta: weekends, national
// holidays and cuti bersama do not count. A submission starts it; the due
// time is the end (23:59 WIB) of the sla_days-th working day after the day
// of submission. Sending an application back for revision stops it and
// keeps the working days used so far; the resubmission starts it again
// with the days that were left.

// dueAt is the end of the n-th working day after the day of start (the day
// of start itself when n ≤ 0).
func (s *Service) dueAt(ctx context.Context, tx *gorm.DB, start time.Time, n int) (time.Time, error) {
	from := holiday.DateIn(start)
	if n < 0 {
		n = 0
	}
	days, err := s.cal.DaysWith(ctx, tx, from, from.AddDays(2*n+60))
	if err != nil {
		return time.Time{}, err
	}
	d, ok := days.AddWorkingDays(from, n)
	if !ok {
		return time.Time{}, fmt.Errorf("sla: no %d working days after %s within the loaded calendar", n, from)
	}
	return endOfDay(d), nil
}

func endOfDay(d civil.Date) time.Time { return d.At(23, 59, holiday.WIB).UTC() }

// workingDaysUsed counts the working days from the day the clock started
// up to and including the day it stops (the day of starting never counts,
// as dueAt does not count it).
func (s *Service) workingDaysUsed(ctx context.Context, tx *gorm.DB, started *time.Time, stop time.Time) (int, error) {
	if started == nil {
		return 0, nil
	}
	from, to := holiday.DateIn(*started), holiday.DateIn(stop)
	if !to.After(from) {
		return 0, nil
	}
	days, err := s.cal.DaysWith(ctx, tx, from, to)
	if err != nil {
		return 0, err
	}
	return days.WorkingDaysBetween(from, to), nil
}

// validUntil is the last day a permit approved on day is valid: the date
// in the type's ValidUntilField when the application has one, else the
// date its lead-time rule counts to (a keramaian permit without an end date
// ends on its event_date), else the day before day plus the type's validity
// in months.
func validUntil(t Type, data map[string]any, day civil.Date) civil.Date {
	fields := []string{t.ValidUntilField}
	if t.LeadTime != nil {
		fields = append(fields, t.LeadTime.DateField)
	}
	for _, f := range fields {
		if raw, ok := data[f].(string); ok && f != "" {
			if d, err := civil.Parse(raw); err == nil {
				return d
			}
		}
	}
	months := t.ValidityMonths
	if months <= 0 {
		months = 12
	}
	return day.AddMonthsClamped(months).AddDays(-1)
}
