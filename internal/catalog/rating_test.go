package catalog_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
)

// The response cache is purged after a rating change commits, never for one
// that rolls back: a rolled-back change leaves cached reads (and the stored
// rating) as they were, a committed one shows at once.
func TestRatingChangePurgesCacheOnlyAfterCommit(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := create(t, api, tourismStaff(api), "attractions", body("attractions", "Museum Purge"))
	id := uuid.MustParse(l.ID)
	path := "/api/v1/attractions/" + l.ID
	read := func() (listing, int) {
		api.DB.Queries.Reset()
		var got listing
		api.Get(path, apitest.Anonymous).Expect(http.StatusOK).JSON(&got)
		return got, int(api.DB.Queries.Count())
	}
	read()
	read() // asked twice: now cached

	ctx := context.Background()
	boom := errors.New("boom")
	err := api.App.DB.InTx(ctx, func(tx *gorm.DB) error {
		if _, err := api.App.Catalog.AddRating(ctx, tx, id, 5); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if got, queries := read(); queries != 0 || got.Rating.Count != 0 {
		t.Fatalf("after a rollback: %d queries, rating %+v; want the cached, unchanged listing", queries, got.Rating)
	}

	err = api.App.DB.InTx(ctx, func(tx *gorm.DB) error {
		ok, err := api.App.Catalog.AddRating(ctx, tx, id, 5)
		if err == nil && !ok {
			err = errors.New("listing not published")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, queries := read(); queries == 0 || got.Rating.Count != 1 || got.Rating.Average != 5 {
		t.Fatalf("after a commit: %d queries, rating %+v; want a fresh read with the new rating", queries, got.Rating)
	}
}
