package catalog

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/solodestination/api/internal/catalog/kind"
)

// Limits of a listing body; the Swagger schema states them too.
const (
	maxNameLen        = 200
	maxDescriptionLen = 10000
	maxTags           = 20
	maxTagLen         = 40
	maxAddressLen     = 300
	maxHours          = 50
	maxPrices         = 20
	maxLabelLen       = 100
	maxSpecialties    = 20
	maxSpecialtyLen   = 100
	maxShortTextLen   = 200
	maxURLLen         = 500
)

// listingRequest is the body of POST and PATCH /{kind}. On PATCH every
// field is optional and a field that is sent replaces the stored value
// whole. Fields that belong to another kind are ignored, as are fields a
// caller may not set (id, slug, rating, timestamps).
type listingRequest struct {
	Name         *Text               `json:"name"`
	Description  *Text               `json:"description" text:"multiline"`
	Category     *string             `json:"category" example:"heritage_palace" maxLength:"64"`
	Tags         *[]string           `json:"tags" example:"heritage,royal" validate:"max=20" maxLength:"40"`
	Address      *string             `json:"address" text:"multiline" maxLength:"300" example:"Jl. Sidikoro, Baluwarti, Pasar Kliwon, Surakarta"`
	Location     *locationInput      `json:"location"`
	OpeningHours *[]hoursInput       `json:"opening_hours" validate:"max=50"`
	Contact      *Contact            `json:"contact"`
	TicketPrices *[]ticketPriceInput `json:"ticket_prices" validate:"max=20"`                                                                     // attractions
	Specialties  *[]string           `json:"specialties" example:"Nasi liwet ayam" validate:"max=20" maxLength:"100"`                             // culinary
	PriceRange   *int                `json:"price_range" minimum:"-9223372036854775808" maximum:"9223372036854775807" example:"2" format:"int64"` // culinary: 1 (cheap) to 4, else 422; other kinds ignore it
	Halal        *bool               `json:"halal" example:"true"`                                                                                // culinary
	StartsAt     *time.Time          `json:"starts_at" example:"2026-08-08T10:00:00+07:00" format:"date-time" maxLength:"35"`                     // events
	EndsAt       *time.Time          `json:"ends_at" example:"2026-08-15T08:00:00+07:00" format:"date-time" maxLength:"35"`                       // events
	Venue        *string             `json:"venue" maxLength:"200" example:"Alun-alun Utara"`                                                     // events
	Organizer    *string             `json:"organizer" maxLength:"200" example:"Keraton Kasunanan Surakarta"`
	TicketURL    *string             `json:"ticket_url" maxLength:"500" example:"https://tiket.example.com/sekaten"`
	Status       *Status             `json:"status" enums:"draft,published,archived" swaggertype:"string" example:"draft"`
} // @name ListingWrite

type locationInput struct {
	Lat *float64 `json:"lat" minimum:"-90" maximum:"90" example:"-7.5778"`
	Lng *float64 `json:"lng" minimum:"-180" maximum:"180" example:"110.8278"`
} // @name GeoPointWrite

type hoursInput struct {
	Day   *int   `json:"day" minimum:"0" maximum:"6" example:"1" format:"int32"`
	Open  string `json:"open" example:"09:00" maxLength:"5" extensions:"x-pattern=clock"`
	Close string `json:"close" example:"14:00" maxLength:"5" extensions:"x-pattern=closingClock"`
} // @name OpeningHoursWrite

type ticketPriceInput struct {
	Label     string `json:"label" maxLength:"100" example:"Dewasa / Adult"`
	AmountIDR *int64 `json:"amount_idr" minimum:"0" example:"15000" format:"int64" maximum:"9223372036854775807"`
} // @name TicketPriceWrite

// Normalize trims text and lower-cases tags before the rules are checked.
func (r *listingRequest) Normalize() {
	trim := func(p *string) {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
	for _, t := range []*Text{r.Name, r.Description} {
		if t != nil {
			t.ID, t.EN = strings.TrimSpace(t.ID), strings.TrimSpace(t.EN)
		}
	}
	trim(r.Category)
	trim(r.Address)
	trim(r.Venue)
	trim(r.Organizer)
	trim(r.TicketURL)
	if r.Tags != nil {
		seen := map[string]bool{}
		out := make([]string, 0, len(*r.Tags))
		for _, t := range *r.Tags {
			t = strings.ToLower(strings.TrimSpace(t))
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		*r.Tags = out
	}
	if r.Specialties != nil {
		for i, s := range *r.Specialties {
			(*r.Specialties)[i] = strings.TrimSpace(s)
		}
	}
	if r.Contact != nil {
		r.Contact.Phone = strings.TrimSpace(r.Contact.Phone)
		r.Contact.Website = strings.TrimSpace(r.Contact.Website)
		r.Contact.Instagram = strings.TrimPrefix(strings.TrimSpace(r.Contact.Instagram), "@")
	}
	if r.OpeningHours != nil {
		for i := range *r.OpeningHours {
			h := &(*r.OpeningHours)[i]
			h.Open, h.Close = strings.TrimSpace(h.Open), strings.TrimSpace(h.Close)
		}
	}
	if r.TicketPrices != nil {
		for i := range *r.TicketPrices {
			p := &(*r.TicketPrices)[i]
			p.Label = strings.TrimSpace(p.Label)
		}
	}
}

// changes turns the body into the write it asks for. Fields that cannot be
// read at all (a location without lat, an opening-hours entry without day, a
// price without amount) are left out and named in Problems.
func (r *listingRequest) changes() ListingChanges {
	ch := ListingChanges{Name: r.Name, Description: r.Description, Category: r.Category, Tags: r.Tags,
		Address: r.Address, Contact: r.Contact, Specialties: r.Specialties, PriceRange: r.PriceRange,
		Halal: r.Halal, StartsAt: r.StartsAt, EndsAt: r.EndsAt, Venue: r.Venue, Organizer: r.Organizer,
		TicketURL: r.TicketURL, Status: r.Status, Problems: map[string]string{}}
	if r.Location != nil {
		if r.Location.Lat == nil {
			ch.Problems["location.lat"] = "is required"
		}
		if r.Location.Lng == nil {
			ch.Problems["location.lng"] = "is required"
		}
		if r.Location.Lat != nil && r.Location.Lng != nil {
			ch.Location = &Location{Lat: *r.Location.Lat, Lng: *r.Location.Lng}
		} else {
			ch.partialLocation = true
		}
	}
	if r.OpeningHours != nil {
		hours := make([]Hours, len(*r.OpeningHours))
		for i, h := range *r.OpeningHours {
			if h.Day == nil {
				ch.Problems[fmt.Sprintf("opening_hours[%d].day", i)] = "is required"
				continue
			}
			hours[i] = Hours{Day: *h.Day, Open: h.Open, Close: h.Close}
		}
		ch.OpeningHours = &hours
	}
	if r.TicketPrices != nil {
		prices := make([]TicketPrice, len(*r.TicketPrices))
		for i, tp := range *r.TicketPrices {
			if tp.AmountIDR == nil {
				ch.Problems[fmt.Sprintf("ticket_prices[%d].amount_idr", i)] = "is required"
				continue
			}
			prices[i] = TicketPrice{Label: tp.Label, AmountIDR: *tp.AmountIDR}
		}
		ch.TicketPrices = &prices
	}
	return ch
}

var (
	tagPattern       = regexp.MustCompile(`^[a-z0-9]+(?:[_-][a-z0-9]+)*$`)
	phonePattern     = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{4,28}[0-9]$`)
	instagramPattern = regexp.MustCompile(`^[A-Za-z0-9._]{1,30}$`)
)

// validate checks a whole listing as it would be stored, so POST, PATCH and
// the demo loader share one set of rules. Problems are keyed by the JSON
// path of the field.
func validate(l Listing, cats *categories) map[string]string {
	p := map[string]string{}
	textRule := func(field, s string, required bool, maxLen int) {
		switch {
		case required && s == "":
			p[field] = "is required"
		case runeLen(s) > maxLen:
			p[field] = fmt.Sprintf("must be at most %d characters", maxLen)
		}
	}
	textRule("name.id", l.Name.ID, true, maxNameLen)
	textRule("name.en", l.Name.EN, false, maxNameLen)
	textRule("description.id", l.Description.ID, false, maxDescriptionLen)
	textRule("description.en", l.Description.EN, false, maxDescriptionLen)
	textRule("address", l.Address, false, maxAddressLen)
	if l.Category == "" {
		p["category"] = "is required"
	} else if !cats.known(l.Kind, l.Category) {
		p["category"] = "must be a category code of " + l.Kind.Plural() + " (see GET /api/v1/categories)"
	}
	if len(l.Tags) > maxTags {
		p["tags"] = fmt.Sprintf("must have at most %d items", maxTags)
	}
	for i, t := range l.Tags {
		if len(t) > maxTagLen || !tagPattern.MatchString(t) {
			p[fmt.Sprintf("tags[%d]", i)] = fmt.Sprintf("must be 1 to %d lower-case letters or digits, words joined by _ or -", maxTagLen)
		}
	}
	if !validLatLng(l.Location.Lat, l.Location.Lng) {
		if l.Location.Lat < -90 || l.Location.Lat > 90 || l.Location.Lat != l.Location.Lat {
			p["location.lat"] = "must be from -90 to 90"
		}
		if l.Location.Lng < -180 || l.Location.Lng > 180 || l.Location.Lng != l.Location.Lng {
			p["location.lng"] = "must be from -180 to 180"
		}
	}
	for f, m := range validateHours(l.OpeningHours) {
		p[f] = m
	}
	if c := l.Contact; c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		p["contact.phone"] = "must be a phone number of 6 to 30 digits, optionally starting with +"
	}
	if !validURL(l.Contact.Website) {
		p["contact.website"] = "must be an http or https URL"
	}
	if c := l.Contact; c.Instagram != "" && !instagramPattern.MatchString(c.Instagram) {
		p["contact.instagram"] = "must be an Instagram handle of up to 30 letters, digits, dots or underscores"
	}
	switch l.Kind {
	case kind.Attraction:
		if len(l.TicketPrices) > maxPrices {
			p["ticket_prices"] = fmt.Sprintf("must have at most %d items", maxPrices)
		}
		for i, tp := range l.TicketPrices {
			textRule(fmt.Sprintf("ticket_prices[%d].label", i), tp.Label, true, maxLabelLen)
			if tp.AmountIDR < 0 {
				p[fmt.Sprintf("ticket_prices[%d].amount_idr", i)] = "must be at least 0"
			}
		}
	case kind.Culinary:
		if len(l.Specialties) > maxSpecialties {
			p["specialties"] = fmt.Sprintf("must have at most %d items", maxSpecialties)
		}
		for i, s := range l.Specialties {
			textRule(fmt.Sprintf("specialties[%d]", i), s, true, maxSpecialtyLen)
		}
		if l.PriceRange != nil && (*l.PriceRange < 1 || *l.PriceRange > 4) {
			p["price_range"] = "must be from 1 to 4"
		}
	case kind.Event:
		if l.StartsAt == nil {
			p["starts_at"] = "is required"
		}
		if l.EndsAt == nil {
			p["ends_at"] = "is required"
		}
		if l.StartsAt != nil && l.EndsAt != nil && !l.EndsAt.After(*l.StartsAt) {
			p["ends_at"] = "must be after starts_at"
		}
		textRule("venue", l.Venue, false, maxShortTextLen)
		textRule("organizer", l.Organizer, false, maxShortTextLen)
		if !validURL(l.TicketURL) {
			p["ticket_url"] = "must be an http or https URL"
		}
	}
	return p
}

// validURL accepts the empty string (no URL) or an absolute http(s) URL.
func validURL(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > maxURLLen {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
