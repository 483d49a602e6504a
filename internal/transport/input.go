package transport

import (
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Limits of staff input, also declared in the API description.
const (
	maxName        = 120
	maxDescription = 2000
	maxFares       = 12
	maxHours       = 21
	maxRouteStops  = 100
	maxPathPoints  = 5000
	maxCapacity    = 1000
	maxFareIDR     = 100_000_000
	maxPassenger   = 100
)

var modeCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

type problems map[string]string

func (p problems) add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

func trimText(t *Text) {
	if t != nil {
		t.ID, t.EN = strings.TrimSpace(t.ID), strings.TrimSpace(t.EN)
	}
}

func (p problems) text(field string, t *Text, max int, required bool) {
	if t == nil {
		if required {
			p.add(field, "is required")
		}
		return
	}
	if required && t.ID == "" {
		p.add(field+".id", "is required")
	}
	if len([]rune(t.ID)) > max {
		p.add(field+".id", "is too long")
	}
	if len([]rune(t.EN)) > max {
		p.add(field+".en", "is too long")
	}
}

func (p problems) location(field string, l *Location) {
	if l != nil && !validLatLng(l.Lat, l.Lng) {
		p.add(field, "must have lat in -90..90 and lng in -180..180")
	}
}

func validLatLng(lat, lng float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180
}

// modeRequest is the body of creating (code required) and changing (code
// ignored, absent fields unchanged) a mode.
type modeRequest struct {
	Code           string  `json:"code" minLength:"2" maxLength:"40" example:"steam_train"` // lower-case letters, digits and _, starting with a letter; set on create only
	Name           *Text   `json:"name"`
	Description    *Text   `json:"description" text:"multiline"`
	Bookable       *bool   `json:"bookable" example:"true"`
	Fares          []Fare  `json:"fares" validate:"max=12"`           // absent: unchanged
	OperatingHours []Hours `json:"operating_hours" validate:"max=21"` // absent: unchanged
} // @name TransportModeRequest

func (m *modeRequest) Normalize() {
	trimText(m.Name)
	trimText(m.Description)
	for i := range m.Fares {
		m.Fares[i].Label = strings.TrimSpace(m.Fares[i].Label)
	}
}

func (m *modeRequest) check(create bool) map[string]string {
	p := problems{}
	if create && !modeCode.MatchString(m.Code) {
		p.add("code", "must be 2-40 lower-case letters, digits or _, starting with a letter")
	}
	p.text("name", m.Name, maxName, create || m.Name != nil)
	p.text("description", m.Description, maxDescription, false)
	if len(m.Fares) > maxFares {
		p.add("fares", "has too many entries")
	}
	{
		for _, f := range m.Fares {
			if !f.Category.Valid() {
				p.add("fares", "category must be adult, child, student, elderly, foreign_tourist or disabled")
			}
			if f.AmountIDR < 0 || f.AmountIDR > maxFareIDR {
				p.add("fares", "amount_idr must be 0..100000000")
			}
			if len([]rune(f.Label)) > 80 {
				p.add("fares", "label is too long")
			}
		}
	}
	if len(m.OperatingHours) > maxHours {
		p.add("operating_hours", "has too many entries")
	}
	{
		for _, h := range m.OperatingHours {
			if h.Day < 0 || h.Day > 6 || !validClock(h.Open) || !validClock(h.Close) {
				p.add("operating_hours", `each entry needs day 0..6 and open/close as "HH:MM"`)
			}
		}
	}
	return p
}

func validClock(s string) bool {
	if s == "24:00" {
		return true
	}
	_, err := time.Parse("15:04", s)
	return err == nil && len(s) == 5
}

type stopRequest struct {
	Name     *Text     `json:"name"`
	Location *Location `json:"location"`
} // @name TransportStopRequest

func (r *stopRequest) Normalize() { trimText(r.Name) }

func (r *stopRequest) check(create bool) map[string]string {
	p := problems{}
	p.text("name", r.Name, maxName, create || r.Name != nil)
	if create && r.Location == nil {
		p.add("location", "is required")
	}
	p.location("location", r.Location)
	return p
}

// routeRequest is the body of creating (mode, name and stop_ids required)
// and changing (absent fields unchanged) a route.
type routeRequest struct {
	Mode        *string     `json:"mode" example:"steam_train" maxLength:"40"`
	Name        *Text       `json:"name"`
	Description *Text       `json:"description" text:"multiline"`
	StopIDs     []uuid.UUID `json:"stop_ids" validate:"min=2,max=100" maxLength:"36"` // in riding order; a loop may repeat a stop
	Path        [][]float64 `json:"path" validate:"max=5000"`                         // [lng, lat] positions; [] clears a drawn path (the stops are joined)
} // @name TransportRouteRequest

func (r *routeRequest) Normalize() {
	trimText(r.Name)
	trimText(r.Description)
}

func (r *routeRequest) check(create bool) map[string]string {
	p := problems{}
	if create && r.Mode == nil {
		p.add("mode", "is required")
	}
	p.text("name", r.Name, maxName, create || r.Name != nil)
	p.text("description", r.Description, maxDescription, false)
	if r.StopIDs == nil && create {
		p.add("stop_ids", "is required")
	}
	if r.StopIDs != nil && (len(r.StopIDs) < 2 || len(r.StopIDs) > maxRouteStops) {
		p.add("stop_ids", "must list 2 to 100 stops in order")
	}
	if r.Path != nil {
		if len(r.Path) > maxPathPoints {
			p.add("path", "has too many points")
		}
		for _, pt := range r.Path {
			if len(pt) != 2 || !validLatLng(pt[1], pt[0]) {
				p.add("path", "points are [lng, lat] with lng in -180..180 and lat in -90..90")
			}
		}
	}
	return p
}

func (r *routeRequest) draft() RouteDraft {
	d := RouteDraft{Mode: r.Mode, Name: r.Name, Description: r.Description}
	if r.StopIDs != nil {
		d.StopIDs = &r.StopIDs
	}
	if r.Path != nil {
		path := make([][2]float64, len(r.Path))
		for i, pt := range r.Path {
			path[i] = [2]float64{pt[0], pt[1]}
		}
		d.Path = &path
	}
	return d
}

type createTripRequest struct {
	RouteID   uuid.UUID `json:"route_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	DepartsAt time.Time `json:"departs_at" example:"2026-12-06T09:00:00+07:00" format:"date-time" maxLength:"35"`
	ArrivesAt time.Time `json:"arrives_at" example:"2026-12-06T12:00:00+07:00" format:"date-time" maxLength:"35"`
	Capacity  int       `json:"capacity" minimum:"1" maximum:"1000" example:"72" format:"int32"`
	FareIDR   int64     `json:"fare_idr" minimum:"0" maximum:"100000000" example:"50000" format:"int64"`
} // @name CreateTransportTripRequest

func (r *createTripRequest) Validate() map[string]string {
	p := problems{}
	if r.RouteID == uuid.Nil {
		p.add("route_id", "is required")
	}
	if r.DepartsAt.IsZero() {
		p.add("departs_at", "is required")
	}
	if !r.ArrivesAt.After(r.DepartsAt) {
		p.add("arrives_at", "must be after departs_at")
	}
	if r.Capacity < 1 || r.Capacity > maxCapacity {
		p.add("capacity", "must be 1..1000")
	}
	if r.FareIDR < 0 || r.FareIDR > maxFareIDR {
		p.add("fare_idr", "must be 0..100000000")
	}
	return p
}

// updateTripRequest is either {"status": "cancelled"} alone, or changes of
// time, seats and fare (absent fields unchanged).
type updateTripRequest struct {
	Status    string     `json:"status,omitempty" enums:"cancelled" example:"cancelled"`
	DepartsAt *time.Time `json:"departs_at,omitempty" example:"2026-12-06T10:00:00+07:00" format:"date-time" maxLength:"35"`
	ArrivesAt *time.Time `json:"arrives_at,omitempty" example:"2026-12-06T12:00:00+07:00" format:"date-time" maxLength:"35"` // absent with departs_at: the trip keeps its length
	Capacity  *int       `json:"capacity,omitempty" minimum:"1" maximum:"1000" example:"54" format:"int32"`                  // not below the seats booked
	FareIDR   *int64     `json:"fare_idr,omitempty" minimum:"0" maximum:"100000000" example:"25000" format:"int64"`          // for bookings made from now on
} // @name UpdateTransportTripRequest

func (r *updateTripRequest) changes() bool {
	return r.DepartsAt != nil || r.ArrivesAt != nil || r.Capacity != nil || r.FareIDR != nil
}

func (r *updateTripRequest) Validate() map[string]string {
	p := problems{}
	switch {
	case r.Status != "" && r.Status != string(TripCancelled):
		p.add("status", `the only status change is "cancelled"`)
	case r.Status != "" && r.changes():
		p.add("status", "a cancellation is sent alone")
	case r.Status == "" && !r.changes():
		p.add("status", "send status, departs_at, arrives_at, capacity or fare_idr")
	}
	if r.Capacity != nil && (*r.Capacity < 1 || *r.Capacity > maxCapacity) {
		p.add("capacity", "must be 1..1000")
	}
	if r.FareIDR != nil && (*r.FareIDR < 0 || *r.FareIDR > maxFareIDR) {
		p.add("fare_idr", "must be 0..100000000")
	}
	if r.DepartsAt != nil && r.ArrivesAt != nil && !r.ArrivesAt.After(*r.DepartsAt) {
		p.add("arrives_at", "must be after departs_at")
	}
	return p
}

type createBookingRequest struct {
	Seats         *int64        `json:"seats" minimum:"1" maximum:"10" example:"2" format:"int64"`
	PassengerName string        `json:"passenger_name" maxLength:"100" example:"Sari Wulandari"`
	RiderCategory RiderCategory `json:"rider_category,omitempty" enums:"adult,child,student,elderly,foreign_tourist,disabled" swaggertype:"string" example:"adult"`
} // @name CreateBookingRequest

func (r *createBookingRequest) Normalize() { r.PassengerName = strings.TrimSpace(r.PassengerName) }

func (r *createBookingRequest) Validate() map[string]string {
	p := problems{}
	if r.Seats == nil {
		p.add("seats", "is required")
	} else if *r.Seats < MinSeats || *r.Seats > MaxSeats {
		p.add("seats", "must be 1..10")
	}
	if r.PassengerName == "" {
		p.add("passenger_name", "is required")
	} else if len([]rune(r.PassengerName)) > maxPassenger {
		p.add("passenger_name", "is too long")
	}
	if r.RiderCategory != "" && !r.RiderCategory.Valid() {
		p.add("rider_category", "must be adult, child, student, elderly, foreign_tourist or disabled")
	}
	return p
}
