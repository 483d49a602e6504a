package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

// Staff writes. Who may call them is decided by the route group (transport
// staff and admins); every one is audited in its own transaction.

// ModeChange is a partial update of a mode; nil fields stay.
type ModeChange struct {
	Name, Description *Text
	Bookable          *bool
	Fares             *[]Fare
	OperatingHours    *[]Hours
}

// CreateMode adds a mode; its code must be new.
func (s *Service) CreateMode(ctx context.Context, m Mode) (Mode, error) {
	m.CreatedAt, m.UpdatedAt = s.now(), s.now()
	m.Fares, m.OperatingHours = nonNil(m.Fares), nonNil(m.OperatingHours)
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		row := modeToRow(m)
		if err := tx.Create(&row).Error; err != nil {
			if database.IsDuplicate(err) {
				return apperr.StateConflict("conflict", "A mode with this code exists.")
			}
			return fmt.Errorf("insert mode: %w", err)
		}
		return audit.Record(ctx, tx, "transport_mode.create", "transport_mode", m.Code, nil)
	})
	return m, err
}

// UpdateMode changes the given fields of a mode.
func (s *Service) UpdateMode(ctx context.Context, code string, ch ModeChange) (Mode, error) {
	var out Mode
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		var r modeRow
		err := tx.Where("code = ?", code).Take(&r).Error
		if database.IsNotFound(err) {
			return apperr.Missing("mode", code)
		}
		if err != nil {
			return err
		}
		m := r.toDomain()
		if ch.Name != nil {
			m.Name = *ch.Name
		}
		if ch.Description != nil {
			m.Description = *ch.Description
		}
		if ch.Bookable != nil {
			m.Bookable = *ch.Bookable
		}
		if ch.Fares != nil {
			m.Fares = *ch.Fares
		}
		if ch.OperatingHours != nil {
			m.OperatingHours = *ch.OperatingHours
		}
		m.UpdatedAt = s.now()
		row := modeToRow(m)
		if err := tx.Model(&modeRow{}).Where("code = ?", code).Select("name_id", "name_en", "description_id",
			"description_en", "bookable", "fares", "operating_hours", "updated_at").Updates(&row).Error; err != nil {
			return fmt.Errorf("update mode: %w", err)
		}
		out = m
		return audit.Record(ctx, tx, "transport_mode.update", "transport_mode", code, nil)
	})
	return out, err
}

// DeleteMode removes a mode no route uses.
func (s *Service) DeleteMode(ctx context.Context, code string) error {
	return s.db.InTx(ctx, func(tx *gorm.DB) error {
		if err := refuseIfUsed(tx, "transport_routes", "mode_code", code, "Routes of this mode exist; delete them first."); err != nil {
			return err
		}
		res := tx.Where("code = ?", code).Delete(&modeRow{})
		if res.Error != nil {
			return fmt.Errorf("delete mode: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Missing("mode", code)
		}
		return audit.Record(ctx, tx, "transport_mode.delete", "transport_mode", code, nil)
	})
}

func refuseIfUsed(tx *gorm.DB, table, column string, id any, detail string) error {
	var n int64
	if err := tx.Table(table).Where(column+" = ?", id).Limit(1).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return apperr.StateConflict("in_use", detail)
	}
	return nil
}

// StopChange is a partial update of a stop.
type StopChange struct {
	Name     *Text
	Location *Location
}

// CreateStop adds a stop.
func (s *Service) CreateStop(ctx context.Context, name Text, loc Location) (Stop, error) {
	now := s.now()
	st := Stop{ID: uuid.Must(uuid.NewV7()), Name: name, Location: loc, Modes: []string{}, CreatedAt: now, UpdatedAt: now}
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		row := stopRow{ID: st.ID, NameID: name.ID, NameEn: name.EN, Lat: loc.Lat, Lng: loc.Lng, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert stop: %w", err)
		}
		return audit.Record(ctx, tx, "transport_stop.create", "transport_stop", st.ID.String(), nil)
	})
	return st, err
}

// UpdateStop changes the given fields of a stop.
func (s *Service) UpdateStop(ctx context.Context, id uuid.UUID, ch StopChange) (Stop, error) {
	var out Stop
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		var r stopRow
		err := tx.Where("id = ?", id).Take(&r).Error
		if database.IsNotFound(err) {
			return apperr.Missing("stop", id)
		}
		if err != nil {
			return err
		}
		if ch.Name != nil {
			r.NameID, r.NameEn = ch.Name.ID, ch.Name.EN
		}
		if ch.Location != nil {
			r.Lat, r.Lng = ch.Location.Lat, ch.Location.Lng
		}
		r.UpdatedAt = s.now()
		if err := tx.Model(&stopRow{}).Where("id = ?", id).Select("name_id", "name_en", "lat", "lng", "updated_at").
			Updates(&r).Error; err != nil {
			return fmt.Errorf("update stop: %w", err)
		}
		out = r.toDomain()
		modes, err := stopModes(ctx, tx, []uuid.UUID{id})
		out.Modes = nonNil(modes[id])
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "transport_stop.update", "transport_stop", id.String(), nil)
	})
	return out, err
}

// DeleteStop removes a stop no route passes.
func (s *Service) DeleteStop(ctx context.Context, id uuid.UUID) error {
	return s.db.InTx(ctx, func(tx *gorm.DB) error {
		if err := refuseIfUsed(tx, "transport_route_stops", "stop_id", id, "Routes pass this stop; change them first."); err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&stopRow{})
		if res.Error != nil {
			return fmt.Errorf("delete stop: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Missing("stop", id)
		}
		return audit.Record(ctx, tx, "transport_stop.delete", "transport_stop", id.String(), nil)
	})
}

// RouteDraft is a new route, or with nil fields a partial update.
type RouteDraft struct {
	Mode        *string
	Name        *Text
	Description *Text
	StopIDs     *[]uuid.UUID
	Path        *[][2]float64
}

// CreateRoute adds a route of an existing mode through existing stops.
func (s *Service) CreateRoute(ctx context.Context, d RouteDraft) (Route, error) {
	now := s.now()
	id := uuid.Must(uuid.NewV7())
	var out Route
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		row := routeRow{ID: id, CreatedAt: now, UpdatedAt: now}
		if err := applyRoute(tx, &row, d); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert route: %w", err)
		}
		if err := setRouteStops(tx, id, *d.StopIDs); err != nil {
			return err
		}
		var err error
		if out, err = routeByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "transport_route.create", "transport_route", id.String(), nil)
	})
	return out, err
}

// UpdateRoute changes the given fields of a route.
func (s *Service) UpdateRoute(ctx context.Context, id uuid.UUID, d RouteDraft) (Route, error) {
	var out Route
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		var row routeRow
		err := tx.Where("id = ?", id).Take(&row).Error
		if database.IsNotFound(err) {
			return apperr.Missing("route", id)
		}
		if err != nil {
			return err
		}
		if err := applyRoute(tx, &row, d); err != nil {
			return err
		}
		row.UpdatedAt = s.now()
		if err := tx.Model(&routeRow{}).Where("id = ?", id).Select("mode_code", "name_id", "name_en", "description_id",
			"description_en", "path", "updated_at").Updates(&row).Error; err != nil {
			return fmt.Errorf("update route: %w", err)
		}
		if d.StopIDs != nil {
			if err := tx.Where("route_id = ?", id).Delete(&routeStopRow{}).Error; err != nil {
				return err
			}
			if err := setRouteStops(tx, id, *d.StopIDs); err != nil {
				return err
			}
		}
		if out, err = routeByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "transport_route.update", "transport_route", id.String(), nil)
	})
	return out, err
}

func applyRoute(tx *gorm.DB, row *routeRow, d RouteDraft) error {
	if d.Mode != nil {
		var n int64
		if err := tx.Model(&modeRow{}).Where("code = ?", *d.Mode).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.FieldInvalid("mode", "no such mode")
		}
		row.ModeCode = *d.Mode
	}
	if d.Name != nil {
		row.NameID, row.NameEn = d.Name.ID, d.Name.EN
	}
	if d.Description != nil {
		row.DescriptionID, row.DescriptionEn = d.Description.ID, d.Description.EN
	}
	if d.Path != nil {
		row.Path = ""
		if len(*d.Path) > 0 {
			b, _ := json.Marshal(*d.Path)
			row.Path = string(b)
		}
	}
	return nil
}

func setRouteStops(tx *gorm.DB, routeID uuid.UUID, stopIDs []uuid.UUID) error {
	distinct := map[uuid.UUID]bool{}
	for _, id := range stopIDs {
		distinct[id] = true
	}
	ids := make([]uuid.UUID, 0, len(distinct))
	for id := range distinct {
		ids = append(ids, id)
	}
	var n int64
	if err := tx.Model(&stopRow{}).Where("id IN ?", ids).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(ids) {
		return apperr.FieldInvalid("stop_ids", "names a stop that does not exist")
	}
	rows := make([]routeStopRow, len(stopIDs))
	for i, id := range stopIDs {
		rows[i] = routeStopRow{RouteID: routeID, Position: i + 1, StopID: id}
	}
	return tx.Create(&rows).Error
}

// DeleteRoute removes a route that has no trips.
func (s *Service) DeleteRoute(ctx context.Context, id uuid.UUID) error {
	return s.db.InTx(ctx, func(tx *gorm.DB) error {
		if err := refuseIfUsed(tx, "transport_trips", "route_id", id, "This route has trips; cancel or delete them first."); err != nil {
			return err
		}
		if err := refuseIfUsed(tx, "transport_schedules", "route_id", id, "This route has schedules; delete them first."); err != nil {
			return err
		}
		if err := tx.Where("route_id = ?", id).Delete(&routeStopRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&routeRow{})
		if res.Error != nil {
			return fmt.Errorf("delete route: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Missing("route", id)
		}
		return audit.Record(ctx, tx, "transport_route.delete", "transport_route", id.String(), nil)
	})
}

// TripDraft is a one-off trip.
type TripDraft struct {
	RouteID              uuid.UUID
	DepartsAt, ArrivesAt time.Time
	Capacity             int
	FareIDR              int64
}

// CreateTrip adds a one-off trip; it must depart in the future.
func (s *Service) CreateTrip(ctx context.Context, d TripDraft) (Trip, error) {
	now := s.now()
	if !d.DepartsAt.After(now) {
		return Trip{}, apperr.FieldInvalid("departs_at", "must be in the future")
	}
	id := uuid.Must(uuid.NewV7())
	var out Trip
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&routeRow{}).Where("id = ?", d.RouteID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.FieldInvalid("route_id", "no such route")
		}
		row := tripRow{ID: id, RouteID: d.RouteID, DepartsAt: d.DepartsAt.UTC(), ArrivesAt: d.ArrivesAt.UTC(),
			Capacity: d.Capacity, SeatsAvailable: d.Capacity, FareIDR: d.FareIDR, Status: string(TripScheduled),
			CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("mode_code", "bookable").Create(&row).Error; err != nil {
			return fmt.Errorf("insert trip: %w", err)
		}
		var err error
		if out, err = tripByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "transport_trip.create", "transport_trip", id.String(), nil)
	})
	return out, err
}

// CancelTrip cancels a trip that has not departed, cancels its confirmed
// bookings in the same transaction and tells each of their owners once.
// Cancelling a cancelled trip answers it unchanged and notifies no one again.
func (s *Service) CancelTrip(ctx context.Context, id uuid.UUID) (Trip, error) {
	var out Trip
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		cancelled, bookings, err := s.cancelTrip(ctx, tx, id, cancelByStaff, now)
		if err != nil {
			return err
		}
		t, err := tripByID(ctx, tx, id)
		if err != nil {
			return err
		}
		out = t
		if !cancelled {
			if t.Status == TripCancelled {
				return nil
			}
			return errTripDeparted
		}
		return audit.Record(ctx, tx, "transport_trip.cancel", "transport_trip", id.String(),
			map[string]int64{"bookings_cancelled": bookings})
	})
	return out, err
}

// Why a trip was cancelled (transport_trips.cancel_reason).
const (
	cancelByStaff       = "staff"
	cancelMinPassengers = "min_passengers"
)

// cancelTrip cancels trip id inside tx if it is still scheduled and has not
// departed at now — for cancelMinPassengers only if it is also past its
// confirmation cutoff (one that came after its creation), unconfirmed and
// below its minimum — with one conditional UPDATE, so of two callers at once
// exactly one cancels. That one cancels the trip's confirmed bookings in the
// same transaction and notifies each of their owners once (the
// notification's DedupeKey is per trip, whatever the reason). It reports
// whether it cancelled the trip and how many bookings it cancelled; the
// caller audits. Staff cancellation and the ridership job share it.
func (s *Service) cancelTrip(ctx context.Context, tx *gorm.DB, id uuid.UUID, reason string, now time.Time) (bool, int64, error) {
	cond := "id = ? AND status = 'scheduled' AND departs_at > ?"
	args := []any{now, reason, now, id, now}
	if reason == cancelMinPassengers {
		cond += " AND confirmed_at IS NULL AND confirm_by <= ? AND confirm_by > created_at AND capacity - seats_available < min_passengers"
		args = append(args, now)
	}
	res := tx.Exec(`UPDATE transport_trips SET status = 'cancelled', cancelled_at = ?, cancel_reason = ?, updated_at = ?
		WHERE `+cond, args...)
	if res.Error != nil {
		return false, 0, fmt.Errorf("cancel trip: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return false, 0, nil
	}
	var trip struct {
		DepartsAt     time.Time
		MinPassengers int
	}
	if err := tx.Table("transport_trips").Select("departs_at", "min_passengers").Where("id = ?", id).
		Take(&trip).Error; err != nil {
		return false, 0, err
	}
	var owners []uuid.UUID
	if err := tx.Model(&bookingRow{}).Distinct("user_id").Where("trip_id = ? AND status = 'confirmed'", id).
		Pluck("user_id", &owners).Error; err != nil {
		return false, 0, err
	}
	res = tx.Exec(`UPDATE transport_bookings SET status = 'cancelled', cancelled_at = ?
		WHERE trip_id = ? AND status = 'confirmed'`, now, id)
	if res.Error != nil {
		return false, 0, fmt.Errorf("cancel bookings: %w", res.Error)
	}
	s.metrics.bookingsCancelled(tx, reason, res.RowsAffected)
	at := trip.DepartsAt.In(wib).Format("02-01-2006 15:04")
	body := notification.Text{
		ID: fmt.Sprintf("Perjalanan %s WIB dibatalkan oleh operator; pemesanan Anda ikut dibatalkan.", at),
		EN: fmt.Sprintf("The operator cancelled the %s WIB trip; your booking on it is cancelled.", at)}
	if reason == cancelMinPassengers {
		body = notification.Text{
			ID: fmt.Sprintf("Perjalanan %s WIB dibatalkan karena penumpangnya kurang dari %d orang hingga batas konfirmasi; pemesanan Anda ikut dibatalkan.",
				at, trip.MinPassengers),
			EN: fmt.Sprintf("The %s WIB trip is cancelled: fewer than the %d passengers it needs had booked by the confirmation cutoff; your booking on it is cancelled.",
				at, trip.MinPassengers)}
	}
	msgs := make([]notification.Message, len(owners))
	for i, u := range owners {
		msgs[i] = notification.Message{UserID: u, Kind: "trip_cancelled", Entity: "trip", EntityID: id.String(),
			DedupeKey: "trip_cancelled:" + id.String(),
			Title:     notification.Text{ID: "Perjalanan dibatalkan", EN: "Trip cancelled"}, Body: body}
	}
	if err := s.notes.Notify(ctx, tx, msgs...); err != nil {
		return false, 0, err
	}
	return true, res.RowsAffected, nil
}

// DeleteTrip removes a trip nobody ever booked; one with bookings is
// cancelled instead.
func (s *Service) DeleteTrip(ctx context.Context, id uuid.UUID) error {
	return s.db.InTx(ctx, func(tx *gorm.DB) error {
		if err := refuseIfUsed(tx, "transport_bookings", "trip_id", id, "This trip has bookings; cancel it instead."); err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&tripRow{})
		if res.Error != nil {
			return fmt.Errorf("delete trip: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Missing("trip", id)
		}
		return audit.Record(ctx, tx, "transport_trip.delete", "transport_trip", id.String(), nil)
	})
}

// TripChange changes a scheduled trip; nil fields stay.
type TripChange struct {
	DepartsAt, ArrivesAt *time.Time
	Capacity             *int
	FareIDR              *int64 // bookings already made keep what they paid
}

var errCapacityBelowBooked = func(booked int) error {
	return apperr.StateConflict("capacity_below_booked",
		fmt.Sprintf("%d seats are booked on this trip; the capacity cannot go below that.", booked))
}

// ChangeTrip moves a trip that has not departed, or changes its seats or
// fare, in one conditional UPDATE: the capacity moves seats_available by
// the same amount, and never below the seats booked at that moment. A new
// departure moves a pending confirmation cutoff with it (dropped if it
// would then be past). Owners of its bookings are told of a new time in the
// same transaction, once per time. Audited.
func (s *Service) ChangeTrip(ctx context.Context, id uuid.UUID, ch TripChange) (Trip, error) {
	var out Trip
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		t, err := tripByID(ctx, tx, id)
		if err != nil {
			return err
		}
		switch t.StatusAt(now) {
		case TripCancelled:
			return errTripCancelled
		case TripDeparted:
			return errTripDeparted
		}
		dep, arr := t.DepartsAt, t.ArrivesAt
		if ch.DepartsAt != nil {
			dep = ch.DepartsAt.UTC()
			arr = dep.Add(t.ArrivesAt.Sub(t.DepartsAt))
		}
		if ch.ArrivesAt != nil {
			arr = ch.ArrivesAt.UTC()
		}
		if !dep.After(now) {
			return apperr.FieldInvalid("departs_at", "must be in the future")
		}
		if !arr.After(dep) {
			return apperr.FieldInvalid("arrives_at", "must be after departs_at")
		}
		capacity, fare := t.Capacity, t.FareIDR
		if ch.Capacity != nil {
			capacity = *ch.Capacity
		}
		if ch.FareIDR != nil {
			fare = *ch.FareIDR
		}
		confirmBy := t.ConfirmBy
		if moved := dep.Sub(t.DepartsAt); moved != 0 && t.ConfirmBy != nil && t.ConfirmedAt == nil {
			by := t.ConfirmBy.Add(moved)
			confirmBy = &by
			if !by.After(now) {
				confirmBy = nil
			}
		}
		// SET expressions read the row as it was, on both engines: the
		// seats booked are capacity - seats_available at this moment.
		res := tx.Exec(`UPDATE transport_trips SET departs_at = ?, arrives_at = ?, fare_idr = ?, confirm_by = ?,
			seats_available = seats_available + (? - capacity), capacity = ?, updated_at = ?
			WHERE id = ? AND status = 'scheduled' AND departs_at = ? AND departs_at > ? AND capacity - seats_available <= ?`,
			dep, arr, fare, confirmBy, capacity, capacity, now, id, t.DepartsAt, now, capacity)
		if res.Error != nil {
			if database.IsDuplicate(res.Error) {
				return apperr.StateConflict("conflict", "The schedule of this trip already has a trip at that time.")
			}
			return fmt.Errorf("change trip: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			now2, err := tripByID(ctx, tx, id)
			if err != nil {
				return err
			}
			if booked := now2.Capacity - now2.SeatsAvailable; booked > capacity {
				return errCapacityBelowBooked(booked)
			}
			return apperr.StateConflict("conflict", "The trip changed meanwhile; read it and try again.")
		}
		if out, err = tripByID(ctx, tx, id); err != nil {
			return err
		}
		if !dep.Equal(t.DepartsAt) {
			if err := s.notifyRescheduled(ctx, tx, out, t.DepartsAt); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, "transport_trip.update", "transport_trip", id.String(), map[string]any{
			"departs_at": dep, "arrives_at": arr, "capacity": capacity, "fare_idr": fare})
	})
	return out, err
}

func (s *Service) notifyRescheduled(ctx context.Context, tx *gorm.DB, t Trip, was time.Time) error {
	var owners []uuid.UUID
	if err := tx.Model(&bookingRow{}).Distinct("user_id").Where("trip_id = ? AND status = 'confirmed'", t.ID).
		Pluck("user_id", &owners).Error; err != nil {
		return err
	}
	from, to := was.In(wib).Format("02-01-2006 15:04"), t.DepartsAt.In(wib).Format("02-01-2006 15:04")
	msgs := make([]notification.Message, len(owners))
	for i, u := range owners {
		msgs[i] = notification.Message{UserID: u, Kind: "trip_rescheduled", Entity: "trip", EntityID: t.ID.String(),
			DedupeKey: "trip_rescheduled:" + t.ID.String() + ":" + t.DepartsAt.UTC().Format(time.RFC3339),
			Title:     notification.Text{ID: "Jadwal perjalanan berubah", EN: "Trip time changed"},
			Body: notification.Text{
				ID: fmt.Sprintf("Perjalanan %s WIB dipindah ke %s WIB; pemesanan Anda tetap berlaku.", from, to),
				EN: fmt.Sprintf("The %s WIB trip now departs at %s WIB; your booking stays valid.", from, to)}}
	}
	return s.notes.Notify(ctx, tx, msgs...)
}
