package transport

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

// NormalizeCode reads a booking code as a person typed it: any case,
// surrounding spaces ignored. A character outside the alphabet (0, O, 1, I
// among them) is refused rather than guessed at: a wrong guess would check
// in someone else's booking.
func NormalizeCode(raw string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(raw))
	if len(code) != CodeLength {
		return "", apperr.BadRequest(fmt.Sprintf("A booking code has %d characters.", CodeLength))
	}
	for _, r := range code {
		if !strings.ContainsRune(codeAlphabet, r) {
			return "", apperr.BadRequest(fmt.Sprintf("A booking code uses only %s (no 0, O, 1 or I); %q is not one of them.", codeAlphabet, r))
		}
	}
	return code, nil
}

// CodeFromTicket verifies a signed ticket with this service's key and
// returns its booking code.
func (s *Service) CodeFromTicket(ticket string) (string, error) {
	c, err := s.tickets.Verify(strings.TrimSpace(ticket))
	if err != nil {
		return "", &apperr.Error{Kind: apperr.Unprocessable, Code: "invalid_ticket",
			Detail: "This ticket's signature does not verify: it was altered, or not issued here."}
	}
	return c.Code, nil
}

// CheckIn marks the booking with this code boarded, once: one conditional
// UPDATE sets boarded_at only while the booking is confirmed, not boarded
// yet, and its trip departs today in Asia/Jakarta, so of two conductors
// scanning the same ticket exactly one succeeds. A refusal is explained
// from a read afterwards. Audited in the same transaction.
func (s *Service) CheckIn(ctx context.Context, code string) (Booking, error) {
	now := s.now()
	day := dayStart(now)
	var out Booking
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE transport_bookings SET boarded_at = ?
			WHERE code = ? AND boarded_at IS NULL AND status = 'confirmed'
			AND EXISTS (SELECT 1 FROM transport_trips t WHERE t.id = transport_bookings.trip_id
				AND t.departs_at >= ? AND t.departs_at < ?)`,
			now, code, day, day.AddDate(0, 0, 1))
		if res.Error != nil {
			return fmt.Errorf("check in: %w", res.Error)
		}
		b, err := bookingByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return whyNotBoarded(b, now)
		}
		out = b
		return audit.Record(ctx, tx, "transport_booking.check_in", "transport_booking", b.ID.String(),
			map[string]any{"code": b.Code, "trip_id": b.TripID, "seats": b.Seats})
	})
	return out, err
}

// whyNotBoarded tells a refused check-in apart.
func whyNotBoarded(b Booking, now time.Time) error {
	switch {
	case b.Status == BookingCancelled:
		return apperr.StateConflict("booking_cancelled", "This booking was cancelled.")
	case b.BoardedAt != nil:
		at := b.BoardedAt.In(wib)
		return &apperr.Error{Kind: apperr.Conflict, Code: "already_checked_in",
			Detail:     fmt.Sprintf("This booking was already checked in at %s WIB.", at.Format("02-01-2006 15:04")),
			Extensions: map[string]any{"boarded_at": at.Format(time.RFC3339)}}
	}
	return &apperr.Error{Kind: apperr.Conflict, Code: "wrong_trip_date",
		Detail: fmt.Sprintf("This booking is for a trip on %s, not today (%s).",
			b.Trip.DepartsAt.In(wib).Format(time.DateOnly), now.In(wib).Format(time.DateOnly)),
		Extensions: map[string]any{"departs_at": b.Trip.DepartsAt.In(wib).Format(time.RFC3339)}}
}

// dayStart is midnight in Asia/Jakarta of the day of t.
func dayStart(t time.Time) time.Time {
	y, m, d := t.In(wib).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, wib).UTC()
}

func bookingByCode(ctx context.Context, db *gorm.DB, code string) (Booking, error) {
	var r bookingRow
	err := db.WithContext(ctx).Where("code = ?", code).Take(&r).Error
	if database.IsNotFound(err) {
		return Booking{}, apperr.Missing("booking", code)
	}
	if err != nil {
		return Booking{}, fmt.Errorf("load booking: %w", err)
	}
	b := r.toDomain()
	if b.Trip, err = tripByID(ctx, db, b.TripID); err != nil {
		return Booking{}, err
	}
	return b, nil
}

// BookingFilter narrows the staff's bookings overview.
type BookingFilter struct {
	TripID *uuid.UUID
	Status BookingStatus // empty: any
}

// Bookings returns up to limit bookings matching f older than after, newest
// first, each with its trip, and whether more follow: two queries whatever
// the page size. For transport staff (the route guards it).
func (s *Service) Bookings(ctx context.Context, f BookingFilter, after *uuid.UUID, limit int) ([]Booking, bool, error) {
	q := s.db.WithContext(ctx).Model(&bookingRow{})
	if f.TripID != nil {
		q = q.Where("trip_id = ?", *f.TripID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	return s.bookingPage(ctx, q, after, limit)
}

// Manifest is a trip's bookings counted for the conductor.
type Manifest struct {
	Trip              Trip
	ConfirmedBookings int // boarded ones included
	SeatsBooked       int
	BoardedBookings   int
	SeatsBoarded      int
	CancelledBookings int
}

// TripManifest counts a trip's bookings in one query. For transport staff.
func (s *Service) TripManifest(ctx context.Context, id uuid.UUID) (Manifest, error) {
	t, err := tripByID(ctx, s.db.DB, id)
	if err != nil {
		return Manifest{}, err
	}
	var c struct {
		ConfirmedBookings, SeatsBooked, BoardedBookings, SeatsBoarded, CancelledBookings int
	}
	err = s.db.WithContext(ctx).Raw(`SELECT
		COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0) AS confirmed_bookings,
		COALESCE(SUM(CASE WHEN status = 'confirmed' THEN seats ELSE 0 END), 0) AS seats_booked,
		COALESCE(SUM(CASE WHEN status = 'confirmed' AND boarded_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS boarded_bookings,
		COALESCE(SUM(CASE WHEN status = 'confirmed' AND boarded_at IS NOT NULL THEN seats ELSE 0 END), 0) AS seats_boarded,
		COALESCE(SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), 0) AS cancelled_bookings
		FROM transport_bookings WHERE trip_id = ?`, id).Scan(&c).Error
	if err != nil {
		return Manifest{}, fmt.Errorf("count bookings: %w", err)
	}
	return Manifest{Trip: t, ConfirmedBookings: c.ConfirmedBookings, SeatsBooked: c.SeatsBooked,
		BoardedBookings: c.BoardedBookings, SeatsBoarded: c.SeatsBoarded, CancelledBookings: c.CancelledBookings}, nil
}
