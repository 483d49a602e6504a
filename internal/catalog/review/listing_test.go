package review_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
)

type listing = apitest.Listing

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
