package review_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
)

type waiting struct {
	Since  time.Time `json:"since"`
	Total  int       `json:"total"`
	Low    int       `json:"low_rated"`
	ByKind []struct {
		Kind  string `json:"kind"`
		Count int    `json:"count"`
	} `json:"by_kind"`
}

// New reviews are the visible ones of the last seven days, counted per kind:
// hidden, deleted and older reviews are not waiting.
func TestReviewsWaitingSummary(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := api.Staff(identity.DeptTourism)
	path := "/api/v1/staff/summary/tourism"

	var got waiting
	api.Get(path, staff).Expect(http.StatusOK).JSON(&got)
	if got.Total != 0 || len(got.ByKind) != 3 || got.ByKind[0].Kind != "attraction" || got.ByKind[0].Count != 0 {
		t.Fatalf("nothing yet: %+v", got)
	}

	keraton, timlo := api.Listing(kind.Attraction, "published"), api.Listing(kind.Culinary, "published")
	var hidden, old reviewBody
	post(api, keraton, 5, "Megah.", api.User("a")).Expect(http.StatusCreated)
	post(api, keraton, 1, "Antre lama.", api.User("b")).Expect(http.StatusCreated)
	post(api, keraton, 2, "Panas.", api.User("c")).Expect(http.StatusCreated).JSON(&hidden)
	post(api, timlo, 4, "Enak.", api.User("a")).Expect(http.StatusCreated)
	post(api, timlo, 1, "Dingin.", api.User("b")).Expect(http.StatusCreated).JSON(&old)
	deleted := api.User("d")
	var mine reviewBody
	post(api, timlo, 2, "Hmm.", deleted).Expect(http.StatusCreated).JSON(&mine)
	api.Send(http.MethodDelete, "/api/v1/reviews/"+hidden.ID.String(), nil, staff).Expect(http.StatusNoContent)
	api.Send(http.MethodDelete, "/api/v1/reviews/"+mine.ID.String(), nil, deleted).Expect(http.StatusNoContent)
	if err := api.DB.Exec("UPDATE reviews SET created_at = ? WHERE id = ?", time.Now().UTC().Add(-8*24*time.Hour), old.ID).Error; err != nil {
		t.Fatal(err)
	}

	api.Get(path, staff).Expect(http.StatusOK).JSON(&got)
	counts := map[string]int{}
	for _, k := range got.ByKind {
		counts[k.Kind] = k.Count
	}
	if got.Total != 3 || got.Low != 1 || counts["attraction"] != 2 || counts["culinary"] != 1 || counts["event"] != 0 {
		t.Errorf("waiting: %+v", got)
	}
	if d := time.Since(got.Since); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
		t.Errorf("since %v", got.Since)
	}

	api.Get(path, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Get(path, api.User("e")).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Get(path, api.Staff(identity.DeptTransport)).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Get(path, api.Admin()).Expect(http.StatusOK)
}
