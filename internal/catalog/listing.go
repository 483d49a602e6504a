// Package catalog is the tourism catalog: attractions, culinary spots and
// events (listings), their categories, discovery lists with filters and
// cursor pages, full-text search and name suggestions, and the staff writes
// that keep them current. Reviews, favourites, itineraries and images live
// in subpackages.
package catalog

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/apperr"
)

// Status is where a listing is in its life: only published listings are
// public.
type Status string

const (
	Draft     Status = "draft"
	Published Status = "published"
	Archived  Status = "archived"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Draft || s == Published || s == Archived }

// UnmarshalJSON rejects unknown statuses while decoding, so they are a 400.
func (s *Status) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return apperr.BadRequest(`Field "status" must be a string.`)
	}
	if !Status(v).Valid() {
		return apperr.BadRequest(fmt.Sprintf(`Field "status" has the unknown value %q; use draft, published or archived.`, v))
	}
	*s = Status(v)
	return nil
}

// Text is a localised text: Indonesian is required, English optional.
type Text struct {
	ID string `json:"id" example:"Keraton Kasunanan Surakarta" maxLength:"10000"`
	EN string `json:"en" example:"Surakarta Sunanate Palace" maxLength:"10000"`
} // @name LocalizedText

// In returns the text in lang, falling back to Indonesian when the English
// text is empty.
func (t Text) In(l Lang) string {
	if l == LangEN && t.EN != "" {
		return t.EN
	}
	return t.ID
}

// Contact is how to reach a listing.
type Contact struct {
	Phone     string `json:"phone" example:"+62271644046" maxLength:"30"`
	Website   string `json:"website" example:"https://kraton-surakarta.example" maxLength:"500"`
	Instagram string `json:"instagram" example:"keratonsurakarta" maxLength:"31"`
} // @name ListingContact

// TicketPrice is one entry fee of an attraction, in whole rupiah.
type TicketPrice struct {
	Label     string `json:"label" example:"Dewasa / Adult" maxLength:"100"`
	AmountIDR int64  `json:"amount_idr" minimum:"0" example:"15000" format:"int64" maximum:"9223372036854775807"`
} // @name TicketPrice

// Image is a picture of a listing, served from /media.
type Image struct {
	ID      uuid.UUID `json:"id" example:"0193a5b3-1111-7222-8333-444455556666" format:"uuid" maxLength:"36"`
	URL     string    `json:"url" example:"/media/listings/0193a5b2/1.jpg" maxLength:"600"`
	Caption string    `json:"caption" example:"Pendapa Sasana Sewaka" maxLength:"200"`
} // @name ListingImage

// Rating summarises the visible reviews of a listing.
type Rating struct {
	Average float64 `json:"average" example:"4.6" minimum:"0" maximum:"5"`
	Count   int     `json:"count" example:"128" format:"int64" minimum:"0" maximum:"9223372036854775807"`
} // @name ListingRating

// Listing is an attraction, culinary spot or event. Kind-specific fields
// are zero for the other kinds.
type Listing struct {
	ID           uuid.UUID
	Kind         kind.Kind
	Slug         string
	Status       Status
	Name         Text
	Description  Text
	Category     string
	Tags         []string
	Address      string
	Location     Location
	OpeningHours []Hours
	Contact      Contact
	Images       []Image
	Rating       Rating

	TicketPrices []TicketPrice // attractions

	Specialties []string // culinary
	PriceRange  *int
	Halal       *bool

	StartsAt  *time.Time // events
	EndsAt    *time.Time
	Venue     string
	Organizer string
	TicketURL string

	// OpenNow is computed when the listing is read, for the service clock.
	OpenNow bool
	// DistanceM is set when the read asked for distances from a point.
	DistanceM *float64

	PublishedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// everPublished reports whether the listing has been public at some point;
// from then on its slug never changes, since links to it exist.
func (l Listing) everPublished() bool { return l.PublishedAt != nil }
