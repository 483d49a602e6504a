package transport

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/web"
)

// MaxSummaryTrips bounds the trips listed per window of the seat-fill summary.
const MaxSummaryTrips = 100

// FillWindow is the seat fill of the bookable trips departing in a span of
// Asia/Jakarta days, cancelled trips left out.
type FillWindow struct {
	From        string     // first day, YYYY-MM-DD
	To          string     // last day, inclusive
	Trips       int        // trips departing
	Capacity    int        // their seats
	SeatsBooked int        // of which booked
	Items       []TripFill // the trips, by departure, at most MaxSummaryTrips
}

// TripFill is one trip's seats.
type TripFill struct {
	TripID      uuid.UUID
	RouteID     uuid.UUID
	RouteName   Text
	Mode        string
	DepartsAt   time.Time
	Capacity    int
	SeatsBooked int
	Status      string
}

// SeatFill is the transport dashboard: today's trips and this weekend's
// (the coming Saturday and Sunday, or the current ones on a weekend).
type SeatFill struct {
	Date    string
	Today   FillWindow
	Weekend FillWindow
}

// SeatFill sums the seats of today's and this weekend's trips in the
// database.
func (s *Service) SeatFill(ctx context.Context) (SeatFill, error) {
	start := dayStart(s.now())
	local := start.In(wib)
	// Saturday of this week: today on a Saturday, yesterday on a Sunday.
	toSat := (int(time.Saturday) - int(local.Weekday()) + 7) % 7
	if local.Weekday() == time.Sunday {
		toSat = -1
	}
	sat := local.AddDate(0, 0, toSat)
	out := SeatFill{Date: local.Format(time.DateOnly)}
	var err error
	if out.Today, err = s.fillWindow(ctx, local, local.AddDate(0, 0, 1)); err != nil {
		return SeatFill{}, err
	}
	if out.Weekend, err = s.fillWindow(ctx, sat, sat.AddDate(0, 0, 2)); err != nil {
		return SeatFill{}, err
	}
	return out, nil
}

func (s *Service) fillWindow(ctx context.Context, from, until time.Time) (FillWindow, error) {
	w := FillWindow{From: from.Format(time.DateOnly), To: until.AddDate(0, 0, -1).Format(time.DateOnly), Items: []TripFill{}}
	q := func() *gorm.DB {
		return s.db.WithContext(ctx).Table("transport_trips AS t").
			Joins("JOIN transport_routes AS r ON r.id = t.route_id").
			Joins("JOIN transport_modes AS m ON m.code = r.mode_code").
			Where("m.bookable = ? AND t.status <> ? AND t.departs_at >= ? AND t.departs_at < ?",
				true, string(TripCancelled), from.UTC(), until.UTC())
	}
	var total struct {
		Trips    int
		Capacity int
		Booked   int
	}
	if err := q().Select("COUNT(*) AS trips, COALESCE(SUM(t.capacity), 0) AS capacity, " +
		"COALESCE(SUM(t.capacity - t.seats_available), 0) AS booked").Scan(&total).Error; err != nil {
		return FillWindow{}, fmt.Errorf("seat fill totals: %w", err)
	}
	w.Trips, w.Capacity, w.SeatsBooked = total.Trips, total.Capacity, total.Booked
	var rows []struct {
		ID        uuid.UUID
		RouteID   uuid.UUID
		NameID    string
		NameEn    string
		ModeCode  string
		DepartsAt time.Time
		Capacity  int
		Booked    int
		Status    string
	}
	if err := q().Select("t.id, t.route_id, r.name_id, r.name_en, r.mode_code, t.departs_at, t.capacity, " +
		"t.capacity - t.seats_available AS booked, t.status").
		Order("t.departs_at, t.id").Limit(MaxSummaryTrips).Scan(&rows).Error; err != nil {
		return FillWindow{}, fmt.Errorf("seat fill trips: %w", err)
	}
	for _, r := range rows {
		w.Items = append(w.Items, TripFill{TripID: r.ID, RouteID: r.RouteID, RouteName: Text{r.NameID, r.NameEn}, Mode: r.ModeCode,
			DepartsAt: r.DepartsAt.UTC(), Capacity: r.Capacity, SeatsBooked: r.Booked, Status: r.Status})
	}
	return w, nil
}

type seatFillResponse struct {
	Date    string             `json:"date" format:"date" maxLength:"10" example:"2026-12-06"`
	Today   fillWindowResponse `json:"today"`
	Weekend fillWindowResponse `json:"weekend"`
} // @name TransportSeatFill

type fillWindowResponse struct {
	From        string             `json:"from" format:"date" maxLength:"10" example:"2026-12-12"`
	To          string             `json:"to" format:"date" maxLength:"10" example:"2026-12-13"`
	Trips       int                `json:"trips" format:"int32" minimum:"0" maximum:"2147483647" example:"8"`
	Capacity    int                `json:"capacity" format:"int32" minimum:"0" maximum:"2147483647" example:"320"`
	SeatsBooked int                `json:"seats_booked" format:"int32" minimum:"0" maximum:"2147483647" example:"214"`
	Items       []tripFillResponse `json:"items" validate:"max=100"`
} // @name TransportSeatFillWindow

type tripFillResponse struct {
	TripID      uuid.UUID `json:"trip_id" format:"uuid" maxLength:"36"`
	RouteID     uuid.UUID `json:"route_id" format:"uuid" maxLength:"36"`
	RouteName   string    `json:"route_name" maxLength:"10000" example:"Sepur Kluthuk Jaladara"`
	Mode        string    `json:"mode" maxLength:"32" example:"steam_train"`
	DepartsAt   time.Time `json:"departs_at" format:"date-time" maxLength:"35"`
	Capacity    int       `json:"capacity" format:"int32" minimum:"0" maximum:"2147483647" example:"40"`
	SeatsBooked int       `json:"seats_booked" format:"int32" minimum:"0" maximum:"2147483647" example:"31"`
	Status      string    `json:"status" enums:"scheduled,departed" maxLength:"16" example:"scheduled"`
} // @name TransportTripFill

func toFillWindow(w FillWindow, l web.Lang) fillWindowResponse {
	out := fillWindowResponse{From: w.From, To: w.To, Trips: w.Trips, Capacity: w.Capacity, SeatsBooked: w.SeatsBooked,
		Items: make([]tripFillResponse, 0, len(w.Items))}
	for _, t := range w.Items {
		out.Items = append(out.Items, tripFillResponse{TripID: t.TripID, RouteID: t.RouteID, RouteName: l.Pick(t.RouteName.ID, t.RouteName.EN),
			Mode: t.Mode, DepartsAt: t.DepartsAt, Capacity: t.Capacity, SeatsBooked: t.SeatsBooked, Status: t.Status})
	}
	return out
}

// GetSeatFill handles GET /api/v1/staff/summary/transport.
//
//	@Summary		Seat fill of today's and this weekend's trips
//	@Description	The transport department's dashboard, summed by the database: the bookable trips departing today in Asia/Jakarta, and this weekend (the coming Saturday and Sunday; on a weekend, the current ones), cancelled trips left out: how many, their seats and the seats booked, and each trip (by departure, at most 100 per window) with its route's name in the language asked for.
//	@ID				getTransportSeatFill
//	@Tags			transport
//	@Produce		json
//	@Security		BearerAuth
//	@Param			lang	query	string	false	"Language of route names: id or en; any other value means id"	maxLength(4096)	pattern(^[A-Za-z-]*$)
//	@Success		200	{object}	seatFillResponse
//	@Failure		401	{object}	problem.Problem	"no or invalid token"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Router			/staff/summary/transport [get]
func GetSeatFill(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		l := web.RequestLang(c).One()
		f, err := svc.SeatFill(c.Request.Context())
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "no-store")
		web.SetLangHeaders(c, l)
		c.JSON(http.StatusOK, seatFillResponse{Date: f.Date, Today: toFillWindow(f.Today, l), Weekend: toFillWindow(f.Weekend, l)})
		return nil
	}
}
