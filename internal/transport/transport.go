// Package transport is the city's tourist transport: modes with their fares
// and hours, stops, routes through ordered stops, dated trips with a seat
// counter, and bookings that take seats from it. Seats are taken and given
// back by single conditional UPDATEs inside the booking's transaction, so no
// trip is ever oversold, whatever the concurrency or the number of replicas.
package transport

import (
	"crypto/rand"
	"time"

	"github.com/google/uuid"
	"github.com/solodestination/api/pkg/geo"
)

// Text is a localised text: Indonesian is required, English optional.
type Text struct {
	ID string `json:"id" example:"Sepur Kluthuk Jaladara" maxLength:"10000"`
	EN string `json:"en" example:"Jaladara steam train" maxLength:"10000"`
} // @name TransportText

// Location is a WGS84 point.
type Location struct {
	Lat float64 `json:"lat" minimum:"-90" maximum:"90" example:"-7.5613"`
	Lng float64 `json:"lng" minimum:"-180" maximum:"180" example:"110.7958"`
} // @name TransportPoint

// RiderCategory is who a fare is for.
type RiderCategory string

// The rider categories of GTFS Fares v2 as Solo's operators price them.
const (
	Adult          RiderCategory = "adult"
	Child          RiderCategory = "child"
	Student        RiderCategory = "student"
	Elderly        RiderCategory = "elderly"
	ForeignTourist RiderCategory = "foreign_tourist"
	Disabled       RiderCategory = "disabled"
)

// Valid reports whether c is a known category.
func (c RiderCategory) Valid() bool {
	switch c {
	case Adult, Child, Student, Elderly, ForeignTourist, Disabled:
		return true
	}
	return false
}

// Fare is what one rider category pays, in whole rupiah. It is information:
// a booking pays its trip's fare_idr per seat.
type Fare struct {
	Category  RiderCategory `json:"category" enums:"adult,child,student,elderly,foreign_tourist,disabled" swaggertype:"string" example:"adult"`
	Label     string        `json:"label" maxLength:"80" example:"Dewasa / Adult"`
	AmountIDR int64         `json:"amount_idr" minimum:"0" maximum:"100000000" example:"20000" format:"int64"`
} // @name TransportFare

// Hours is one operating span on a day of the week (0 = Sunday), in
// Asia/Jakarta.
type Hours struct {
	Day   int    `json:"day" minimum:"0" maximum:"6" example:"6" format:"int32"`
	Open  string `json:"open" example:"09:00" maxLength:"5"`
	Close string `json:"close" example:"17:00" maxLength:"5"`
} // @name TransportHours

// Mode is a kind of ride: andong, steam train, electric car, double-decker,
// city bus.
type Mode struct {
	Code           string
	Name           Text
	Description    Text
	Bookable       bool
	Fares          []Fare
	OperatingHours []Hours
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Stop is a place where rides stop.
type Stop struct {
	ID        uuid.UUID
	Name      Text
	Location  Location
	Modes     []string // codes of the modes whose routes serve it
	DistanceM *float64 // from the near point, when asked
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RouteStop is a stop at a position of a route (1-based).
type RouteStop struct {
	Order int
	Stop  Stop
}

// Route is a line a mode runs through ordered stops.
type Route struct {
	ID          uuid.UUID
	Mode        string
	Name        Text
	Description Text
	Stops       []RouteStop
	Path        [][2]float64 // [lng, lat] pairs, GeoJSON order; empty: through the stops
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TripStatus is a trip's stored state; departed is derived from the clock.
type TripStatus string

const (
	TripScheduled TripStatus = "scheduled"
	TripDeparted  TripStatus = "departed"
	TripCancelled TripStatus = "cancelled"
)

// Trip is one dated run of a route.
type Trip struct {
	ID             uuid.UUID
	RouteID        uuid.UUID
	Mode           string
	Bookable       bool
	DepartsAt      time.Time
	ArrivesAt      time.Time
	Capacity       int
	SeatsAvailable int
	FareIDR        int64
	Status         TripStatus // as stored: scheduled or cancelled
	// Set on trips generated from a weekly schedule.
	ScheduleID *uuid.UUID
	// MinPassengers and ConfirmBy: at ConfirmBy the trip is confirmed when
	// it has at least MinPassengers booked, cancelled otherwise. A trip
	// without ConfirmBy runs as created.
	MinPassengers int
	ConfirmBy     *time.Time
	ConfirmedAt   *time.Time
	CancelReason  string // "staff" or "min_passengers" once cancelled
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// StatusAt is the status clients see at now: a scheduled trip whose
// departure time has passed has departed.
func (t Trip) StatusAt(now time.Time) TripStatus {
	if t.Status == TripScheduled && !now.Before(t.DepartsAt) {
		return TripDeparted
	}
	return t.Status
}

// BookingStatus is a booking's state.
type BookingStatus string

const (
	BookingConfirmed BookingStatus = "confirmed"
	BookingCancelled BookingStatus = "cancelled"
)

// Booking is seats on a trip held by a user.
type Booking struct {
	ID            uuid.UUID
	Code          string
	TripID        uuid.UUID
	UserID        uuid.UUID
	Seats         int
	PassengerName string
	RiderCategory RiderCategory
	TotalIDR      int64
	Status        BookingStatus
	CreatedAt     time.Time
	CancelledAt   *time.Time
	BoardedAt     *time.Time // when a conductor checked it in
	Trip          Trip
}

// Booking limits.
const (
	MinSeats = 1
	MaxSeats = 10
)

// codeAlphabet has no 0/O or 1/I, so a code read aloud or copied by hand
// cannot be mistaken.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// CodeLength gives 32^8 ≈ 10^12 codes: collisions are rare and retried.
const CodeLength = 8

// newCode returns a random booking code.
func newCode() string {
	b := make([]byte, CodeLength)
	rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)] // 256 is a multiple of 32: no bias
	}
	return string(b)
}

// distanceM is the great-circle distance in metres, rounded like the
// catalog's distance_m.
func distanceM(a, b Location) float64 {
	return geo.RoundM(geo.DistanceM(a.Lat, a.Lng, b.Lat, b.Lng))
}

// latLngBox bounds the points within r metres of p (geo.Box).
func latLngBox(p Location, r float64) (minLat, maxLat, minLng, maxLng float64) {
	return geo.Box(p.Lat, p.Lng, r)
}
