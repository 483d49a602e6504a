package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

type modeRow struct {
	Code           string `gorm:"primaryKey"`
	NameID         string
	NameEn         string
	DescriptionID  string
	DescriptionEn  string
	Bookable       bool
	Fares          string
	OperatingHours string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (modeRow) TableName() string { return "transport_modes" }

func (r modeRow) toDomain() Mode {
	m := Mode{Code: r.Code, Name: Text{r.NameID, r.NameEn}, Description: Text{r.DescriptionID, r.DescriptionEn},
		Bookable: r.Bookable, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	_ = json.Unmarshal([]byte(r.Fares), &m.Fares) // written by us from validated values
	_ = json.Unmarshal([]byte(r.OperatingHours), &m.OperatingHours)
	return m
}

func modeToRow(m Mode) modeRow {
	fares, _ := json.Marshal(nonNil(m.Fares))
	hours, _ := json.Marshal(nonNil(m.OperatingHours))
	return modeRow{Code: m.Code, NameID: m.Name.ID, NameEn: m.Name.EN, DescriptionID: m.Description.ID,
		DescriptionEn: m.Description.EN, Bookable: m.Bookable, Fares: string(fares), OperatingHours: string(hours),
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

type stopRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	NameID    string
	NameEn    string
	Lat       float64
	Lng       float64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (stopRow) TableName() string { return "transport_stops" }

func (r stopRow) toDomain() Stop {
	return Stop{ID: r.ID, Name: Text{r.NameID, r.NameEn}, Location: Location{r.Lat, r.Lng}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type routeRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	ModeCode      string
	NameID        string
	NameEn        string
	DescriptionID string
	DescriptionEn string
	Path          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (routeRow) TableName() string { return "transport_routes" }

func (r routeRow) toDomain() Route {
	rt := Route{ID: r.ID, Mode: r.ModeCode, Name: Text{r.NameID, r.NameEn}, Description: Text{r.DescriptionID, r.DescriptionEn},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Path != "" {
		_ = json.Unmarshal([]byte(r.Path), &rt.Path)
	}
	return rt
}

type routeStopRow struct {
	RouteID  uuid.UUID
	Position int
	StopID   uuid.UUID
}

func (routeStopRow) TableName() string { return "transport_route_stops" }

type tripRow struct {
	ID             uuid.UUID `gorm:"primaryKey"`
	RouteID        uuid.UUID
	DepartsAt      time.Time
	ArrivesAt      time.Time
	Capacity       int
	SeatsAvailable int
	FareIDR        int64 `gorm:"column:fare_idr"`
	Status         string
	CancelledAt    *time.Time
	ScheduleID     *uuid.UUID
	MinPassengers  int
	ConfirmBy      *time.Time
	ConfirmedAt    *time.Time
	CancelReason   string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Joined from the route and its mode.
	ModeCode string `gorm:"->"`
	Bookable bool   `gorm:"->"`
}

func (tripRow) TableName() string { return "transport_trips" }

func (r tripRow) toDomain() Trip {
	return Trip{ID: r.ID, RouteID: r.RouteID, Mode: r.ModeCode, Bookable: r.Bookable, DepartsAt: r.DepartsAt.UTC(),
		ArrivesAt: r.ArrivesAt.UTC(), Capacity: r.Capacity, SeatsAvailable: r.SeatsAvailable, FareIDR: r.FareIDR,
		Status: TripStatus(r.Status), ScheduleID: r.ScheduleID, MinPassengers: r.MinPassengers,
		ConfirmBy: utcPtr(r.ConfirmBy), ConfirmedAt: utcPtr(r.ConfirmedAt), CancelReason: r.CancelReason,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type bookingRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	Code          string
	TripID        uuid.UUID
	UserID        uuid.UUID
	Seats         int
	PassengerName string
	RiderCategory string
	TotalIDR      int64 `gorm:"column:total_idr"`
	Status        string
	CreatedAt     time.Time
	CancelledAt   *time.Time
	BoardedAt     *time.Time
}

func (bookingRow) TableName() string { return "transport_bookings" }

func (r bookingRow) toDomain() Booking {
	return Booking{ID: r.ID, Code: r.Code, TripID: r.TripID, UserID: r.UserID, Seats: r.Seats, PassengerName: r.PassengerName,
		RiderCategory: RiderCategory(r.RiderCategory), TotalIDR: r.TotalIDR, Status: BookingStatus(r.Status),
		CreatedAt: r.CreatedAt, CancelledAt: r.CancelledAt, BoardedAt: utcPtr(r.BoardedAt)}
}

// tripSelect reads trips with their route's mode.
func tripSelect(db *gorm.DB) *gorm.DB {
	return db.Table("transport_trips t").
		Select("t.*, r.mode_code AS mode_code, m.bookable AS bookable").
		Joins("JOIN transport_routes r ON r.id = t.route_id").
		Joins("JOIN transport_modes m ON m.code = r.mode_code")
}

func tripByID(ctx context.Context, db *gorm.DB, id uuid.UUID) (Trip, error) {
	var r tripRow
	err := tripSelect(db.WithContext(ctx)).Where("t.id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return Trip{}, apperr.Missing("trip", id)
	}
	if err != nil {
		return Trip{}, fmt.Errorf("load trip: %w", err)
	}
	return r.toDomain(), nil
}

// tripsByID loads the trips of a page of bookings in one query.
func tripsByID(ctx context.Context, db *gorm.DB, ids []uuid.UUID) (map[uuid.UUID]Trip, error) {
	var rows []tripRow
	if len(ids) > 0 {
		if err := tripSelect(db.WithContext(ctx)).Where("t.id IN ?", ids).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load trips: %w", err)
		}
	}
	out := make(map[uuid.UUID]Trip, len(rows))
	for _, r := range rows {
		out[r.ID] = r.toDomain()
	}
	return out, nil
}

// routeStops loads the ordered stops of routes in one query.
func routeStops(ctx context.Context, db *gorm.DB, routeIDs []uuid.UUID) (map[uuid.UUID][]RouteStop, error) {
	out := map[uuid.UUID][]RouteStop{}
	if len(routeIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		RouteID  uuid.UUID
		Position int
		StopID   uuid.UUID
		NameID   string
		NameEn   string
		Lat, Lng float64
	}
	err := db.WithContext(ctx).Table("transport_route_stops rs").
		Select("rs.route_id, rs.position, s.id AS stop_id, s.name_id, s.name_en, s.lat, s.lng").
		Joins("JOIN transport_stops s ON s.id = rs.stop_id").
		Where("rs.route_id IN ?", routeIDs).Order("rs.route_id, rs.position").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load route stops: %w", err)
	}
	for _, r := range rows {
		out[r.RouteID] = append(out[r.RouteID], RouteStop{Order: r.Position,
			Stop: Stop{ID: r.StopID, Name: Text{r.NameID, r.NameEn}, Location: Location{r.Lat, r.Lng}}})
	}
	return out, nil
}

// stopModes finds the modes whose routes serve each stop, in one query.
func stopModes(ctx context.Context, db *gorm.DB, stopIDs []uuid.UUID) (map[uuid.UUID][]string, error) {
	out := map[uuid.UUID][]string{}
	if len(stopIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		StopID   uuid.UUID
		ModeCode string
	}
	err := db.WithContext(ctx).Table("transport_route_stops rs").
		Select("DISTINCT rs.stop_id, r.mode_code").
		Joins("JOIN transport_routes r ON r.id = rs.route_id").
		Where("rs.stop_id IN ?", stopIDs).Order("rs.stop_id, r.mode_code").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load stop modes: %w", err)
	}
	for _, r := range rows {
		out[r.StopID] = append(out[r.StopID], r.ModeCode)
	}
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
