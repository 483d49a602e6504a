package review_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
)

var slugSeq atomic.Int64

type listing struct {
	ID   uuid.UUID
	Slug string
	Kind kind.Kind
}

// seedListing inserts a listing row directly, so these tests do not depend on
// the catalog's write endpoints.
func seedListing(t *testing.T, api *apitest.API, k kind.Kind, status string) listing {
	t.Helper()
	l := listing{ID: uuid.Must(uuid.NewV7()), Slug: fmt.Sprintf("tempat-%d", slugSeq.Add(1)), Kind: k}
	now := time.Now().UTC()
	var starts, ends any
	if k == kind.Event {
		starts, ends = now.Add(24*time.Hour), now.Add(48*time.Hour)
	}
	err := api.DB.Exec(`INSERT INTO listings (id, kind, slug, status, name_id, name_en, category, lat, lng,
		starts_at, ends_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, string(k), l.Slug, status, "Nama "+l.Slug, "Name "+l.Slug, "heritage", -7.5755, 110.8243,
		starts, ends, now, now).Error
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (l listing) path(suffix string) string {
	return "/api/v1/" + l.Kind.Plural() + "/" + l.ID.String() + suffix
}

type aggregate struct {
	Sum   int64
	Count int64
	Avg   float64
}

func ratingOf(t *testing.T, api *apitest.API, id uuid.UUID) aggregate {
	t.Helper()
	var a aggregate
	err := api.DB.Raw("SELECT rating_sum AS sum, rating_count AS count, rating_avg AS avg FROM listings WHERE id = ?", id).Scan(&a).Error
	if err != nil {
		t.Fatal(err)
	}
	return a
}
