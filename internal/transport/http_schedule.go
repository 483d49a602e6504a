package transport

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

type cutoffResponse struct {
	DaysBefore int    `json:"days_before" minimum:"0" maximum:"30" example:"1" format:"int32"`
	Time       string `json:"time" example:"18:00" maxLength:"5" extensions:"x-pattern=clock"`
} // @name TransportConfirmCutoffResponse

type scheduleResponse struct {
	ID              uuid.UUID       `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f62" format:"uuid" maxLength:"36"`
	RouteID         uuid.UUID       `json:"route_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Weekdays        []int           `json:"weekdays" example:"0,6" validate:"max=7" minimum:"0" maximum:"6" format:"int32"` // 0 = Sunday
	Departures      []string        `json:"departures" example:"09:00,12:00,15:00" validate:"max=48" maxLength:"5" extensions:"x-pattern=clock"`
	DurationMin     int             `json:"duration_min" minimum:"1" maximum:"1440" example:"120" format:"int32"`
	Capacity        int             `json:"capacity" minimum:"1" maximum:"1000" example:"43" format:"int32"`
	FareIDR         int64           `json:"fare_idr" minimum:"0" maximum:"100000000" example:"20000" format:"int64"`
	ValidFrom       string          `json:"valid_from" format:"date" example:"2026-12-01" maxLength:"10"`
	ValidUntil      string          `json:"valid_until" format:"date" example:"2027-03-31" maxLength:"10"`
	Holidays        string          `json:"holidays" enums:"as_usual,skip,add" example:"add"`
	WithCutiBersama bool            `json:"with_cuti_bersama" example:"false"`
	Exceptions      []Exception     `json:"exceptions" validate:"max=366"`
	MinPassengers   int             `json:"min_passengers" minimum:"0" maximum:"1000" example:"15" format:"int32"`
	ConfirmCutoff   *cutoffResponse `json:"confirm_cutoff" extensions:"x-nullable"`
	CreatedAt       time.Time       `json:"created_at" format:"date-time" maxLength:"35"`
	UpdatedAt       time.Time       `json:"updated_at" format:"date-time" maxLength:"35"`
} // @name TransportSchedule

func toScheduleResponse(s Schedule) scheduleResponse {
	out := scheduleResponse{ID: s.ID, RouteID: s.RouteID, Weekdays: make([]int, len(s.Weekdays)),
		Departures: make([]string, len(s.Departures)), DurationMin: int(s.Duration / time.Minute), Capacity: s.Capacity,
		FareIDR: s.FareIDR, ValidFrom: s.ValidFrom.String(), ValidUntil: s.ValidUntil.String(), Holidays: string(s.Holidays),
		WithCutiBersama: s.WithCutiBersama, Exceptions: nonNil(s.Exceptions), MinPassengers: s.MinPassengers,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	for i, d := range s.Weekdays {
		out.Weekdays[i] = int(d)
	}
	for i, c := range s.Departures {
		out.Departures[i] = c.String()
	}
	if c := s.ConfirmCutoff; c != nil {
		out.ConfirmCutoff = &cutoffResponse{DaysBefore: c.DaysBefore, Time: c.Time.String()}
	}
	return out
}

type scheduleList struct {
	Data []scheduleResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta       `json:"meta"`
} // @name TransportScheduleList

type generateResponse struct {
	Created  int64 `json:"created" minimum:"0" example:"51" format:"int64" maximum:"100000"` // trips made by this request
	Existing int64 `json:"existing" minimum:"0" example:"0" format:"int64" maximum:"100000"` // departures that already had their trip
} // @name GenerateTransportTripsResponse

// ListSchedules handles GET /api/v1/transport/schedules.
//
//	@Summary		Weekly schedules
//	@Description	Schedules by id (`?route_id=` keeps one route's): the weekdays and departure times (Asia/Jakarta) a route runs between two dates, its holiday policy and dated exceptions, and the minimum ridership with its confirmation cutoff.
//	@ID				listTransportSchedules
//	@Tags			transport
//	@Produce		json
//	@Param			route_id	query		string	false	"Only this route's schedules"	format(uuid)	maxLength(36)
//	@Param			limit		query		int		false	"Page size"	minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200			{object}	scheduleList
//	@Failure		400			{object}	problem.Problem	"bad route_id, limit or cursor"
//	@Router			/transport/schedules [get]
func ListSchedules(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		var route *uuid.UUID
		if raw := c.Query("route_id"); raw != "" {
			id, err := uuid.Parse(raw)
			if err != nil {
				return apperr.BadRequest("route_id must be a UUID.")
			}
			route = &id
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("transport_schedules", c.Query("route_id")))
		if err != nil {
			return err
		}
		items, more, err := svc.Schedules(c.Request.Context(), route, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, items, more, func(s Schedule) uuid.UUID { return s.ID }, toScheduleResponse)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, scheduleList(out))
		return nil
	}
}

// GetSchedule handles GET /api/v1/transport/schedules/{id}.
//
//	@Summary		A weekly schedule
//	@Description	One schedule with its weekdays, departure times (Asia/Jakarta), validity, holiday policy, exceptions and minimum ridership.
//	@ID				getTransportSchedule
//	@Tags			transport
//	@Produce		json
//	@Param			id	path		string	true	"Schedule ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	scheduleResponse
//	@Failure		404	{object}	problem.Problem
//	@Router			/transport/schedules/{id} [get]
func GetSchedule(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		s, err := svc.Schedule(c.Request.Context(), id)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toScheduleResponse(s))
		return nil
	}
}

// CreateSchedule handles POST /api/v1/transport/schedules.
//
//	@Summary		Create a weekly schedule
//	@Description	A route's timetable: `weekdays` (0 = Sunday) and `departures` ("HH:MM", Asia/Jakarta) from `valid_from` to `valid_until` (at most two years), each trip `duration_min` long with `capacity` seats at `fare_idr`. `holidays` says what it does on national holidays: `as_usual` (by the weekdays), `skip` or `add` (also runs); `with_cuti_bersama` counts cuti bersama days as holidays. `exceptions` add or remove single dates and win over both. `min_passengers` above 0 needs `confirm_cutoff` ({days_before, time}): at that moment before each generated trip it is confirmed or cancelled. Creates no trips: generate them. Audited.
//	@ID				createTransportSchedule
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body	scheduleRequest	true	"The fields"
//	@Success		201	{object}	scheduleResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/schedules [post]
func CreateSchedule(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in scheduleRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		sc := Schedule{Weekdays: []time.Weekday{}, Exceptions: []Exception{}}
		p := in.apply(&sc, true)
		checkSchedule(sc, p)
		if len(p) > 0 {
			return apperr.Validation(p)
		}
		sc, err := svc.CreateSchedule(c.Request.Context(), sc)
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toScheduleResponse(sc))
		return nil
	}
}

// UpdateSchedule handles PATCH /api/v1/transport/schedules/{id}.
//
//	@Summary		Change a weekly schedule
//	@Description	Changes the fields sent (`exceptions` and `weekdays` replace the whole list; `min_passengers: 0` removes the minimum and its cutoff); the result must pass the rules of a new schedule. Trips generated before keep their times, seats and fares. Audited.
//	@ID				updateTransportSchedule
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path	string	true	"Schedule ID"	format(uuid)	maxLength(36)
//	@Param			body	body	scheduleRequest	true	"The fields"
//	@Success		200	{object}	scheduleResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/schedules/{id} [patch]
func UpdateSchedule(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in scheduleRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		sc, err := svc.UpdateSchedule(c.Request.Context(), id, func(sc *Schedule) error {
			p := in.apply(sc, false)
			checkSchedule(*sc, p)
			if len(p) > 0 {
				return apperr.Validation(p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toScheduleResponse(sc))
		return nil
	}
}

// DeleteSchedule handles DELETE /api/v1/transport/schedules/{id}.
//
//	@Summary		Delete a weekly schedule
//	@Description	Only a schedule no trip was generated from (else 409 `in_use`: end it with `valid_until`). Audited.
//	@ID				deleteTransportSchedule
//	@Tags			transport
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Schedule ID"	format(uuid)	maxLength(36)
//	@Success		204
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		409	{object}	problem.Problem	"trips were generated from it (in_use)"
//	@Router			/transport/schedules/{id} [delete]
func DeleteSchedule(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		if err := svc.DeleteSchedule(c.Request.Context(), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// GenerateTrips handles POST /api/v1/transport/schedules/{id}/generate.
//
//	@Summary		Generate a schedule's trips
//	@Description	Creates a trip for every departure of every service day from `from` to `to` (both included, Asia/Jakarta dates, at most 120 days), skipping departures that are not in the future. Idempotent: a departure that has its trip is counted in `existing` and left alone, so generating twice creates nothing new. Each trip copies the schedule's capacity, fare and `min_passengers`; its `confirm_by` is the cutoff for its date only while that is still ahead, otherwise null (the trip runs as generated). A cancelled trip stays cancelled, but a deleted one is made again by the next generation of its date: take a date out with a `removed` exception. Audited.
//	@ID				generateTransportTrips
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path	string	true	"Schedule ID"	format(uuid)	maxLength(36)
//	@Param			body	body	generateRequest	true	"The date range"
//	@Success		200	{object}	generateResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		422	{object}	problem.Problem	"bad dates or a range over 120 days"
//	@Router			/transport/schedules/{id}/generate [post]
func GenerateTrips(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in generateRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		from, to, p := in.dates()
		if len(p) > 0 {
			return apperr.Validation(p)
		}
		g, err := svc.GenerateTrips(c.Request.Context(), id, from, to)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, generateResponse{Created: g.Created, Existing: g.Existing})
		return nil
	}
}
