package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token settings. The issuer and audience are checked on every request.
const (
	Issuer          = "solo-destination"
	Audience        = "solo-destination-api"
	AccessTokenTTL  = 15 * time.Minute
	RefreshTokenTTL = 30 * 24 * time.Hour
	// DefaultFamilyMaxAge is how long one login lasts, however often its
	// refresh token is rotated (REFRESH_FAMILY_MAX_AGE).
	DefaultFamilyMaxAge = 90 * 24 * time.Hour
)

type accessClaims struct {
	Role       Role       `json:"role"`
	Department Department `json:"department,omitempty"`
	jwt.RegisteredClaims
}

type tokenSigner struct {
	key []byte
	now func() time.Time
}

func (s tokenSigner) issue(u user) (string, error) {
	now := s.now()
	claims := accessClaims{
		Role:       u.Role,
		Department: u.Department,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   u.ID.String(),
			Issuer:    Issuer,
			Audience:  jwt.ClaimStrings{Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTokenTTL)),
			ID:        uuid.Must(uuid.NewV7()).String(),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.key)
}

// parse verifies signature (HS256 only: "none" and every other algorithm are
// refused), issuer, audience and expiry, and returns the subject.
func (s tokenSigner) parse(raw string) (uuid.UUID, error) {
	var claims accessClaims
	_, err := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(5*time.Second),
		jwt.WithTimeFunc(s.now),
	)
	if err != nil {
		return uuid.Nil, err
	}
	id, err := uuid.Parse(claims.Subject)
	if err != nil {
		return uuid.Nil, errors.New("token subject is not a user id")
	}
	return id, nil
}

// newRefreshToken returns a random opaque token and the hash that is stored;
// the token itself is never written anywhere.
func newRefreshToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashRefreshToken(token)
}

func hashRefreshToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
