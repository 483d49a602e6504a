package review_test

import (
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
)

type queuePage struct {
	Data []struct {
		reviewBody
		Listing struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
			Slug string `json:"slug"`
			Name string `json:"name"`
		} `json:"listing"`
	} `json:"data"`
	Meta struct {
		NextCursor *string `json:"next_cursor"`
	} `json:"meta"`
}

// The moderation queue holds the visible reviews of every listing, newest
// first, with their listing; hidden and deleted ones leave it; max_rating
// narrows it; its cursor yields each review once.
func TestReviewQueue(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	staff := api.Staff(identity.DeptTourism)
	keraton, timlo := api.Listing(kind.Attraction, "published"), api.Listing(kind.Culinary, "published")

	var r1, r2, r3, r4 reviewBody
	post(api, keraton, 5, "Megah.", api.User("a")).Expect(http.StatusCreated).JSON(&r1)
	post(api, timlo, 2, "Dingin.", api.User("a")).Expect(http.StatusCreated).JSON(&r2)
	post(api, keraton, 1, "Antre lama.", api.User("b")).Expect(http.StatusCreated).JSON(&r3)
	post(api, timlo, 4, "Enak.", api.User("b")).Expect(http.StatusCreated).JSON(&r4)
	api.Send(http.MethodDelete, "/api/v1/reviews/"+r1.ID.String(), nil, staff).Expect(http.StatusNoContent)
	// A listing back in draft keeps its reviews in the queue.
	if err := api.DB.Exec("UPDATE listings SET status = 'draft' WHERE id = ?", timlo.ID).Error; err != nil {
		t.Fatal(err)
	}

	var page queuePage
	api.Get("/api/v1/staff/reviews?lang=en", staff).Expect(http.StatusOK).JSON(&page)
	if len(page.Data) != 3 || page.Data[0].ID != r4.ID || page.Data[1].ID != r3.ID || page.Data[2].ID != r2.ID || page.Meta.NextCursor != nil {
		t.Fatalf("queue: %+v", page)
	}
	if l := page.Data[1].Listing; l.ID != keraton.ID.String() || l.Kind != "attraction" || l.Slug != keraton.Slug || l.Name != "Name "+keraton.Slug {
		t.Errorf("listing of a queued review: %+v", l)
	}
	if page.Data[0].Author.Name != "b" || page.Data[0].Rating != 4 || page.Data[0].Text != "Enak." {
		t.Errorf("queued review: %+v", page.Data[0].reviewBody)
	}

	api.Get("/api/v1/staff/reviews?max_rating=2", staff).Expect(http.StatusOK).JSON(&page)
	if len(page.Data) != 2 || page.Data[0].ID != r3.ID || page.Data[1].ID != r2.ID || page.Data[0].Listing.Name != "Nama "+keraton.Slug {
		t.Errorf("low ratings: %+v", page.Data)
	}

	var seen []string
	path := "/api/v1/staff/reviews?limit=1"
	for range 5 {
		var p queuePage
		api.Get(path, staff).Expect(http.StatusOK).JSON(&p)
		for _, r := range p.Data {
			seen = append(seen, r.ID.String())
		}
		if p.Meta.NextCursor == nil {
			break
		}
		path = "/api/v1/staff/reviews?limit=1&cursor=" + *p.Meta.NextCursor
	}
	if len(seen) != 3 || seen[0] != r4.ID.String() || seen[2] != r2.ID.String() {
		t.Errorf("paged: %v", seen)
	}

	for _, bad := range []string{"0", "6", "x"} {
		api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/staff/reviews?max_rating=" + bad, As: staff, Invalid: true}).
			ExpectProblem(http.StatusBadRequest, "bad_request")
	}
	api.Get("/api/v1/staff/reviews", apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Get("/api/v1/staff/reviews", api.User("c")).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Get("/api/v1/staff/reviews", api.Staff(identity.DeptRevenue)).ExpectProblem(http.StatusForbidden, "forbidden")
	api.Get("/api/v1/staff/reviews", api.Admin()).Expect(http.StatusOK)
}
