package transport

import "github.com/solodestination/api/internal/identity"

// canSeeBooking: a booking is its owner's alone; to anyone else it does not
// exist (404, not 403).
func canSeeBooking(who identity.Actor, b Booking) bool { return b.UserID == who.ID }
