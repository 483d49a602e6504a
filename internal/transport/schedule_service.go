package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/cursor"
)

type scheduleRow struct {
	ID               uuid.UUID `gorm:"primaryKey"`
	RouteID          uuid.UUID
	Weekdays         string
	Departures       string
	DurationMin      int
	Capacity         int
	FareIDR          int64 `gorm:"column:fare_idr"`
	ValidFrom        string
	ValidUntil       string
	Holidays         string
	WithCutiBersama  bool
	Exceptions       string
	MinPassengers    int
	CutoffDaysBefore *int
	CutoffTime       *string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (scheduleRow) TableName() string { return "transport_schedules" }

// The JSON columns are written by scheduleToRow from validated values.
func (r scheduleRow) toDomain() Schedule {
	s := Schedule{ID: r.ID, RouteID: r.RouteID, Duration: time.Duration(r.DurationMin) * time.Minute, Capacity: r.Capacity,
		FareIDR: r.FareIDR, Holidays: HolidayPolicy(r.Holidays), WithCutiBersama: r.WithCutiBersama,
		MinPassengers: r.MinPassengers, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	s.ValidFrom, _ = civil.Parse(r.ValidFrom)
	s.ValidUntil, _ = civil.Parse(r.ValidUntil)
	var days []int
	_ = json.Unmarshal([]byte(r.Weekdays), &days)
	for _, d := range days {
		s.Weekdays = append(s.Weekdays, time.Weekday(d))
	}
	var deps []string
	_ = json.Unmarshal([]byte(r.Departures), &deps)
	for _, d := range deps {
		c, _ := parseClock(d)
		s.Departures = append(s.Departures, c)
	}
	_ = json.Unmarshal([]byte(r.Exceptions), &s.Exceptions)
	s.Exceptions = nonNil(s.Exceptions)
	if r.CutoffDaysBefore != nil && r.CutoffTime != nil {
		c, _ := parseClock(*r.CutoffTime)
		s.ConfirmCutoff = &Cutoff{DaysBefore: *r.CutoffDaysBefore, Time: c}
	}
	return s
}

func scheduleToRow(s Schedule) scheduleRow {
	days := make([]int, len(s.Weekdays))
	for i, d := range s.Weekdays {
		days[i] = int(d)
	}
	deps := make([]string, len(s.Departures))
	for i, c := range s.Departures {
		deps[i] = c.String()
	}
	wd, _ := json.Marshal(days)
	dp, _ := json.Marshal(deps)
	ex, _ := json.Marshal(nonNil(s.Exceptions))
	r := scheduleRow{ID: s.ID, RouteID: s.RouteID, Weekdays: string(wd), Departures: string(dp),
		DurationMin: int(s.Duration / time.Minute), Capacity: s.Capacity, FareIDR: s.FareIDR,
		ValidFrom: s.ValidFrom.String(), ValidUntil: s.ValidUntil.String(), Holidays: string(s.Holidays),
		WithCutiBersama: s.WithCutiBersama, Exceptions: string(ex), MinPassengers: s.MinPassengers,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	if s.ConfirmCutoff != nil {
		days, at := s.ConfirmCutoff.DaysBefore, s.ConfirmCutoff.Time.String()
		r.CutoffDaysBefore, r.CutoffTime = &days, &at
	}
	return r
}

func scheduleByID(ctx context.Context, db *gorm.DB, id uuid.UUID) (Schedule, error) {
	var r scheduleRow
	err := db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return Schedule{}, apperr.Missing("schedule", id)
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("load schedule: %w", err)
	}
	return r.toDomain(), nil
}

// Schedules returns up to limit schedules (of one route, when set) after
// the given id, by id, and whether more follow.
func (s *Service) Schedules(ctx context.Context, routeID *uuid.UUID, after *uuid.UUID, limit int) ([]Schedule, bool, error) {
	q := s.read(ctx).Model(&scheduleRow{})
	if routeID != nil {
		q = q.Where("route_id = ?", *routeID)
	}
	if after != nil {
		q = q.Where("id > ?", *after)
	}
	var rows []scheduleRow
	if err := q.Order("id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list schedules: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out := make([]Schedule, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, more, nil
}

// Schedule returns one schedule.
func (s *Service) Schedule(ctx context.Context, id uuid.UUID) (Schedule, error) {
	return scheduleByID(ctx, s.read(ctx), id)
}

func routeExists(tx *gorm.DB, id uuid.UUID) error {
	var n int64
	if err := tx.Model(&routeRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.FieldInvalid("route_id", "no such route")
	}
	return nil
}

// CreateSchedule adds a validated schedule of an existing route. Audited.
func (s *Service) CreateSchedule(ctx context.Context, sc Schedule) (Schedule, error) {
	now := s.now()
	sc.ID, sc.CreatedAt, sc.UpdatedAt = uuid.Must(uuid.NewV7()), now, now
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		if err := routeExists(tx, sc.RouteID); err != nil {
			return err
		}
		row := scheduleToRow(sc)
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert schedule: %w", err)
		}
		return audit.Record(ctx, tx, "transport_schedule.create", "transport_schedule", sc.ID.String(), nil)
	})
	return sc, err
}

// UpdateSchedule replaces a schedule with what change makes of it; change
// validates the result (it sees the whole schedule, so rules that join
// fields hold after a partial update). Trips generated before keep their
// times, seats and fares. Audited.
func (s *Service) UpdateSchedule(ctx context.Context, id uuid.UUID, change func(*Schedule) error) (Schedule, error) {
	var out Schedule
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		sc, err := scheduleByID(ctx, tx, id)
		if err != nil {
			return err
		}
		oldRoute := sc.RouteID
		if err := change(&sc); err != nil {
			return err
		}
		if sc.RouteID != oldRoute {
			if err := routeExists(tx, sc.RouteID); err != nil {
				return err
			}
		}
		sc.UpdatedAt = s.now()
		row := scheduleToRow(sc)
		if err := tx.Model(&scheduleRow{}).Where("id = ?", id).Select("*").Omit("id", "created_at").
			Updates(&row).Error; err != nil {
			return fmt.Errorf("update schedule: %w", err)
		}
		out = sc
		return audit.Record(ctx, tx, "transport_schedule.update", "transport_schedule", id.String(), nil)
	})
	return out, err
}

// DeleteSchedule removes a schedule that has no trips; one with trips is
// ended by moving valid_until instead, so its trips keep their origin.
func (s *Service) DeleteSchedule(ctx context.Context, id uuid.UUID) error {
	return s.db.InTx(ctx, func(tx *gorm.DB) error {
		if err := refuseIfUsed(tx, "transport_trips", "schedule_id", id,
			"Trips were generated from this schedule; end it with valid_until, or delete its trips first."); err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&scheduleRow{})
		if res.Error != nil {
			return fmt.Errorf("delete schedule: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Missing("schedule", id)
		}
		return audit.Record(ctx, tx, "transport_schedule.delete", "transport_schedule", id.String(), nil)
	})
}

// MaxGenerateDays bounds one generation: a season at a time.
const MaxGenerateDays = 120

// Generated is what a generation did: trips made now and trips that were
// already there for the same schedule and departure.
type Generated struct {
	Created  int64
	Existing int64
}

// GenerateTrips creates the trips of a schedule for every service day from
// from to to (both included, Asia/Jakarta), skipping departures that are
// not in the future. It is idempotent: one trip per schedule and departure,
// kept by the unique index, so a second run creates nothing. A trip gets
// confirm_by only when its cutoff is still ahead: a cutoff that had passed
// when the trip was made never cancels it. Audited.
func (s *Service) GenerateTrips(ctx context.Context, id uuid.UUID, from, to civil.Date) (Generated, error) {
	var g Generated
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		var err error
		g, err = s.generateTrips(ctx, tx, id, from, to)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "transport_schedule.generate", "transport_schedule", id.String(),
			map[string]any{"from": from.String(), "to": to.String(), "created": g.Created, "existing": g.Existing})
	})
	return g, err
}

func (s *Service) generateTrips(ctx context.Context, tx *gorm.DB, id uuid.UUID, from, to civil.Date) (Generated, error) {
	if to.Before(from) {
		return Generated{}, apperr.FieldInvalid("to", "must not be before from")
	}
	if to.DaysSince(from) >= MaxGenerateDays {
		return Generated{}, apperr.FieldInvalid("to", fmt.Sprintf("a generation covers at most %d days", MaxGenerateDays))
	}
	sc, err := scheduleByID(ctx, tx, id)
	if err != nil {
		return Generated{}, err
	}
	// In the transaction: on SQLite a generation holding the write lock
	// that waited for another connection of the pool, while the others'
	// generations held every connection waiting for that lock, stalled
	// them all until the busy timeout.
	hs, err := s.cal.BetweenWith(ctx, tx, from, to)
	if err != nil {
		return Generated{}, err
	}
	now := s.now()
	var rows []tripRow
	for d := from; !d.After(to); d = d.AddDays(1) {
		if !sc.RunsOn(d, hs) {
			continue
		}
		for _, dep := range sc.DeparturesOn(d) {
			if !dep.DepartsAt.After(now) {
				continue
			}
			r := tripRow{ID: uuid.Must(uuid.NewV7()), RouteID: sc.RouteID, DepartsAt: dep.DepartsAt, ArrivesAt: dep.ArrivesAt,
				Capacity: sc.Capacity, SeatsAvailable: sc.Capacity, FareIDR: sc.FareIDR, Status: string(TripScheduled),
				ScheduleID: &sc.ID, MinPassengers: sc.MinPassengers, CreatedAt: now, UpdatedAt: now}
			if dep.ConfirmBy != nil && dep.ConfirmBy.After(now) {
				r.ConfirmBy = dep.ConfirmBy
			}
			rows = append(rows, r)
		}
	}
	var g Generated
	// Batches keep the statement under SQLite's variable limit; ON CONFLICT
	// makes a departure that exists a no-op on both engines, without
	// aborting the transaction on PostgreSQL.
	const batch = 500
	for i := 0; i < len(rows); i += batch {
		chunk := rows[i:min(i+batch, len(rows))]
		res := tx.WithContext(ctx).Omit("mode_code", "bookable").
			Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "schedule_id"}, {Name: "departs_at"}}, DoNothing: true}).
			Create(&chunk)
		if res.Error != nil {
			return Generated{}, fmt.Errorf("insert trips: %w", res.Error)
		}
		g.Created += res.RowsAffected
	}
	g.Existing = int64(len(rows)) - g.Created
	return g, nil
}
