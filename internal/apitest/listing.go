package apitest

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
)

var slugSeq atomic.Int64

// Listing is a catalog listing a test inserted.
type Listing struct {
	ID   uuid.UUID
	Slug string
	Kind kind.Kind
}

// Path is the listing's API path followed by suffix.
func (l Listing) Path(suffix string) string {
	return "/api/v1/" + l.Kind.Plural() + "/" + l.ID.String() + suffix
}

// Listing inserts a listing row with the given status directly, so tests of
// reviews, favourites and images do not depend on the catalog's write API.
func (a *API) Listing(k kind.Kind, status string) Listing {
	a.T.Helper()
	l := Listing{ID: uuid.Must(uuid.NewV7()), Slug: fmt.Sprintf("tempat-%d", slugSeq.Add(1)), Kind: k}
	now := time.Now().UTC()
	var starts, ends any
	if k == kind.Event {
		starts, ends = now.Add(24*time.Hour), now.Add(48*time.Hour)
	}
	err := a.DB.Exec(`INSERT INTO listings (id, kind, slug, status, name_id, name_en, category, lat, lng,
		starts_at, ends_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, string(k), l.Slug, status, "Nama "+l.Slug, "Name "+l.Slug, "heritage", -7.5755, 110.8243,
		starts, ends, now, now).Error
	if err != nil {
		a.T.Fatal(err)
	}
	return l
}
