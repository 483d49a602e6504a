package catalog

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/google/uuid"
	"github.com/solodestination/api/internal/platform/httpcache"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/web"
)

// listingResponse is a listing as clients read it. name and description
// are strings in the response language, or {"id","en"} objects with
// ?lang=all. Kind-specific fields appear only on their kind.
type listingResponse struct {
	ID           uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Type         kind.Kind `json:"type" enums:"attraction,culinary,event" swaggertype:"string" example:"attraction"`
	Slug         string    `json:"slug" example:"keraton-kasunanan-surakarta-hadiningrat" maxLength:"100" extensions:"x-pattern=slug"`
	Name         any       `json:"name" extensions:"x-localized=200"`
	Description  any       `json:"description" extensions:"x-localized=10000"`
	Category     string    `json:"category" example:"heritage_palace" maxLength:"64"`
	Tags         []string  `json:"tags" example:"heritage,royal" validate:"max=20" maxLength:"40"`
	Address      string    `json:"address" example:"Kompleks Keraton, Baluwarti, Pasar Kliwon, Surakarta" maxLength:"300"`
	Location     Location  `json:"location"`
	OpeningHours []Hours   `json:"opening_hours" validate:"max=50"`
	OpenNow      bool      `json:"open_now" example:"true"` // in Asia/Jakarta, at the time of the response
	Contact      Contact   `json:"contact"`
	Images       []Image   `json:"images" validate:"max=100"`
	Rating       Rating    `json:"rating"`
	Status       Status    `json:"status" enums:"draft,published,archived" swaggertype:"string" example:"published"`
	*attractionFields
	*culinaryFields
	*eventFields
	DistanceM *float64  `json:"distance_m,omitempty" example:"1234.5" extensions:"x-optional"` // great-circle metres from near
	CreatedAt time.Time `json:"created_at" format:"date-time" maxLength:"35"`
	UpdatedAt time.Time `json:"updated_at" format:"date-time" maxLength:"35"`
} // @name Listing

type attractionFields struct {
	TicketPrices []TicketPrice `json:"ticket_prices" validate:"max=20" extensions:"x-optional"` // attractions only
}

type culinaryFields struct {
	Specialties []string `json:"specialties" example:"Nasi liwet ayam" validate:"max=20" maxLength:"100" extensions:"x-optional"` // culinary only
	PriceRange  *int     `json:"price_range" minimum:"1" maximum:"4" example:"2" format:"int32" extensions:"x-nullable,x-optional"`
	Halal       *bool    `json:"halal" example:"true" extensions:"x-nullable,x-optional"`
}

type eventFields struct {
	StartsAt  *time.Time `json:"starts_at" format:"date-time" maxLength:"35" extensions:"x-optional"` // events only
	EndsAt    *time.Time `json:"ends_at" format:"date-time" maxLength:"35" extensions:"x-optional"`
	Venue     string     `json:"venue" example:"Alun-alun Utara Keraton Surakarta" maxLength:"200" extensions:"x-optional"`
	Organizer string     `json:"organizer" example:"Keraton Kasunanan Surakarta" maxLength:"200" extensions:"x-optional"`
	TicketURL string     `json:"ticket_url" example:"" maxLength:"500" extensions:"x-optional"`
}

type listingList struct {
	Data []listingResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta      `json:"meta"`
} // @name ListingList

// localized renders t for lang: a string, or the object for LangAll.
func localized(t Text, l Lang) any {
	if l == LangAll {
		return t
	}
	return t.In(l)
}

func toListingResponse(l Listing, lang Lang) listingResponse {
	r := listingResponse{
		ID: l.ID, Type: l.Kind, Slug: l.Slug, Name: localized(l.Name, lang), Description: localized(l.Description, lang),
		Category: l.Category, Tags: nonNil(l.Tags), Address: l.Address, Location: l.Location,
		OpeningHours: nonNil(l.OpeningHours), OpenNow: l.OpenNow, Contact: l.Contact, Images: nonNil(l.Images),
		Rating: l.Rating, Status: l.Status, DistanceM: l.DistanceM, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt,
	}
	switch l.Kind {
	case kind.Attraction:
		r.attractionFields = &attractionFields{TicketPrices: nonNil(l.TicketPrices)}
	case kind.Culinary:
		r.culinaryFields = &culinaryFields{Specialties: nonNil(l.Specialties), PriceRange: l.PriceRange, Halal: l.Halal}
	case kind.Event:
		r.eventFields = &eventFields{StartsAt: l.StartsAt, EndsAt: l.EndsAt, Venue: l.Venue, Organizer: l.Organizer, TicketURL: l.TicketURL}
	}
	return r
}

type categoryResponse struct {
	Code string `json:"code" example:"heritage_palace" maxLength:"64"`
	Name any    `json:"name" extensions:"x-localized=200"`
} // @name Category

type categoriesResponse struct {
	Attractions []categoryResponse `json:"attractions" validate:"max=200"`
	Culinary    []categoryResponse `json:"culinary" validate:"max=200"`
	Events      []categoryResponse `json:"events" validate:"max=200"`
} // @name Categories

type searchHitResponse struct {
	Type      kind.Kind `json:"type" enums:"attraction,culinary,event" swaggertype:"string" example:"culinary"`
	ID        uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Slug      string    `json:"slug" example:"serabi-notosuman" maxLength:"100" extensions:"x-pattern=slug"`
	Name      any       `json:"name" extensions:"x-localized=200"`
	Snippet   string    `json:"snippet" example:"…toko serabi legendaris sejak 1923 di Jalan Moh. Yamin…" maxLength:"10002"`
	DistanceM *float64  `json:"distance_m,omitempty" example:"850.2" extensions:"x-optional"`
} // @name SearchHit

type searchList struct {
	Data []searchHitResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta        `json:"meta"`
} // @name SearchResults

type suggestionResponse struct {
	Type kind.Kind `json:"type" enums:"attraction,culinary,event" swaggertype:"string" example:"attraction"`
	ID   uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Slug string    `json:"slug" example:"keraton-kasunanan-surakarta-hadiningrat" maxLength:"100" extensions:"x-pattern=slug"`
	Name any       `json:"name" extensions:"x-localized=200"`
} // @name Suggestion

type suggestionList struct {
	Data []suggestionResponse `json:"data" validate:"max=10"`
	Meta web.ListMeta         `json:"meta"`
} // @name Suggestions

// Cache headers of catalog reads: short public caching (staff edits show
// within a minute), or none when the response holds unpublished content.
const (
	publicCache  = "public, max-age=60"
	privateCache = "private, no-store"
)

// writeJSON sends v with the catalog's caching rules. Public responses get
// a weak ETag over the body (weak, since the gzip middleware may re-encode
// the bytes) and a matching If-None-Match gets 304 without a body.
func writeJSON(c *gin.Context, status int, v any, lang Lang, private bool) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeBody(c, status, body, lang, private)
}

// writeBody is writeJSON for an encoded body.
func writeBody(c *gin.Context, status int, body []byte, lang Lang, private bool) error {
	if private {
		if lang != "" {
			web.SetLangHeaders(c, lang)
		}
		c.Header("Cache-Control", privateCache)
		c.Data(status, "application/json; charset=utf-8", body)
		return nil
	}
	e := &httpcache.Entry{Body: body, ETag: web.ETagOf(body)}
	if lang != "" {
		e.ContentLanguage = lang.ContentLanguage()
	}
	if t, ok := c.Get(cacheKeyCtx); ok && status == http.StatusOK {
		ticket := t.(cacheTicket)
		e = ticket.cache.Put(ticket.key, ticket.gen, e)
	}
	writeEntry(c, status, e)
	return nil
}
