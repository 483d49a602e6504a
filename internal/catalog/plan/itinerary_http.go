package plan

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// kindParam is an item kind as clients write it: a listing kind's plural
// path word, or "trips".
// An unknown word is a 400 while decoding; an empty one is left for
// validation to report as missing.
type kindParam kind.Kind

func (k *kindParam) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return apperr.BadRequest(`Field "kind" must be a string: attractions, culinary, events or trips.`)
	}
	if s == "" {
		*k = ""
		return nil
	}
	if s == "trips" {
		*k = kindParam(TripKind)
		return nil
	}
	v, ok := kind.FromPlural(s)
	if !ok {
		return apperr.BadRequest(fmt.Sprintf(`Field "kind" has the unknown value %q; use attractions, culinary, events or trips.`, s))
	}
	*k = kindParam(v)
	return nil
}

// nullableDate tells an absent start_date (keep) from null (clear) in a PATCH.
type nullableDate struct {
	Set   bool
	Value string
}

func (d *nullableDate) UnmarshalJSON(b []byte) error {
	d.Set = true
	if string(b) == "null" {
		d.Value = ""
		return nil
	}
	if err := json.Unmarshal(b, &d.Value); err != nil {
		return apperr.BadRequest(`Field "start_date" must be a date string (YYYY-MM-DD) or null.`)
	}
	return nil
}

type itemRequest struct {
	Kind kindParam `json:"kind" validate:"required" enums:"attractions,culinary,events,trips" swaggertype:"string" example:"attractions"`
	ID   string    `json:"id" validate:"required" maxLength:"200" example:"keraton-kasunanan-surakarta"` // a listing's UUID or slug; a trip's UUID
	Day  int       `json:"day" validate:"required" minimum:"1" maximum:"365" example:"1" format:"int32"`
	Note string    `json:"note,omitempty" text:"multiline" maxLength:"500" example:"Datang pagi, sebelum ramai."`
} // @name ItineraryItemInput

func toItemInputs(in []itemRequest) *[]ItemInput {
	out := make([]ItemInput, len(in))
	for i, it := range in {
		out[i] = ItemInput{Kind: kind.Kind(it.Kind), Ref: strings.TrimSpace(it.ID), Day: it.Day, Note: strings.TrimSpace(it.Note)}
	}
	return &out
}

type createItineraryRequest struct {
	Name      string        `json:"name" validate:"required" maxLength:"100" example:"Akhir pekan di Solo"`
	StartDate *string       `json:"start_date,omitempty" example:"2026-08-15" maxLength:"10" extensions:"x-pattern=dateOrEmpty"`
	Items     []itemRequest `json:"items" validate:"max=100"`
} // @name CreateItineraryRequest

func (r createItineraryRequest) changes() Changes {
	name := strings.TrimSpace(r.Name)
	return Changes{Name: &name, StartDate: r.StartDate, Items: toItemInputs(r.Items)}
}

type updateItineraryRequest struct {
	Name      *string        `json:"name,omitempty" maxLength:"100" example:"Akhir pekan panjang di Solo"`
	StartDate nullableDate   `json:"start_date,omitempty" swaggertype:"string" extensions:"x-nullable,x-pattern=dateOrEmpty" example:"2026-08-16" maxLength:"10"`
	Items     *[]itemRequest `json:"items,omitempty" validate:"max=100"`
} // @name UpdateItineraryRequest

func (r updateItineraryRequest) changes() Changes {
	var ch Changes
	if r.Name != nil {
		n := strings.TrimSpace(*r.Name)
		ch.Name = &n
	}
	if r.StartDate.Set {
		ch.StartDate = &r.StartDate.Value
	}
	if r.Items != nil {
		ch.Items = toItemInputs(*r.Items)
	}
	return ch
}

type itemResponse struct {
	Position  int               `json:"position" example:"0" format:"int32" minimum:"0" maximum:"99"`
	Kind      string            `json:"kind" enums:"attractions,culinary,events,trips" example:"attractions"`
	ID        string            `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Slug      string            `json:"slug,omitempty" example:"keraton-kasunanan-surakarta" maxLength:"100" extensions:"x-pattern=slug,x-optional"` // absent when not available, and on trips
	Name      string            `json:"name,omitempty" example:"Keraton Kasunanan Surakarta" maxLength:"200" extensions:"x-optional"`                // the listing's, or a trip's route name; absent when not available
	Day       int               `json:"day" example:"1" format:"int32" minimum:"1" maximum:"365"`
	Note      string            `json:"note" example:"Datang pagi, sebelum ramai." maxLength:"500"`
	Available bool              `json:"available" example:"true"`               // false once the listing is no longer published, or the trip is cancelled or gone
	Trip      *itemTripResponse `json:"trip,omitempty" extensions:"x-optional"` // on trip items whose trip exists
} // @name ItineraryItem

// itemTripResponse is the ride of a trip item, as transport has it now.
type itemTripResponse struct {
	DepartsAt time.Time `json:"departs_at" format:"date-time" maxLength:"35"`
	ArrivesAt time.Time `json:"arrives_at" format:"date-time" maxLength:"35"`
	Mode      string    `json:"mode" example:"steam_train" maxLength:"40"`
	Status    string    `json:"status" enums:"scheduled,departed,cancelled" example:"scheduled"`
} // @name ItineraryItemTrip

// wib is Asia/Jakarta, where rides are timetabled.
var wib = time.FixedZone("WIB", 7*60*60)

func toItemResponse(x Item, lang web.Lang) itemResponse {
	out := itemResponse{Position: x.Position, Kind: pluralOf(x.Kind), ID: x.ListingID.String(),
		Slug: x.Slug, Name: lang.Pick(x.NameID, x.NameEN), Day: x.Day, Note: x.Note, Available: x.Published}
	if x.Kind == TripKind {
		out.ID, out.Available = x.TripID.String(), false
		if r := x.Ride; r != nil {
			out.Name = lang.Pick(r.RouteNameID, r.RouteNameEN)
			out.Available = r.Status != "cancelled"
			out.Trip = &itemTripResponse{DepartsAt: r.DepartsAt.In(wib), ArrivesAt: r.ArrivesAt.In(wib), Mode: r.Mode, Status: r.Status}
		}
	}
	return out
}

type itineraryResponse struct {
	ID        uuid.UUID      `json:"id" example:"0193a5b2-aaaa-7bbb-8ccc-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Name      string         `json:"name" example:"Akhir pekan di Solo" maxLength:"100"`
	StartDate *string        `json:"start_date" format:"date" example:"2026-08-15" maxLength:"10" extensions:"x-nullable"`
	Items     []itemResponse `json:"items" validate:"max=100"`
	CreatedAt time.Time      `json:"created_at" format:"date-time" maxLength:"35"`
	UpdatedAt time.Time      `json:"updated_at" format:"date-time" maxLength:"35"`
} // @name Itinerary

func toItineraryResponse(it Itinerary, lang web.Lang) itineraryResponse {
	out := itineraryResponse{ID: it.ID, Name: it.Name, Items: make([]itemResponse, len(it.Items)),
		CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt}
	if it.StartDate != "" {
		d := it.StartDate
		out.StartDate = &d
	}
	for i, x := range it.Items {
		out.Items[i] = toItemResponse(x, lang)
	}
	return out
}

type itineraryList struct {
	Data []itineraryResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta        `json:"meta"`
} // @name ItineraryList

func writeItinerary(c *gin.Context, status int, it Itinerary) {
	lang := web.RequestLang(c).One()
	web.SetLangHeaders(c, lang)
	c.Header("Cache-Control", "private, no-store")
	c.JSON(status, toItineraryResponse(it, lang))
}

// CreateItinerary handles POST /api/v1/me/itineraries.
//
//	@Summary		Create an itinerary
//	@ID				createItinerary
//	@Description	A personal trip plan: a name, an optional start date and up to 100 items in visiting order. Each item names a published listing by kind and UUID or slug, or a transport trip (`kind: "trips"`, its UUID): the ride between two places; one that does not resolve (or a cancelled trip) is a 422 under its path, e.g. `items[2].id`. Items come back with `position` (their index, from 0) and the listing's `slug` and `name` (in the language of `?lang=` or `Accept-Language`); a trip item with its route's name as `name` and `trip {departs_at, arrives_at, mode, status}`, `available` false once the trip is cancelled.
//	@Tags			itineraries
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			lang	query		string					false	"Language of listing names: id or en; any other value means id"	maxLength(4096)
//	@Param			body	body		createItineraryRequest	true	"The plan"
//	@Success		201		{object}	itineraryResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON or an unknown item kind"
//	@Failure		401		{object}	problem.Problem
//	@Failure		415		{object}	problem.Problem	"body is not JSON"
//	@Failure		422		{object}	problem.Problem	"validation failed, or an item's listing is unknown or unpublished"
//	@Router			/me/itineraries [post]
func CreateItinerary(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in createItineraryRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		it, err := svc.CreateItinerary(ctx, identity.ActorFrom(ctx), in.changes())
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/me/itineraries/"+it.ID.String())
		writeItinerary(c, http.StatusCreated, it)
		return nil
	}
}

// ListItineraries handles GET /api/v1/me/itineraries.
//
//	@Summary		Your itineraries
//	@ID				listItineraries
//	@Description	Your itineraries, newest first, each with its items.
//	@Tags			itineraries
//	@Produce		json
//	@Security		BearerAuth
//	@Param			lang	query		string	false	"Language of listing names: id or en; any other value means id"	maxLength(4096)
//	@Param			limit	query		int		false	"Page size"														format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"								maxLength(2048)
//	@Success		200		{object}	itineraryList
//	@Failure		400		{object}	problem.Problem	"bad limit or cursor"
//	@Failure		401		{object}	problem.Problem
//	@Router			/me/itineraries [get]
func ListItineraries(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("itineraries"))
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		its, more, err := svc.Itineraries(ctx, identity.ActorFrom(ctx), page.After, page.Limit)
		if err != nil {
			return err
		}
		lang := web.RequestLang(c).One()
		out, err := web.NewList(page, its, more, func(it Itinerary) uuid.UUID { return it.ID },
			func(it Itinerary) itineraryResponse { return toItineraryResponse(it, lang) })
		if err != nil {
			return err
		}
		web.SetLangHeaders(c, lang)
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, itineraryList(out))
		return nil
	}
}

// GetItinerary handles GET /api/v1/me/itineraries/{id}.
//
//	@Summary	One of your itineraries
//	@ID			getItinerary
//	@Tags		itineraries
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id		path		string	true	"Itinerary ID"													format(uuid)	maxLength(36)
//	@Param		lang	query		string	false	"Language of listing names: id or en; any other value means id"	maxLength(4096)
//	@Success	200		{object}	itineraryResponse
//	@Failure	401		{object}	problem.Problem
//	@Failure	404		{object}	problem.Problem	"no such itinerary of yours"
//	@Router		/me/itineraries/{id} [get]
func GetItinerary(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		it, err := svc.Itinerary(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		writeItinerary(c, http.StatusOK, it)
		return nil
	}
}

// PatchItinerary handles PATCH /api/v1/me/itineraries/{id}.
//
//	@Summary		Change an itinerary
//	@ID				updateItinerary
//	@Description	Replaces what the body contains: `name`, `start_date` (null clears it) and/or `items` (the whole list, in the new order). Absent fields stay as they are.
//	@Tags			itineraries
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"Itinerary ID"													format(uuid)	maxLength(36)
//	@Param			lang	query		string					false	"Language of listing names: id or en; any other value means id"	maxLength(4096)
//	@Param			body	body		updateItineraryRequest	true	"What to replace"
//	@Success		200		{object}	itineraryResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON or an unknown item kind"
//	@Failure		401		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem	"no such itinerary of yours"
//	@Failure		415		{object}	problem.Problem	"body is not JSON"
//	@Failure		422		{object}	problem.Problem	"validation failed, or an item's listing is unknown or unpublished"
//	@Router			/me/itineraries/{id} [patch]
func PatchItinerary(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in updateItineraryRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		it, err := svc.UpdateItinerary(ctx, identity.ActorFrom(ctx), id, in.changes())
		if err != nil {
			return err
		}
		writeItinerary(c, http.StatusOK, it)
		return nil
	}
}

// DeleteItinerary handles DELETE /api/v1/me/itineraries/{id}.
//
//	@Summary	Delete an itinerary
//	@ID			deleteItinerary
//	@Tags		itineraries
//	@Security	BearerAuth
//	@Param		id	path	string	true	"Itinerary ID"	format(uuid)	maxLength(36)
//	@Success	204
//	@Failure	401	{object}	problem.Problem
//	@Failure	404	{object}	problem.Problem	"no such itinerary of yours"
//	@Router		/me/itineraries/{id} [delete]
func DeleteItinerary(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		if err := svc.DeleteItinerary(ctx, identity.ActorFrom(ctx), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}
