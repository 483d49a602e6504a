// Package plan owns what a user plans to visit: favourite listings and
// itineraries (ordered, day-by-day lists of listings). Everything here is
// private to its owner; someone else's itinerary is "not found".
package plan

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
)

// Limits of an itinerary.
const (
	MaxItems      = 100
	MaxNameLen    = 100 // characters
	MaxNoteLen    = 500 // characters
	MaxDay        = 365
	MaxListingRef = 200 // a UUID or a slug
)

// DateLayout is the wire and storage form of start_date.
const DateLayout = "2006-01-02"

// Itinerary is a user's trip plan.
type Itinerary struct {
	ID        uuid.UUID
	OwnerID   uuid.UUID
	Name      string
	StartDate string // YYYY-MM-DD; empty when not set
	Items     []Item
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TripKind marks an item that is a transport trip (the ride between two
// places) rather than a catalog listing; clients write it "trips".
const TripKind kind.Kind = "trip"

// pluralOf is the word clients use for an item's kind.
func pluralOf(k kind.Kind) string {
	if k == TripKind {
		return "trips"
	}
	return k.Plural()
}

// Ride is what an itinerary shows of a transport trip, as transport tells it.
type Ride struct {
	DepartsAt   time.Time
	ArrivesAt   time.Time
	Mode        string
	RouteNameID string
	RouteNameEN string
	Status      string // scheduled, departed or cancelled
}

// Item is one stop of an itinerary, with what the listing is called; or,
// of kind TripKind, a ride.
type Item struct {
	Position  int // index in Items, from 0
	Kind      kind.Kind
	ListingID uuid.UUID // of a listing item
	TripID    uuid.UUID // of a trip item
	Ride      *Ride     // of a trip item whose trip still exists
	// Slug and names are empty unless the listing is published: staff may
	// have unpublished a draft the user must not read.
	Slug      string
	NameID    string
	NameEN    string
	Published bool // false once the listing was unpublished after being planned
	Day       int
	Note      string
}

// ItemInput is one stop as the owner sends it: the listing by kind and id or
// slug, or a trip (TripKind) by id.
type ItemInput struct {
	Kind kind.Kind
	Ref  string
	Day  int
	Note string
}

// Changes are the parts of an itinerary a write sets; nil parts stay as they are.
type Changes struct {
	Name      *string
	StartDate *string // "" clears it
	Items     *[]ItemInput
}

// problems checks the rules that need no database; field paths are the
// JSON ones, e.g. items[2].day.
func (ch Changes) problems() map[string]string {
	p := map[string]string{}
	if ch.Name != nil {
		switch n := utf8.RuneCountInString(*ch.Name); {
		case n == 0:
			p["name"] = "is required"
		case n > MaxNameLen:
			p["name"] = fmt.Sprintf("must be at most %d characters", MaxNameLen)
		}
	}
	if ch.StartDate != nil && *ch.StartDate != "" {
		if _, err := time.Parse(DateLayout, *ch.StartDate); err != nil {
			p["start_date"] = "must be a date as YYYY-MM-DD"
		}
	}
	if ch.Items != nil {
		items := *ch.Items
		if len(items) > MaxItems {
			p["items"] = fmt.Sprintf("must have at most %d items", MaxItems)
			return p
		}
		for i, it := range items {
			at := func(f string) string { return fmt.Sprintf("items[%d].%s", i, f) }
			if !it.Kind.Valid() && it.Kind != TripKind {
				p[at("kind")] = "is required: attractions, culinary, events or trips"
			}
			switch {
			case it.Ref == "":
				p[at("id")] = "is required"
			case len(it.Ref) > MaxListingRef:
				p[at("id")] = "is not a listing id or slug"
			case it.Kind == TripKind && uuid.Validate(it.Ref) != nil:
				p[at("id")] = "must be a trip id (UUID)"
			}
			if it.Day < 1 || it.Day > MaxDay {
				p[at("day")] = fmt.Sprintf("must be a whole number from 1 to %d", MaxDay)
			}
			if utf8.RuneCountInString(it.Note) > MaxNoteLen {
				p[at("note")] = fmt.Sprintf("must be at most %d characters", MaxNoteLen)
			}
		}
	}
	return p
}
