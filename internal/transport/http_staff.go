package transport

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

// CreateMode handles POST /api/v1/transport/modes.
//
//	@Summary		Create a transport mode
//	@Description	A new mode with its localised name (Indonesian required) and description, fares per rider category and operating hours. Answers in the editing shape ({id, en} objects). A code in use → 409 `conflict`. Audited.
//	@ID				createTransportMode
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body	modeRequest	true	"The fields"
//	@Success		201	{object}	modeResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		409	{object}	problem.Problem	"the code is taken"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/modes [post]
func CreateMode(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in modeRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if p := in.check(true); len(p) > 0 {
			return apperr.Validation(p)
		}
		m := Mode{Code: in.Code, Name: *in.Name, Bookable: in.Bookable != nil && *in.Bookable}
		if in.Description != nil {
			m.Description = *in.Description
		}
		m.Fares, m.OperatingHours = in.Fares, in.OperatingHours
		m, err := svc.CreateMode(c.Request.Context(), m)
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toModeResponse(m, web.LangAll))
		return nil
	}
}

// UpdateMode handles PATCH /api/v1/transport/modes/{code}.
//
//	@Summary		Change a transport mode
//	@Description	Changes the fields sent; others stay. Answers in the editing shape. Audited.
//	@ID				updateTransportMode
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			code	path	string	true	"Mode code"	maxLength(32)
//	@Param			body	body	modeRequest	true	"The fields"
//	@Success		200	{object}	modeResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/modes/{code} [patch]
func UpdateMode(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in modeRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if p := in.check(false); len(p) > 0 {
			return apperr.Validation(p)
		}
		ch := ModeChange{Name: in.Name, Description: in.Description, Bookable: in.Bookable}
		if in.Fares != nil {
			ch.Fares = &in.Fares
		}
		if in.OperatingHours != nil {
			ch.OperatingHours = &in.OperatingHours
		}
		m, err := svc.UpdateMode(c.Request.Context(), c.Param("code"), ch)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toModeResponse(m, web.LangAll))
		return nil
	}
}

// DeleteMode handles DELETE /api/v1/transport/modes/{code}.
//
//	@Summary		Delete a transport mode
//	@Description	Only a mode no route uses (else 409 `in_use`). Audited.
//	@ID				deleteTransportMode
//	@Tags			transport
//	@Security		BearerAuth
//	@Param			code	path	string	true	"Mode code"	maxLength(32)
//	@Success		204
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		409	{object}	problem.Problem	"routes use this mode (in_use)"
//	@Router			/transport/modes/{code} [delete]
func DeleteMode(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		if err := svc.DeleteMode(c.Request.Context(), c.Param("code")); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// CreateStop handles POST /api/v1/transport/stops.
//
//	@Summary		Create a transport stop
//	@Description	A stop with its localised name and location. Answers in the editing shape. Audited.
//	@ID				createTransportStop
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body	stopRequest	true	"The fields"
//	@Success		201	{object}	stopResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/stops [post]
func CreateStop(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in stopRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if p := in.check(true); len(p) > 0 {
			return apperr.Validation(p)
		}
		s, err := svc.CreateStop(c.Request.Context(), *in.Name, *in.Location)
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toStopResponse(s, web.LangAll))
		return nil
	}
}

// UpdateStop handles PATCH /api/v1/transport/stops/{id}.
//
//	@Summary		Change a transport stop
//	@Description	Changes the fields sent. Answers in the editing shape. Audited.
//	@ID				updateTransportStop
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Stop ID"	format(uuid)	maxLength(36)
//	@Param			body	body	stopRequest	true	"The fields"
//	@Success		200	{object}	stopResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/stops/{id} [patch]
func UpdateStop(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in stopRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if p := in.check(false); len(p) > 0 {
			return apperr.Validation(p)
		}
		s, err := svc.UpdateStop(c.Request.Context(), id, StopChange{Name: in.Name, Location: in.Location})
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toStopResponse(s, web.LangAll))
		return nil
	}
}

// DeleteStop handles DELETE /api/v1/transport/stops/{id}.
//
//	@Summary		Delete a transport stop
//	@Description	Only a stop no route passes (else 409 `in_use`). Audited.
//	@ID				deleteTransportStop
//	@Tags			transport
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Stop ID"	format(uuid)	maxLength(36)
//	@Success		204
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		409	{object}	problem.Problem	"routes pass this stop (in_use)"
//	@Router			/transport/stops/{id} [delete]
func DeleteStop(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		if err := svc.DeleteStop(c.Request.Context(), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// CreateRoute handles POST /api/v1/transport/routes.
//
//	@Summary		Create a transport route
//	@Description	A route of an existing mode through 2–100 existing stops in order (a loop may repeat a stop), with an optional drawn path of [lng, lat] points. Answers in the editing shape. Audited.
//	@ID				createTransportRoute
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body	routeRequest	true	"The fields"
//	@Success		201	{object}	routeResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/routes [post]
func CreateRoute(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in routeRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if p := in.check(true); len(p) > 0 {
			return apperr.Validation(p)
		}
		r, err := svc.CreateRoute(c.Request.Context(), in.draft())
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toRouteResponse(r, web.LangAll))
		return nil
	}
}

// UpdateRoute handles PATCH /api/v1/transport/routes/{id}.
//
//	@Summary		Change a transport route
//	@Description	Changes the fields sent; `stop_ids` replaces the whole ordered list. Answers in the editing shape. Audited.
//	@ID				updateTransportRoute
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Route ID"	format(uuid)	maxLength(36)
//	@Param			body	body	routeRequest	true	"The fields"
//	@Success		200	{object}	routeResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/routes/{id} [patch]
func UpdateRoute(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in routeRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if p := in.check(false); len(p) > 0 {
			return apperr.Validation(p)
		}
		r, err := svc.UpdateRoute(c.Request.Context(), id, in.draft())
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toRouteResponse(r, web.LangAll))
		return nil
	}
}

// DeleteRoute handles DELETE /api/v1/transport/routes/{id}.
//
//	@Summary		Delete a transport route
//	@Description	Only a route without trips or schedules (else 409 `in_use`). Audited.
//	@ID				deleteTransportRoute
//	@Tags			transport
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Route ID"	format(uuid)	maxLength(36)
//	@Success		204
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		409	{object}	problem.Problem	"the route has trips or schedules (in_use)"
//	@Router			/transport/routes/{id} [delete]
func DeleteRoute(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		if err := svc.DeleteRoute(c.Request.Context(), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// CreateTrip handles POST /api/v1/transport/trips.
//
//	@Summary		Create a one-off trip
//	@Description	A dated trip of a route: departs in the future, arrives after it departs; all `capacity` seats are available. Audited.
//	@ID				createTransportTrip
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body	createTripRequest	true	"The fields"
//	@Success		201	{object}	tripResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/trips [post]
func CreateTrip(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in createTripRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		t, err := svc.CreateTrip(c.Request.Context(), TripDraft{RouteID: in.RouteID, DepartsAt: in.DepartsAt,
			ArrivesAt: in.ArrivesAt, Capacity: in.Capacity, FareIDR: in.FareIDR})
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toTripResponse(t, svc.Now()))
		return nil
	}
}

// UpdateTrip handles PATCH /api/v1/transport/trips/{id}.
//
//	@Summary		Cancel or change a trip
//	@Description	`{"status": "cancelled"}` (sent alone) cancels a trip that has not departed: its confirmed bookings are cancelled in the same transaction and each of their owners is notified once. Cancelling a cancelled trip answers it unchanged. Otherwise `departs_at`, `arrives_at`, `capacity` and `fare_idr` change a scheduled trip that has not departed: a new departure must be in the future (without `arrives_at` the trip keeps its length) and tells each booking's owner once per new time; the capacity moves `seats_available` by the same amount and cannot go below the seats booked (409 `capacity_below_booked`); a new fare applies to bookings made from then on. A departed trip → 409 `trip_departed`, a cancelled one being changed → 409 `trip_cancelled`. Audited.
//	@ID				updateTransportTrip
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Trip ID"	format(uuid)	maxLength(36)
//	@Param			body	body	updateTripRequest	true	"The fields"
//	@Success		200	{object}	tripResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON"
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		409	{object}	problem.Problem	"the trip has departed (trip_departed) or is cancelled (trip_cancelled); the capacity is below the seats booked (capacity_below_booked); the schedule has a trip at the new time (conflict)"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/transport/trips/{id} [patch]
func UpdateTrip(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in updateTripRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		var t Trip
		if in.Status == string(TripCancelled) {
			t, err = svc.CancelTrip(c.Request.Context(), id)
		} else {
			t, err = svc.ChangeTrip(c.Request.Context(), id, TripChange{DepartsAt: in.DepartsAt, ArrivesAt: in.ArrivesAt,
				Capacity: in.Capacity, FareIDR: in.FareIDR})
		}
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toTripResponse(t, svc.Now()))
		return nil
	}
}

// DeleteTrip handles DELETE /api/v1/transport/trips/{id}.
//
//	@Summary		Delete a trip
//	@Description	Only a trip nobody ever booked (else 409 `in_use`: cancel it instead). Audited.
//	@ID				deleteTransportTrip
//	@Tags			transport
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Trip ID"	format(uuid)	maxLength(36)
//	@Success		204
//	@Failure		403	{object}	problem.Problem	"not transport staff"
//	@Failure		404	{object}	problem.Problem	"no such record"
//	@Failure		409	{object}	problem.Problem	"the trip has bookings (in_use)"
//	@Router			/transport/trips/{id} [delete]
func DeleteTrip(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		if err := svc.DeleteTrip(c.Request.Context(), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}
