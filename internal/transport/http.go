package transport

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// localized renders t for lang: a string, or the object for LangAll.
func localized(t Text, l web.Lang) any {
	if l == web.LangAll {
		return t
	}
	return l.Pick(t.ID, t.EN)
}

type modeResponse struct {
	Code           string  `json:"code" example:"steam_train" maxLength:"40"`
	Name           any     `json:"name" extensions:"x-localized=200"`
	Description    any     `json:"description" extensions:"x-localized=10000"`
	Bookable       bool    `json:"bookable" example:"true"`
	Fares          []Fare  `json:"fares" validate:"max=12"`
	OperatingHours []Hours `json:"operating_hours" validate:"max=21"`
} // @name TransportMode

func toModeResponse(m Mode, l web.Lang) modeResponse {
	return modeResponse{Code: m.Code, Name: localized(m.Name, l), Description: localized(m.Description, l),
		Bookable: m.Bookable, Fares: nonNil(m.Fares), OperatingHours: nonNil(m.OperatingHours)}
}

type modeList struct {
	Data []modeResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta   `json:"meta"`
} // @name TransportModeList

type stopResponse struct {
	ID        uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Name      any       `json:"name" extensions:"x-localized=200"`
	Location  Location  `json:"location"`
	Modes     []string  `json:"modes" example:"steam_train,city_bus" validate:"max=20" maxLength:"40"` // codes of the modes whose routes serve the stop
	DistanceM *float64  `json:"distance_m,omitempty" extensions:"x-optional" example:"412.7"`          // great-circle metres from near
} // @name TransportStop

func toStopResponse(s Stop, l web.Lang) stopResponse {
	return stopResponse{ID: s.ID, Name: localized(s.Name, l), Location: s.Location, Modes: nonNil(s.Modes), DistanceM: s.DistanceM}
}

type stopList struct {
	Data []stopResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta   `json:"meta"`
} // @name TransportStopList

type routeStopResponse struct {
	ID       uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Name     any       `json:"name" extensions:"x-localized=200"`
	Location Location  `json:"location"`
	Order    int       `json:"order" minimum:"1" example:"3" format:"int32" maximum:"100"`
} // @name TransportRouteStop

// lineString is a GeoJSON LineString of [lng, lat] positions.
type lineString struct {
	Type        string      `json:"type" enums:"LineString" example:"LineString"`
	Coordinates [][]float64 `json:"coordinates" validate:"max=5000"`
} // @name GeoLineString

type routeResponse struct {
	ID          uuid.UUID           `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Mode        string              `json:"mode" example:"steam_train" maxLength:"40"`
	Name        any                 `json:"name" extensions:"x-localized=200"`
	Description any                 `json:"description" extensions:"x-localized=10000"`
	Stops       []routeStopResponse `json:"stops" validate:"max=100"`
	Path        lineString          `json:"path"` // the drawn path, or straight lines through the stops
} // @name TransportRoute

func toRouteResponse(r Route, l web.Lang) routeResponse {
	out := routeResponse{ID: r.ID, Mode: r.Mode, Name: localized(r.Name, l), Description: localized(r.Description, l),
		Stops: make([]routeStopResponse, len(r.Stops)), Path: lineString{Type: "LineString", Coordinates: [][]float64{}}}
	for i, s := range r.Stops {
		out.Stops[i] = routeStopResponse{ID: s.Stop.ID, Name: localized(s.Stop.Name, l), Location: s.Stop.Location, Order: s.Order}
	}
	for _, p := range r.Path {
		out.Path.Coordinates = append(out.Path.Coordinates, []float64{p[0], p[1]})
	}
	if len(r.Path) == 0 {
		for _, s := range r.Stops {
			out.Path.Coordinates = append(out.Path.Coordinates, []float64{s.Stop.Location.Lng, s.Stop.Location.Lat})
		}
	}
	return out
}

type routeList struct {
	Data []routeResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta    `json:"meta"`
} // @name TransportRouteList

type tripResponse struct {
	ID             uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	RouteID        uuid.UUID `json:"route_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f61" format:"uuid" maxLength:"36"`
	Mode           string    `json:"mode" example:"steam_train" maxLength:"40"`
	DepartsAt      time.Time `json:"departs_at" format:"date-time" maxLength:"35"`
	ArrivesAt      time.Time `json:"arrives_at" format:"date-time" maxLength:"35"`
	Capacity       int       `json:"capacity" minimum:"1" maximum:"1000" example:"72" format:"int32"`
	SeatsAvailable int       `json:"seats_available" minimum:"0" example:"41" format:"int32" maximum:"1000"`
	FareIDR        int64     `json:"fare_idr" minimum:"0" example:"50000" format:"int64" maximum:"100000000"`
	Status         string    `json:"status" enums:"scheduled,departed,cancelled" example:"scheduled"`
	// True once a trip with a minimum ridership had enough passengers at its
	// confirmation cutoff; false for trips without one.
	Confirmed bool `json:"confirmed" example:"false"`
} // @name TransportTrip

func toTripResponse(t Trip, now time.Time) tripResponse {
	return tripResponse{ID: t.ID, RouteID: t.RouteID, Mode: t.Mode, DepartsAt: t.DepartsAt.In(wib), ArrivesAt: t.ArrivesAt.In(wib),
		Capacity: t.Capacity, SeatsAvailable: t.SeatsAvailable, FareIDR: t.FareIDR, Status: string(t.StatusAt(now)),
		Confirmed: t.ConfirmedAt != nil}
}

type tripList struct {
	Data []tripResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta   `json:"meta"`
} // @name TransportTripList

type bookingResponse struct {
	ID            uuid.UUID    `json:"id" example:"0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Code          string       `json:"code" minLength:"8" maxLength:"8" example:"K7F3Q2MX"` // no 0/O or 1/I
	Status        string       `json:"status" enums:"confirmed,cancelled" example:"confirmed"`
	Seats         int          `json:"seats" minimum:"1" maximum:"10" example:"2" format:"int32"`
	TotalIDR      int64        `json:"total_idr" minimum:"0" example:"100000" format:"int64" maximum:"1000000000"` // seats × the trip's fare_idr
	PassengerName string       `json:"passenger_name" example:"Sari Wulandari" maxLength:"100"`
	RiderCategory string       `json:"rider_category,omitempty" extensions:"x-optional" example:"adult" enums:"adult,child,student,elderly,foreign_tourist,disabled"`
	TripID        uuid.UUID    `json:"trip_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Trip          tripResponse `json:"trip"`
	CreatedAt     time.Time    `json:"created_at" format:"date-time" maxLength:"35"`
	CancelledAt   *time.Time   `json:"cancelled_at" extensions:"x-nullable" format:"date-time" maxLength:"35"`
} // @name Booking

func toBookingResponse(b Booking, now time.Time) bookingResponse {
	return bookingResponse{ID: b.ID, Code: b.Code, Status: string(b.Status), Seats: b.Seats, TotalIDR: b.TotalIDR,
		PassengerName: b.PassengerName, RiderCategory: string(b.RiderCategory), TripID: b.TripID,
		Trip: toTripResponse(b.Trip, now), CreatedAt: b.CreatedAt, CancelledAt: b.CancelledAt}
}

type bookingList struct {
	Data []bookingResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta      `json:"meta"`
} // @name BookingList

// cacheControl of the public transport reads: clients revalidate each time,
// so a change shows at once and an unchanged answer costs no body.
const cacheControl = "public, no-cache"

// ListModes handles GET /api/v1/transport/modes.
//
//	@Summary		Transport modes
//	@Description	Every mode (andong, steam train, electric car, double-decker bus, city bus) with its fares per rider category, operating hours (day 0 = Sunday, Asia/Jakarta) and whether its trips can be booked. One page holds them all (`next_cursor` is null). Names and descriptions are in `?lang=` or `Accept-Language`; `?lang=all` returns `{id, en}` objects. Sends an `ETag` and answers `If-None-Match` with 304.
//	@ID				listTransportModes
//	@Tags			transport
//	@Produce		json
//	@Param			lang			query		string	false	"Language of names and descriptions: id, en or all; any other value means id"	maxLength(4096)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	modeList
//	@Success		304				"not modified"
//	@Router			/transport/modes [get]
func ListModes(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		modes, err := svc.Modes(c.Request.Context())
		if err != nil {
			return err
		}
		l := web.RequestLang(c)
		out := modeList{Data: make([]modeResponse, len(modes)), Meta: web.ListMeta{Limit: web.MaxLimit}}
		for i, m := range modes {
			out.Data[i] = toModeResponse(m, l)
		}
		web.SetLangHeaders(c, l)
		return web.WriteCacheable(c, out, cacheControl)
	}
}

// ListRoutes handles GET /api/v1/transport/routes.
//
//	@Summary		Transport routes
//	@Description	Routes by id, each with its ordered stops and its path as a GeoJSON LineString. `?mode=` keeps one mode's routes. Names are localised as for modes. Sends an `ETag`.
//	@ID				listTransportRoutes
//	@Tags			transport
//	@Produce		json
//	@Param			mode			query		string	false	"Only this mode's routes, e.g. steam_train"	maxLength(40)
//	@Param			lang			query		string	false	"Language of names and descriptions: id, en or all; any other value means id"									maxLength(4096)
//	@Param			limit			query		int		false	"Page size"									minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	routeList
//	@Success		304				"not modified"
//	@Failure		400				{object}	problem.Problem	"bad limit or cursor"
//	@Router			/transport/routes [get]
func ListRoutes(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		mode := c.Query("mode")
		if len(mode) > 40 {
			return apperr.BadRequest("mode is at most 40 characters.")
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("transport_routes", mode))
		if err != nil {
			return err
		}
		routes, more, err := svc.Routes(c.Request.Context(), mode, page.After, page.Limit)
		if err != nil {
			return err
		}
		l := web.RequestLang(c)
		out, err := web.NewList(page, routes, more, func(r Route) uuid.UUID { return r.ID },
			func(r Route) routeResponse { return toRouteResponse(r, l) })
		if err != nil {
			return err
		}
		web.SetLangHeaders(c, l)
		return web.WriteCacheable(c, routeList(out), cacheControl)
	}
}

// GetRoute handles GET /api/v1/transport/routes/{id}.
//
//	@Summary		A transport route
//	@Description	One route with its ordered stops and path. Sends an `ETag`.
//	@ID				getTransportRoute
//	@Tags			transport
//	@Produce		json
//	@Param			id				path		string	true	"Route ID"	format(uuid)	maxLength(36)
//	@Param			lang			query		string	false	"Language of names and descriptions: id, en or all; any other value means id"	maxLength(4096)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	routeResponse
//	@Success		304				"not modified"
//	@Failure		404				{object}	problem.Problem
//	@Router			/transport/routes/{id} [get]
func GetRoute(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		r, err := svc.Route(c.Request.Context(), id)
		if err != nil {
			return err
		}
		l := web.RequestLang(c)
		web.SetLangHeaders(c, l)
		return web.WriteCacheable(c, toRouteResponse(r, l), cacheControl)
	}
}

// Radius limits of ?near= on stops.
const (
	defaultRadiusM = 2000
	maxRadiusM     = 50000
)

// ListStops handles GET /api/v1/transport/stops.
//
//	@Summary		Transport stops
//	@Description	With `near=lat,lng`: the stops within `radius_m` (default 2000), nearest first, each with `distance_m` (great-circle metres). Without it: every stop, by id. Each stop lists the modes whose routes serve it. Sends an `ETag`.
//	@ID				listTransportStops
//	@Tags			transport
//	@Produce		json
//	@Param			near			query		string	false	"lat,lng, e.g. -7.5695,110.8250"	maxLength(64)	extensions(x-pattern=latLng)
//	@Param			radius_m		query		number	false	"Search radius in metres (needs near)"	minimum(1)	maximum(50000)	default(2000)
//	@Param			lang			query		string	false	"Language of names and descriptions: id, en or all; any other value means id"								maxLength(4096)
//	@Param			limit			query		int		false	"Page size"								minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	stopList
//	@Success		304				"not modified"
//	@Failure		400				{object}	problem.Problem	"bad near, radius_m, limit or cursor"
//	@Router			/transport/stops [get]
func ListStops(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		near, err := parseNear(c)
		if err != nil {
			return err
		}
		scope := cursor.Fingerprint("transport_stops", c.Query("near"), c.Query("radius_m"))
		page, err := web.ReadPage[StopPosition](c, pg, scope)
		if err != nil {
			return err
		}
		stops, more, err := svc.Stops(c.Request.Context(), near, page.After, page.Limit)
		if err != nil {
			return err
		}
		l := web.RequestLang(c)
		out, err := web.NewList(page, stops, more, func(s Stop) StopPosition {
			p := StopPosition{ID: s.ID}
			if s.DistanceM != nil {
				p.D = *s.DistanceM
			}
			return p
		}, func(s Stop) stopResponse { return toStopResponse(s, l) })
		if err != nil {
			return err
		}
		web.SetLangHeaders(c, l)
		return web.WriteCacheable(c, stopList(out), cacheControl)
	}
}

func parseNear(c *gin.Context) (*Near, error) {
	raw, ok := c.GetQuery("near")
	_, hasRadius := c.GetQuery("radius_m")
	if !ok {
		if hasRadius {
			return nil, apperr.BadRequest("radius_m needs near=lat,lng.")
		}
		return nil, nil
	}
	a, b, found := strings.Cut(raw, ",")
	lat, err1 := web.ParseFinite(strings.TrimSpace(a))
	lng, err2 := web.ParseFinite(strings.TrimSpace(b))
	if !found || err1 != nil || err2 != nil || !validLatLng(lat, lng) {
		return nil, apperr.BadRequest("near must be two numbers lat,lng with lat in -90..90 and lng in -180..180, e.g. near=-7.5695,110.8250.")
	}
	r, has, err := web.QueryFloat(c, "radius_m", 1, maxRadiusM)
	if err != nil {
		return nil, err
	}
	if !has {
		r = defaultRadiusM
	}
	return &Near{Point: Location{Lat: lat, Lng: lng}, RadiusM: r}, nil
}

// ListTrips handles GET /api/v1/transport/trips.
//
//	@Summary		Dated trips
//	@Description	Trips by departure time. `date` (YYYY-MM-DD, Asia/Jakarta) lists that day's trips, including departed and cancelled ones; without it, the trips that have not departed yet. `status` is `departed` once the departure time has passed. `seats_available` is read from the database on every request. Sends an `ETag` (no-cache: revalidate every time).
//	@ID				listTransportTrips
//	@Tags			transport
//	@Produce		json
//	@Param			route_id		query		string	false	"Only this route's trips"	format(uuid)	maxLength(36)
//	@Param			date			query		string	false	"Day in Asia/Jakarta"		format(date)	maxLength(10)
//	@Param			limit			query		int		false	"Page size"					minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	tripList
//	@Success		304				"not modified"
//	@Failure		400				{object}	problem.Problem	"bad route_id, date, limit or cursor"
//	@Router			/transport/trips [get]
func ListTrips(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		var f TripFilter
		if raw := c.Query("route_id"); raw != "" {
			id, err := uuid.Parse(raw)
			if err != nil {
				return apperr.BadRequest("route_id must be a UUID.")
			}
			f.RouteID = &id
		}
		if raw := c.Query("date"); raw != "" {
			d, err := time.ParseInLocation(time.DateOnly, raw, wib)
			if err != nil {
				return apperr.BadRequest("date must be YYYY-MM-DD.")
			}
			f.Date = d
		}
		page, err := web.ReadPage[TripPosition](c, pg, cursor.Fingerprint("transport_trips", c.Query("route_id"), c.Query("date")))
		if err != nil {
			return err
		}
		trips, more, err := svc.Trips(c.Request.Context(), f, page.After, page.Limit)
		if err != nil {
			return err
		}
		now := svc.Now()
		out, err := web.NewList(page, trips, more, func(t Trip) TripPosition { return TripPosition{At: t.DepartsAt, ID: t.ID} },
			func(t Trip) tripResponse { return toTripResponse(t, now) })
		if err != nil {
			return err
		}
		return web.WriteCacheable(c, tripList(out), "no-cache")
	}
}

// GetTrip handles GET /api/v1/transport/trips/{id}.
//
//	@Summary		A dated trip
//	@Description	One trip with its current `seats_available` and status. Sends an `ETag` (no-cache).
//	@ID				getTransportTrip
//	@Tags			transport
//	@Produce		json
//	@Param			id				path		string	true	"Trip ID"	format(uuid)	maxLength(36)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	tripResponse
//	@Success		304				"not modified"
//	@Failure		404				{object}	problem.Problem
//	@Router			/transport/trips/{id} [get]
func GetTrip(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		t, err := svc.Trip(c.Request.Context(), id)
		if err != nil {
			return err
		}
		return web.WriteCacheable(c, toTripResponse(t, svc.Now()), "no-cache")
	}
}
