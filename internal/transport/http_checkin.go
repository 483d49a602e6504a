package transport

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

type checkInRequest struct {
	Code   string `json:"code,omitempty" maxLength:"64" example:"K7F3Q2MX"`                                                                    // typed or read aloud; any case
	Ticket string `json:"ticket,omitempty" maxLength:"1024" example:"SD1.eyJjb2RlIjoiSzdGM1EyTVgifQ.k3JpQ2FnZg" extensions:"x-pattern=ticket"` // scanned from the QR code
} // @name CheckInRequest

func (r *checkInRequest) Normalize() {
	r.Code = strings.TrimSpace(r.Code)
	r.Ticket = strings.TrimSpace(r.Ticket)
}

func (r *checkInRequest) Validate() map[string]string {
	p := problems{}
	switch {
	case r.Code == "" && r.Ticket == "":
		p.add("code", "is required, or a ticket instead")
	case r.Code != "" && r.Ticket != "":
		p.add("ticket", "send either code or ticket, not both")
	case len(r.Code) > 64:
		p.add("code", "is too long")
	case len(r.Ticket) > MaxTicketLen:
		p.add("ticket", "is too long")
	}
	return p
}

// CheckInBooking handles POST /api/v1/transport/bookings/check-in.
//
//	@Summary		Check a booking in
//	@Description	A conductor boards a booking by its `code` (any case; a character outside the code alphabet, such as 0, O, 1 or I, → 400) or by the scanned `ticket`, whose signature is verified (altered or foreign → 422 `invalid_ticket`). The booking is marked boarded once: a second check-in → 409 `already_checked_in` with the first time in the problem member `boarded_at`; a cancelled booking → 409 `booking_cancelled`; a trip that does not depart today in Asia/Jakarta → 409 `wrong_trip_date` (problem member `departs_at`). Unknown code → 404. Audited.
//	@ID				checkInBooking
//	@Tags			transport
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		checkInRequest	true	"The booking code or its ticket"
//	@Success		200		{object}	bookingResponse
//	@Failure		400		{object}	problem.Problem	"a code with characters outside the alphabet, or not 8 long"
//	@Failure		404		{object}	problem.Problem	"no booking has this code"
//	@Failure		409		{object}	problem.Problem	"already_checked_in, booking_cancelled or wrong_trip_date"
//	@Failure		422		{object}	problem.Problem	"neither or both of code and ticket, or invalid_ticket"
//	@Router			/transport/bookings/check-in [post]
func CheckInBooking(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in checkInRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		var code string
		var err error
		if in.Ticket != "" {
			code, err = svc.CodeFromTicket(in.Ticket)
		} else {
			code, err = NormalizeCode(in.Code)
		}
		if err != nil {
			return err
		}
		b, err := svc.CheckIn(c.Request.Context(), code)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toBookingResponse(b, svc.Now(), svc.Ticket(b)))
		return nil
	}
}

// ListBookings handles GET /api/v1/transport/bookings.
//
//	@Summary		Bookings overview
//	@Description	Every booking, newest first, each with its trip and passenger name: for transport staff only. Filter by `trip_id` (a trip's passenger list) and `status`.
//	@ID				listTransportBookings
//	@Tags			transport
//	@Produce		json
//	@Security		BearerAuth
//	@Param			trip_id	query		string	false	"Only this trip's bookings"	format(uuid)	maxLength(36)
//	@Param			status	query		string	false	"Only bookings in this state"	Enums(confirmed, cancelled)
//	@Param			limit	query		int		false	"Page size"	minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	bookingList
//	@Failure		400		{object}	problem.Problem	"bad trip_id, status, limit or cursor"
//	@Router			/transport/bookings [get]
func ListBookings(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		var f BookingFilter
		if raw := c.Query("trip_id"); raw != "" {
			id, err := uuid.Parse(raw)
			if err != nil {
				return apperr.BadRequest("trip_id must be a UUID.")
			}
			f.TripID = &id
		}
		switch st := BookingStatus(c.Query("status")); st {
		case "", BookingConfirmed, BookingCancelled:
			f.Status = st
		default:
			return apperr.BadRequest("status must be confirmed or cancelled.")
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("transport_bookings", c.Query("trip_id"), string(f.Status)))
		if err != nil {
			return err
		}
		bs, more, err := svc.Bookings(c.Request.Context(), f, page.After, page.Limit)
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

type ticketKeyResponse struct {
	Alg       string `json:"alg" enums:"EdDSA" example:"EdDSA"`                                               // Ed25519 signatures
	Crv       string `json:"crv" enums:"Ed25519" example:"Ed25519"`                                           // the curve
	KeyID     string `json:"kid" maxLength:"16" example:"q1X0mE3vS7g"`                                        // also in every ticket's payload
	PublicKey string `json:"public_key" maxLength:"64" example:"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"` // base64url, no padding, 32 bytes
} // @name TicketPublicKey

// GetTicketKey handles GET /api/v1/transport/tickets/public-key.
//
//	@Summary		Ticket verification key
//	@Description	The Ed25519 public key that verifies booking tickets offline. A ticket is `SD1.<payload>.<signature>`: both parts base64url without padding; the signature covers the ASCII bytes `SD1.<payload>`; the payload is JSON `{kid, code, trip, dep (Unix seconds), seats, ini (passenger initials)}`. See docs/tickets.md. Sends an `ETag`.
//	@ID				getTicketPublicKey
//	@Tags			transport
//	@Produce		json
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	ticketKeyResponse
//	@Success		304				"not modified"
//	@Router			/transport/tickets/public-key [get]
func GetTicketKey(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		kid, pub := svc.TicketKey()
		return web.WriteCacheable(c, ticketKeyResponse{Alg: TicketAlg, Crv: "Ed25519", KeyID: kid,
			PublicKey: base64.RawURLEncoding.EncodeToString(pub)}, "public, max-age=3600")
	}
}

type manifestResponse struct {
	Trip              tripResponse `json:"trip"`
	ConfirmedBookings int          `json:"confirmed_bookings" minimum:"0" maximum:"1000" example:"12" format:"int32"` // boarded ones included
	SeatsBooked       int          `json:"seats_booked" minimum:"0" maximum:"1000" example:"31" format:"int32"`
	BoardedBookings   int          `json:"boarded_bookings" minimum:"0" maximum:"1000" example:"9" format:"int32"`
	SeatsBoarded      int          `json:"seats_boarded" minimum:"0" maximum:"1000" example:"24" format:"int32"`
	CancelledBookings int          `json:"cancelled_bookings" minimum:"0" maximum:"100000" example:"2" format:"int32"`
} // @name TripManifest

// GetTripManifest handles GET /api/v1/transport/trips/{id}/manifest.
//
//	@Summary		A trip's boarding counts
//	@Description	How many bookings and seats a trip has confirmed, how many of them have boarded, and how many bookings were cancelled: for transport staff. The passengers themselves are `GET /transport/bookings?trip_id=`.
//	@ID				getTripManifest
//	@Tags			transport
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Trip ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	manifestResponse
//	@Failure		404	{object}	problem.Problem	"no such trip"
//	@Router			/transport/trips/{id}/manifest [get]
func GetTripManifest(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		m, err := svc.TripManifest(c.Request.Context(), id)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, manifestResponse{Trip: toTripResponse(m.Trip, svc.Now()), ConfirmedBookings: m.ConfirmedBookings,
			SeatsBooked: m.SeatsBooked, BoardedBookings: m.BoardedBookings, SeatsBoarded: m.SeatsBoarded,
			CancelledBookings: m.CancelledBookings})
		return nil
	}
}
