package transport

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// Book handles POST /api/v1/transport/trips/{id}/bookings.
//
//	@Summary		Book seats on a trip
//	@Description	Takes `seats` (1–10) on the trip for `passenger_name`; `total_idr` = seats × the trip's `fare_idr` (`rider_category` is recorded, never required). Seats are never oversold, under any concurrency. Not enough seats → 409 `insufficient_seats`; a cancelled trip → 409 `trip_cancelled`; a departed one → 409 `trip_departed`; a mode that cannot be booked → 422 `not_bookable`.
//	@Description	Send an `Idempotency-Key` to retry safely: the same key with the same body answers the first response again (with `Idempotent-Replayed: true`) without booking twice; the same key with another body → 422 `idempotency_conflict`; while the first request is still running → 409 `idempotency_in_progress` with `Retry-After`. Keys are per user and kept 24 h.
//	@ID				createBooking
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string					true	"Trip ID"	format(uuid)	maxLength(36)
//	@Param			Idempotency-Key	header		string					false	"Unique per intended booking, e.g. a UUID"	maxLength(255)
//	@Param			body			body		createBookingRequest	true	"Seats and passenger"
//	@Success		201				{object}	bookingResponse
//	@Failure		400				{object}	problem.Problem	"malformed JSON, bad Idempotency-Key"
//	@Failure		404				{object}	problem.Problem	"no such trip"
//	@Failure		409				{object}	problem.Problem	"insufficient_seats, trip_cancelled, trip_departed or idempotency_in_progress"
//	@Failure		422				{object}	problem.Problem	"seats outside 1..10, no passenger_name, not_bookable or idempotency_conflict"
//	@Router			/transport/trips/{id}/bookings [post]
func Book(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in createBookingRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		b, err := svc.Book(ctx, identity.ActorFrom(ctx), id,
			BookingDraft{Seats: int(*in.Seats), PassengerName: in.PassengerName, RiderCategory: in.RiderCategory})
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/me/bookings/"+b.ID.String())
		c.JSON(http.StatusCreated, toBookingResponse(b, svc.Now(), svc.Ticket(b)))
		return nil
	}
}

// ReplayBooking answers the retry of a booking request whose booking was
// made but whose answer was lost, as the first attempt would have: 201 with
// the booking (its seats as they are now).
func ReplayBooking(svc *Service) idempotency.Replayer {
	return func(c *gin.Context, resource string) error {
		id, err := uuid.Parse(resource)
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		b, err := svc.MyBooking(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/me/bookings/"+b.ID.String())
		c.JSON(http.StatusCreated, toBookingResponse(b, svc.Now(), svc.Ticket(b)))
		return nil
	}
}

// ListMyBookings handles GET /api/v1/me/bookings.
//
//	@Summary		My bookings
//	@Description	The caller's bookings, newest first, each with its trip.
//	@ID				listMyBookings
//	@Tags			transport
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"Page size"	minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	bookingList
//	@Failure		400		{object}	problem.Problem	"bad limit or cursor"
//	@Router			/me/bookings [get]
func ListMyBookings(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		who := identity.ActorFrom(ctx)
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("bookings", who.ID.String()))
		if err != nil {
			return err
		}
		bs, more, err := svc.MyBookings(ctx, who, page.After, page.Limit)
		if err != nil {
			return err
		}
		now := svc.Now()
		out, err := web.NewList(page, bs, more, func(b Booking) uuid.UUID { return b.ID },
			func(b Booking) bookingResponse { return toBookingResponse(b, now, svc.Ticket(b)) })
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, bookingList(out))
		return nil
	}
}

// GetMyBooking handles GET /api/v1/me/bookings/{id}.
//
//	@Summary		One of my bookings
//	@Description	Someone else's booking is 404.
//	@ID				getMyBooking
//	@Tags			transport
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Booking ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	bookingResponse
//	@Failure		404	{object}	problem.Problem	"no such booking of yours"
//	@Router			/me/bookings/{id} [get]
func GetMyBooking(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		b, err := svc.MyBooking(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toBookingResponse(b, svc.Now(), svc.Ticket(b)))
		return nil
	}
}

// CancelMyBooking handles POST /api/v1/me/bookings/{id}/cancel.
//
//	@Summary		Cancel my booking
//	@Description	Frees the booking's seats, once: cancelling a cancelled booking answers it unchanged. After the trip departed → 409 `trip_departed`; once checked in → 409 `already_checked_in`. Someone else's booking is 404.
//	@ID				cancelMyBooking
//	@Tags			transport
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Booking ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	bookingResponse
//	@Failure		404	{object}	problem.Problem	"no such booking of yours"
//	@Failure		409	{object}	problem.Problem	"the trip has departed (trip_departed), or the booking was checked in (already_checked_in)"
//	@Router			/me/bookings/{id}/cancel [post]
func CancelMyBooking(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		b, err := svc.CancelBooking(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toBookingResponse(b, svc.Now(), svc.Ticket(b)))
		return nil
	}
}
