package transport

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/cursor"
)

// Notifier writes in-app messages with the caller's transaction, so a
// message exists exactly when its booking or cancellation committed
// (*notification.Service implements it).
type Notifier interface {
	Notify(ctx context.Context, tx *gorm.DB, msgs ...notification.Message) error
}

// Service is the transport use cases; it owns their transactions.
type Service struct {
	db      *database.DB
	notes   Notifier
	cal     Calendar
	now     func() time.Time
	tickets *TicketSigner
	metrics metrics
}

// NewService returns the transport service over db; cal says which dates
// are holidays for schedules; now is the clock that decides when a trip has
// departed.
func NewService(db *database.DB, notes Notifier, cal Calendar, now func() time.Time) *Service {
	return &Service{db: db, notes: notes, cal: cal, now: func() time.Time { return now().UTC() }, tickets: ephemeralTicketSigner(),
		metrics: newMetrics()}
}

// SetTicketKey signs tickets with the Ed25519 key of this 32-byte seed
// (TICKET_SIGNING_KEY). Until it is called a random key serves, whose
// tickets do not survive a restart.
func (s *Service) SetTicketKey(seed []byte) error {
	t, err := NewTicketSigner(seed)
	if err != nil {
		return err
	}
	s.tickets = t
	return nil
}

// Ticket is the signed ticket of a confirmed booking; a cancelled one has none.
func (s *Service) Ticket(b Booking) *string {
	if b.Status != BookingConfirmed {
		return nil
	}
	t := s.tickets.Sign(b)
	return &t
}

// TicketKey is the key that verifies tickets: its id and public key.
func (s *Service) TicketKey() (kid string, pub []byte) {
	return s.tickets.KeyID(), s.tickets.PublicKey()
}

// SetClock replaces the clock; tests move time with it.
func (s *Service) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// Now is the service's current time.
func (s *Service) Now() time.Time { return s.now() }

// Modes returns every mode, by code.
func (s *Service) Modes(ctx context.Context) ([]Mode, error) {
	var rows []modeRow
	if err := s.read(ctx).Order("code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list modes: %w", err)
	}
	out := make([]Mode, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Routes returns up to limit routes (of one mode, when mode is set) after
// the given id, by id, with their stops, and whether more follow.
func (s *Service) Routes(ctx context.Context, mode string, after *uuid.UUID, limit int) ([]Route, bool, error) {
	q := s.read(ctx).Model(&routeRow{})
	if mode != "" {
		q = q.Where("mode_code = ?", mode)
	}
	if after != nil {
		q = q.Where("id > ?", *after)
	}
	var rows []routeRow
	if err := q.Order("id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list routes: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	routes, err := s.withStops(ctx, s.read(ctx), rows)
	return routes, more, err
}

func (s *Service) withStops(ctx context.Context, db *gorm.DB, rows []routeRow) ([]Route, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	stops, err := routeStops(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Route, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
		out[i].Stops = nonNil(stops[r.ID])
	}
	return out, nil
}

// Route returns one route with its stops.
func (s *Service) Route(ctx context.Context, id uuid.UUID) (Route, error) {
	return routeByID(ctx, s.read(ctx), id)
}

func routeByID(ctx context.Context, db *gorm.DB, id uuid.UUID) (Route, error) {
	var r routeRow
	err := db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return Route{}, apperr.Missing("route", id)
	}
	if err != nil {
		return Route{}, fmt.Errorf("load route: %w", err)
	}
	stops, err := routeStops(ctx, db, []uuid.UUID{id})
	if err != nil {
		return Route{}, err
	}
	rt := r.toDomain()
	rt.Stops = nonNil(stops[id])
	return rt, nil
}

// StopPosition is where a page of stops ended: by distance when near was
// given, else by id alone.
type StopPosition struct {
	D  float64   `json:"d"`
	ID uuid.UUID `json:"i"`
}

// Near asks for stops within RadiusM of a point.
type Near struct {
	Point   Location
	RadiusM float64
}

// Stops returns up to limit stops after the position, nearest first with
// near (each with distance_m), else by id, with the modes serving them.
func (s *Service) Stops(ctx context.Context, near *Near, after *StopPosition, limit int) ([]Stop, bool, error) {
	db := s.read(ctx)
	var rows []stopRow
	var stops []Stop
	if near == nil {
		q := db.Model(&stopRow{})
		if after != nil {
			q = q.Where("id > ?", after.ID)
		}
		if err := q.Order("id").Limit(limit + 1).Find(&rows).Error; err != nil {
			return nil, false, fmt.Errorf("list stops: %w", err)
		}
		for _, r := range rows {
			stops = append(stops, r.toDomain())
		}
	} else {
		var err error
		if stops, err = s.nearStops(ctx, *near, after, limit+1); err != nil {
			return nil, false, err
		}
		more := len(stops) > limit
		if more {
			stops = stops[:limit]
		}
		return stops, more, nil
	}
	more := len(stops) > limit
	if more {
		stops = stops[:limit]
	}
	ids := make([]uuid.UUID, len(stops))
	for i, st := range stops {
		ids[i] = st.ID
	}
	modes, err := stopModes(ctx, s.read(ctx), ids)
	if err != nil {
		return nil, false, err
	}
	for i := range stops {
		stops[i].Modes = nonNil(modes[stops[i].ID])
	}
	return stops, more, nil
}

// wib is Asia/Jakarta, which has kept UTC+7 without daylight saving since 1964.
var wib = time.FixedZone("WIB", 7*60*60)

// TripFilter narrows the trip list.
type TripFilter struct {
	RouteID *uuid.UUID
	// Date is a day in Asia/Jakarta (midnight WIB); zero lists the trips
	// that have not departed yet.
	Date time.Time
}

// TripPosition is where a page of trips ended.
type TripPosition struct {
	At time.Time `json:"t"`
	ID uuid.UUID `json:"i"`
}

// Trips returns up to limit trips matching f after the position, by
// departure time, and whether more follow.
func (s *Service) Trips(ctx context.Context, f TripFilter, after *TripPosition, limit int) ([]Trip, bool, error) {
	q := tripSelect(s.read(ctx))
	if f.RouteID != nil {
		q = q.Where("t.route_id = ?", *f.RouteID)
	}
	if f.Date.IsZero() {
		q = q.Where("t.departs_at > ?", s.now())
	} else {
		q = q.Where("t.departs_at >= ? AND t.departs_at < ?", f.Date.UTC(), f.Date.AddDate(0, 0, 1).UTC())
	}
	if after != nil {
		at := after.At.UTC()
		q = q.Where("(t.departs_at > ? OR (t.departs_at = ? AND t.id > ?))", at, at, after.ID)
	}
	var rows []tripRow
	if err := q.Order("t.departs_at, t.id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list trips: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out := make([]Trip, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, more, nil
}

// Trip returns one trip.
func (s *Service) Trip(ctx context.Context, id uuid.UUID) (Trip, error) {
	return tripByID(ctx, s.read(ctx), id)
}

// read is the handle of the public reads (modes, stops, routes, schedules,
// trips and their seats, GTFS): an anonymous caller's may come from a read
// replica; a signed-in caller, who may have just booked, reads the primary.
func (s *Service) read(ctx context.Context) *gorm.DB { return identity.ReadHandle(ctx, s.db) }
