// Package review owns listing reviews and the rating aggregate they feed
// (listings.rating_sum, rating_count, rating_avg). Only visible reviews count:
// an author's delete and a moderator's hide both take a review out of the
// aggregate exactly once.
package review

import (
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/identity"
)

// Limits of a review.
const (
	MinRating  = 1
	MaxRating  = 5
	MaxTextLen = 2000 // characters, not bytes
)

// Status is where a review stands; only StatusVisible counts in ratings.
type Status string

const (
	StatusVisible Status = "visible"
	StatusHidden  Status = "hidden"  // by tourism staff; kept for the record
	StatusDeleted Status = "deleted" // by the author; frees the one-per-listing slot
)

// Review is one user's rating of one listing.
type Review struct {
	ID         uuid.UUID
	ListingID  uuid.UUID
	AuthorID   uuid.UUID
	AuthorName string
	Rating     int
	Text       string
	Status     Status
	CreatedAt  time.Time
}

// Draft is what a user may set when writing a review.
type Draft struct {
	Rating int
	Text   string
}

// problems returns field → problem for a draft that breaks the rules.
func (d Draft) problems() map[string]string {
	p := map[string]string{}
	if d.Rating < MinRating || d.Rating > MaxRating {
		p["rating"] = "must be a whole number from 1 to 5"
	}
	if utf8.RuneCountInString(d.Text) > MaxTextLen {
		p["text"] = "must be at most 2000 characters"
	}
	return p
}

// Removal is what a DELETE by a given caller does to a review.
type Removal int

const (
	RemovalDenied  Removal = iota
	RemovalDeleted         // the author withdrew it
	RemovalHidden          // tourism staff or an admin hid it
)

// removalFor decides how who may remove r. The author's own delete wins even
// when the author is also staff: it is their text to withdraw.
func removalFor(who identity.Actor, r Review) Removal {
	switch {
	case who.Anonymous():
		return RemovalDenied
	case who.ID == r.AuthorID:
		return RemovalDeleted
	case who.IsStaffOf(identity.DeptTourism):
		return RemovalHidden
	default:
		return RemovalDenied
	}
}
