package catalog

import (
	"time"

	"github.com/solodestination/api/internal/catalog/kind"
)

// ListingChanges is a staff write of a listing: the fields to set. A nil
// field keeps the stored value (PATCH) or the zero value (POST); a set
// field replaces the stored value whole. Fields of another kind are ignored.
type ListingChanges struct {
	Name, Description *Text
	Category          *string
	Tags              *[]string
	Address           *string
	Location          *Location
	OpeningHours      *[]Hours
	Contact           *Contact
	TicketPrices      *[]TicketPrice // attractions
	Specialties       *[]string      // culinary
	PriceRange        *int           // culinary
	Halal             *bool          // culinary
	StartsAt, EndsAt  *time.Time     // events
	Venue, Organizer  *string        // events
	TicketURL         *string        // events
	Status            *Status

	// Problems are fields the caller sent but that could not be read
	// (field → problem); they are reported with the rule violations.
	Problems map[string]string
	// partialLocation is a location sent without lat or lng: it counts as
	// sent, so a POST does not also report it missing.
	partialLocation bool
}

// missingOnCreate names the fields a new listing of kind k must have.
func (ch ListingChanges) missingOnCreate(k kind.Kind) map[string]string {
	p := map[string]string{}
	if ch.Name == nil {
		p["name.id"] = "is required"
	}
	if ch.Category == nil {
		p["category"] = "is required"
	}
	if ch.Location == nil && !ch.partialLocation {
		p["location"] = "is required"
	}
	if k == kind.Event {
		if ch.StartsAt == nil {
			p["starts_at"] = "is required"
		}
		if ch.EndsAt == nil {
			p["ends_at"] = "is required"
		}
	}
	return p
}

// apply returns base with the changes that belong to base's kind.
func (ch ListingChanges) apply(base Listing) Listing {
	l := base
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if ch.Name != nil {
		l.Name = *ch.Name
	}
	if ch.Description != nil {
		l.Description = *ch.Description
	}
	set(&l.Category, ch.Category)
	if ch.Tags != nil {
		l.Tags = *ch.Tags
	}
	set(&l.Address, ch.Address)
	if ch.Location != nil {
		l.Location = *ch.Location
	}
	if ch.OpeningHours != nil {
		l.OpeningHours = *ch.OpeningHours
	}
	if ch.Contact != nil {
		l.Contact = *ch.Contact
	}
	if ch.Status != nil {
		l.Status = *ch.Status
	}
	switch l.Kind {
	case kind.Attraction:
		if ch.TicketPrices != nil {
			l.TicketPrices = *ch.TicketPrices
		}
	case kind.Culinary:
		if ch.Specialties != nil {
			l.Specialties = *ch.Specialties
		}
		if ch.PriceRange != nil {
			l.PriceRange = ch.PriceRange
		}
		if ch.Halal != nil {
			l.Halal = ch.Halal
		}
	case kind.Event:
		if ch.StartsAt != nil {
			t := ch.StartsAt.UTC().Truncate(time.Second)
			l.StartsAt = &t
		}
		if ch.EndsAt != nil {
			t := ch.EndsAt.UTC().Truncate(time.Second)
			l.EndsAt = &t
		}
		set(&l.Venue, ch.Venue)
		set(&l.Organizer, ch.Organizer)
		set(&l.TicketURL, ch.TicketURL)
	}
	return l
}

// fields names the top-level fields a write sets, for the audit log.
func (ch ListingChanges) fields() []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(ch.Name != nil, "name")
	add(ch.Description != nil, "description")
	add(ch.Category != nil, "category")
	add(ch.Tags != nil, "tags")
	add(ch.Address != nil, "address")
	add(ch.Location != nil || ch.partialLocation, "location")
	add(ch.OpeningHours != nil, "opening_hours")
	add(ch.Contact != nil, "contact")
	add(ch.TicketPrices != nil, "ticket_prices")
	add(ch.Specialties != nil, "specialties")
	add(ch.PriceRange != nil, "price_range")
	add(ch.Halal != nil, "halal")
	add(ch.StartsAt != nil, "starts_at")
	add(ch.EndsAt != nil, "ends_at")
	add(ch.Venue != nil, "venue")
	add(ch.Organizer != nil, "organizer")
	add(ch.TicketURL != nil, "ticket_url")
	add(ch.Status != nil, "status")
	return out
}
