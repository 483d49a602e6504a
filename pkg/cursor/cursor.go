// Package cursor encodes pagination positions as opaque, signed strings.
// The signature lets a server reject a cursor a client edited instead of
// silently paging from a made-up position.
package cursor

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
)

// ErrInvalid is returned for any cursor that was not issued by this Codec.
var ErrInvalid = errors.New("invalid cursor")

// Codec signs and verifies cursors with one key.
type Codec struct{ key []byte }

// New returns a Codec using key (any length; 32 random bytes recommended).
func New(key []byte) Codec { return Codec{key: append([]byte("cursor:"), key...)} }

// Encode returns the opaque form of v (any JSON-encodable position).
func (c Codec) Encode(v any) (string, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return b64(payload) + "." + b64(c.sign(payload)), nil
}

// Decode verifies s and unmarshals its position into v.
func (c Codec) Decode(s string, v any) error {
	p, sig, ok := strings.Cut(s, ".")
	if !ok {
		return ErrInvalid
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, c.sign(payload)) {
		return ErrInvalid
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return ErrInvalid
	}
	return nil
}

func (c Codec) sign(payload []byte) []byte {
	h := hmac.New(sha256.New, c.key)
	h.Write(payload)
	return h.Sum(nil)[:16]
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// scoped is what a scoped cursor carries: the position and the scope it was
// issued for.
type scoped struct {
	Scope string          `json:"q"`
	Pos   json.RawMessage `json:"p"`
}

// EncodeScoped returns the opaque form of position v bound to scope, a
// fingerprint of the query it pages (see Fingerprint).
func (c Codec) EncodeScoped(scope string, v any) (string, error) {
	pos, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return c.Encode(scoped{Scope: scope, Pos: pos})
}

// DecodeScoped verifies s, checks that it was issued for scope, and
// unmarshals its position into v. A cursor of another scope is ErrInvalid,
// so a client cannot replay a position against other filters.
func (c Codec) DecodeScoped(s, scope string, v any) error {
	var sc scoped
	if err := c.Decode(s, &sc); err != nil || sc.Scope != scope {
		return ErrInvalid
	}
	if err := json.Unmarshal(sc.Pos, v); err != nil {
		return ErrInvalid
	}
	return nil
}

// Fingerprint names a query compactly from the parts that decide which items
// a page holds and in which order. The cursor carrying it is signed, so it
// only has to tell queries apart, not resist forgery.
func Fingerprint(parts ...string) string {
	h := fnv.New128a()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return b64(h.Sum(nil))
}

// Cut trims a page fetched with limit+1 rows to limit and says whether more
// follow: the usual way a store answers "is there a next page".
func Cut[T any](items []T, limit int) ([]T, bool) {
	if len(items) > limit {
		return items[:limit], true
	}
	return items, false
}
