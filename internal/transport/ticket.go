package transport

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// TicketPrefix starts every ticket; it names the format and its version, so
// a verifier refuses what it does not know.
const TicketPrefix = "SD1"

// TicketAlg is the signature algorithm of tickets, as JOSE names it.
const TicketAlg = "EdDSA"

// TicketClaims is what a ticket says, and all it says: no full name, no
// account, only what a conductor needs to let the right riders on.
type TicketClaims struct {
	KeyID     string    `json:"kid"`  // which published key signed it
	Code      string    `json:"code"` // the booking code
	TripID    uuid.UUID `json:"trip"`
	DepartsAt int64     `json:"dep"` // Unix seconds
	Seats     int       `json:"seats"`
	Initials  string    `json:"ini"` // of the passenger name, e.g. "SW"
}

// Departs is the departure time of the claims, in Asia/Jakarta.
func (c TicketClaims) Departs() time.Time { return time.Unix(c.DepartsAt, 0).In(wib) }

// TicketSigner signs tickets with an Ed25519 key; anyone holding the public
// key verifies them, offline.
type TicketSigner struct {
	key ed25519.PrivateKey
	kid string
}

// NewTicketSigner returns a signer from a 32-byte Ed25519 seed.
func NewTicketSigner(seed []byte) (*TicketSigner, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("ticket signing key: %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	key := ed25519.NewKeyFromSeed(seed)
	sum := sha256.Sum256(key.Public().(ed25519.PublicKey))
	return &TicketSigner{key: key, kid: b64.EncodeToString(sum[:8])}, nil
}

// ephemeralTicketSigner serves until a configured key is set: tickets it
// signs do not survive a restart.
func ephemeralTicketSigner() *TicketSigner {
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	s, _ := NewTicketSigner(seed)
	return s
}

var b64 = base64.RawURLEncoding

// KeyID names the public key (base64url of the first 8 bytes of its SHA-256).
func (s *TicketSigner) KeyID() string { return s.kid }

// PublicKey is the 32-byte Ed25519 public key that verifies tickets.
func (s *TicketSigner) PublicKey() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// Sign returns the ticket of a booking: SD1.<base64url(JSON claims)>.<base64url(signature)>,
// the signature over the bytes before the last dot.
func (s *TicketSigner) Sign(b Booking) string {
	claims := TicketClaims{KeyID: s.kid, Code: b.Code, TripID: b.TripID, DepartsAt: b.Trip.DepartsAt.Unix(),
		Seats: b.Seats, Initials: initials(b.PassengerName)}
	payload, _ := json.Marshal(claims) // plain fields: cannot fail
	signed := TicketPrefix + "." + b64.EncodeToString(payload)
	return signed + "." + b64.EncodeToString(ed25519.Sign(s.key, []byte(signed)))
}

// errBadTicket is every way a ticket can fail: a verifier says no more.
var errBadTicket = errors.New("ticket is not one this service signed")

// MaxTicketLen bounds a ticket on input; real ones are about 250 bytes.
const MaxTicketLen = 1024

// Verify checks a ticket's signature with pub and returns its claims.
// It is what a conductor's app does offline, written in Go.
func VerifyTicket(pub ed25519.PublicKey, ticket string) (TicketClaims, error) {
	if len(ticket) > MaxTicketLen {
		return TicketClaims{}, errBadTicket
	}
	parts := strings.Split(ticket, ".")
	if len(parts) != 3 || parts[0] != TicketPrefix {
		return TicketClaims{}, errBadTicket
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
		return TicketClaims{}, errBadTicket
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return TicketClaims{}, errBadTicket
	}
	var c TicketClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return TicketClaims{}, errBadTicket
	}
	return c, nil
}

// Verify checks a ticket against this signer's own key.
func (s *TicketSigner) Verify(ticket string) (TicketClaims, error) {
	return VerifyTicket(s.PublicKey(), ticket)
}

// initials keeps the first letter of at most three words of a name, so a
// conductor can match a face to a ticket without the ticket carrying the name.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			if unicode.IsLetter(r) {
				out = append(out, unicode.ToUpper(r))
				break
			}
		}
		if len(out) == 3 {
			break
		}
	}
	return string(out)
}
