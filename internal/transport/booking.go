package transport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/pkg/cursor"
)

// BookingDraft is what a rider asks for.
type BookingDraft struct {
	Seats         int
	PassengerName string
	RiderCategory RiderCategory // optional; the fare is the trip's either way
}

var errTripCancelled = apperr.StateConflict("trip_cancelled", "This trip was cancelled.")
var errTripDeparted = apperr.StateConflict("trip_departed", "This trip has already departed.")

func insufficientSeats(left int) error {
	return apperr.StateConflict("insufficient_seats", fmt.Sprintf("Only %d seats are left on this trip.", left))
}

// Book takes seats on a trip for who. The seats are taken by one
// conditional UPDATE in the transaction that inserts the booking: the
// database, not this process, decides whether they are still there.
func (s *Service) Book(ctx context.Context, who identity.Actor, tripID uuid.UUID, d BookingDraft) (Booking, error) {
	trip, err := tripByID(ctx, s.db.DB, tripID)
	if err != nil {
		return Booking{}, err
	}
	if !trip.Bookable {
		return Booking{}, &apperr.Error{Kind: apperr.Unprocessable, Code: "not_bookable",
			Detail: "Rides of this mode cannot be booked; pay on board."}
	}
	now := s.now()
	// What the trip already shows refuses without a transaction: under a
	// burst on a full trip that spares the database most of the work. The
	// conditional UPDATE below stays the only way seats are taken, so this
	// can at worst refuse a request that seats freed a moment ago would have
	// let through, never let one oversell.
	switch trip.StatusAt(now) {
	case TripCancelled:
		return Booking{}, errTripCancelled
	case TripDeparted:
		return Booking{}, errTripDeparted
	}
	if trip.SeatsAvailable < d.Seats {
		return Booking{}, insufficientSeats(trip.SeatsAvailable)
	}
	b := Booking{ID: uuid.Must(uuid.NewV7()), TripID: tripID, UserID: who.ID, Seats: d.Seats, PassengerName: d.PassengerName,
		RiderCategory: d.RiderCategory, Status: BookingConfirmed, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *gorm.DB) error {
		var taken []struct {
			FareIDR        int64 `gorm:"column:fare_idr"`
			SeatsAvailable int
		}
		err := tx.Raw(`UPDATE transport_trips SET seats_available = seats_available - ?, updated_at = ?
			WHERE id = ? AND status = 'scheduled' AND departs_at > ? AND seats_available >= ?
			RETURNING fare_idr, seats_available`, d.Seats, now, tripID, now, d.Seats).Scan(&taken).Error
		if err != nil {
			return err
		}
		if len(taken) == 0 {
			return whyNotBookable(ctx, tx, tripID, now)
		}
		b.TotalIDR = taken[0].FareIDR * int64(d.Seats)
		if err := insertBooking(ctx, tx, &b); err != nil {
			return err
		}
		b.Trip = trip
		b.Trip.SeatsAvailable = taken[0].SeatsAvailable
		// A retry with the request's Idempotency-Key finds this booking
		// even if this process dies before answering.
		if err := idempotency.BindEffect(ctx, tx, b.ID.String()); err != nil {
			return err
		}
		s.metrics.bookingConfirmed(tx)
		return s.notes.Notify(ctx, tx, bookingConfirmed(b))
	})
	if err != nil {
		return Booking{}, err
	}
	return b, nil
}

// whyNotBookable tells a refused seat update apart: gone, cancelled,
// departed, or full.
func whyNotBookable(ctx context.Context, tx *gorm.DB, tripID uuid.UUID, now time.Time) error {
	t, err := tripByID(ctx, tx, tripID)
	if err != nil {
		return err
	}
	switch t.StatusAt(now) {
	case TripCancelled:
		return errTripCancelled
	case TripDeparted:
		return errTripDeparted
	}
	return insufficientSeats(t.SeatsAvailable)
}

// insertBooking gives b a fresh code, drawing again on the rare collision.
// ON CONFLICT keeps the transaction usable on PostgreSQL, where a failed
// INSERT would abort it.
func insertBooking(ctx context.Context, tx *gorm.DB, b *Booking) error {
	for range 5 {
		b.Code = newCode()
		res := tx.WithContext(ctx).Exec(`INSERT INTO transport_bookings
			(id, code, trip_id, user_id, seats, passenger_name, rider_category, total_idr, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
			b.ID, b.Code, b.TripID, b.UserID, b.Seats, b.PassengerName, string(b.RiderCategory), b.TotalIDR,
			string(b.Status), b.CreatedAt)
		if res.Error != nil {
			return fmt.Errorf("insert booking: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return nil
		}
	}
	return errors.New("no free booking code after 5 draws")
}

// MyBookings returns up to limit of who's bookings older than after, newest
// first, each with its trip, and whether more follow.
func (s *Service) MyBookings(ctx context.Context, who identity.Actor, after *uuid.UUID, limit int) ([]Booking, bool, error) {
	return s.bookingPage(ctx, s.db.WithContext(ctx).Where("user_id = ?", who.ID), after, limit)
}

// bookingPage reads up to limit of the bookings q selects older than after,
// newest first, each with its trip (one query for all their trips), and
// whether more follow.
func (s *Service) bookingPage(ctx context.Context, q *gorm.DB, after *uuid.UUID, limit int) ([]Booking, bool, error) {
	if after != nil {
		q = q.Where("id < ?", *after)
	}
	var rows []bookingRow
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list bookings: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	ids := make([]uuid.UUID, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.TripID)
	}
	trips, err := tripsByID(ctx, s.db.DB, ids)
	if err != nil {
		return nil, false, err
	}
	out := make([]Booking, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
		out[i].Trip = trips[r.TripID]
	}
	return out, more, nil
}

// MyBooking returns one of who's bookings; anyone else's is not found.
func (s *Service) MyBooking(ctx context.Context, who identity.Actor, id uuid.UUID) (Booking, error) {
	return bookingOf(ctx, s.db.DB, who, id)
}

func bookingOf(ctx context.Context, db *gorm.DB, who identity.Actor, id uuid.UUID) (Booking, error) {
	var r bookingRow
	err := db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return Booking{}, apperr.Missing("booking", id)
	}
	if err != nil {
		return Booking{}, fmt.Errorf("load booking: %w", err)
	}
	b := r.toDomain()
	if !canSeeBooking(who, b) {
		return Booking{}, apperr.Missing("booking", id)
	}
	if b.Trip, err = tripByID(ctx, db, b.TripID); err != nil {
		return Booking{}, err
	}
	return b, nil
}

// CancelBooking cancels one of who's bookings and gives its seats back,
// exactly once: the status change is conditional, and only the request that
// made it returns the seats. Cancelling a cancelled booking answers it
// unchanged; after departure or boarding it is 409.
func (s *Service) CancelBooking(ctx context.Context, who identity.Actor, id uuid.UUID) (Booking, error) {
	var out Booking
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		b, err := bookingOf(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if b.Status == BookingCancelled {
			out = b
			return nil
		}
		now := s.now()
		res := tx.Exec(`UPDATE transport_bookings SET status = 'cancelled', cancelled_at = ?
			WHERE id = ? AND status = 'confirmed' AND boarded_at IS NULL
			AND EXISTS (SELECT 1 FROM transport_trips t WHERE t.id = transport_bookings.trip_id AND t.departs_at > ?)`,
			now, id, now)
		if res.Error != nil {
			return fmt.Errorf("cancel booking: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			if b, err = bookingOf(ctx, tx, who, id); err != nil {
				return err
			}
			if b.Status == BookingCancelled { // a concurrent cancel won
				out = b
				return nil
			}
			if b.BoardedAt != nil { // the rider is on board: the seats are in use
				return apperr.StateConflict("already_checked_in", "This booking was checked in; it can no longer be cancelled.")
			}
			return errTripDeparted
		}
		if err := tx.Exec(`UPDATE transport_trips SET seats_available = seats_available + ?, updated_at = ?
			WHERE id = ? AND status = 'scheduled'`, b.Seats, now, b.TripID).Error; err != nil {
			return fmt.Errorf("free seats: %w", err)
		}
		if out, err = bookingOf(ctx, tx, who, id); err != nil {
			return err
		}
		s.metrics.bookingsCancelled(tx, "passenger", 1)
		return s.notes.Notify(ctx, tx, bookingCancelled(out))
	})
	return out, err
}

func bookingConfirmed(b Booking) notification.Message {
	at := b.Trip.DepartsAt.In(wib).Format("02-01-2006 15:04")
	return notification.Message{UserID: b.UserID, Kind: "booking_confirmed", Entity: "booking", EntityID: b.ID.String(),
		Title: notification.Text{ID: "Pemesanan dikonfirmasi", EN: "Booking confirmed"},
		Body: notification.Text{
			ID: fmt.Sprintf("Kode %s: %d kursi, berangkat %s WIB.", b.Code, b.Seats, at),
			EN: fmt.Sprintf("Code %s: %d seats, departing %s WIB.", b.Code, b.Seats, at)}}
}

func bookingCancelled(b Booking) notification.Message {
	return notification.Message{UserID: b.UserID, Kind: "booking_cancelled", Entity: "booking", EntityID: b.ID.String(),
		Title: notification.Text{ID: "Pemesanan dibatalkan", EN: "Booking cancelled"},
		Body: notification.Text{
			ID: fmt.Sprintf("Pemesanan %s dibatalkan; %d kursi dilepas.", b.Code, b.Seats),
			EN: fmt.Sprintf("Booking %s is cancelled; its %d seats are released.", b.Code, b.Seats)}}
}
