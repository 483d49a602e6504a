package plan_test

import (
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

type listing = apitest.Listing

func favorite(l listing) string {
	return "/api/v1/me/favorites/" + l.Kind.Plural() + "/" + l.ID.String()
}

func setStatus(t *testing.T, api *apitest.API, l listing, status string) {
	t.Helper()
	if err := api.DB.Exec("UPDATE listings SET status = ? WHERE id = ?", status, l.ID).Error; err != nil {
		t.Fatal(err)
	}
}
