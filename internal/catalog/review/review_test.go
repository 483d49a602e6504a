package review_test

import (
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
)

type reviewBody struct {
	ID        uuid.UUID `json:"id"`
	ListingID uuid.UUID `json:"listing_id"`
	Rating    int       `json:"rating"`
	Text      string    `json:"text"`
	Author    struct {
		ID   uuid.UUID `json:"id"`
		Name string    `json:"name"`
	} `json:"author"`
	CreatedAt string `json:"created_at"`
}

type reviewPage struct {
	Data []reviewBody `json:"data"`
	Meta struct {
		Limit      int     `json:"limit"`
		NextCursor *string `json:"next_cursor"`
	} `json:"meta"`
}

func post(api *apitest.API, l listing, rating any, text string, as apitest.Actor) *apitest.Response {
	return api.Send(http.MethodPost, l.Path("/reviews"), map[string]any{"rating": rating, "text": text}, as)
}

func TestCreateReview(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	sari := api.User("sari")

	var got reviewBody
	api.Send(http.MethodPost, l.Path("/reviews"), map[string]any{
		"rating": 4, "text": "  Megah dan bersih.  ",
		// Fields a caller may not set are ignored.
		"id": uuid.New(), "status": "hidden", "author": map[string]any{"id": uuid.New()}, "created_at": "2001-01-01T00:00:00Z",
	}, sari).Expect(http.StatusCreated).JSON(&got)
	if got.Rating != 4 || got.Text != "Megah dan bersih." || got.ListingID != l.ID {
		t.Fatalf("review = %+v", got)
	}
	if got.Author.ID != sari.ID || got.Author.Name != "sari" || strings.HasPrefix(got.CreatedAt, "2001") {
		t.Fatalf("author or created_at taken from the body: %+v", got)
	}
	if a := ratingOf(t, api, l.ID); a.Sum != 4 || a.Count != 1 || a.Avg != 4 {
		t.Fatalf("aggregate = %+v", a)
	}

	var page reviewPage
	resp := api.Get(l.Path("/reviews"), apitest.Anonymous).Expect(http.StatusOK)
	resp.JSON(&page)
	if len(page.Data) != 1 || page.Data[0].ID != got.ID || page.Data[0].Author.Name != "sari" {
		t.Fatalf("list = %+v", page)
	}
	if strings.Contains(string(resp.Body), "@example.org") || strings.Contains(string(resp.Body), "email") {
		t.Fatalf("the list leaks the author's email: %s", resp.Body)
	}
	// The slug works as well as the id.
	api.Get("/api/v1/attractions/"+l.Slug+"/reviews", apitest.Anonymous).Expect(http.StatusOK)

	// A second review by the same user is a conflict and changes nothing.
	post(api, l, 1, "", sari).ExpectProblem(http.StatusConflict, "conflict")
	bob := api.User("bob")
	post(api, l, 1, "", bob).Expect(http.StatusCreated)
	if a := ratingOf(t, api, l.ID); a.Sum != 5 || a.Count != 2 || a.Avg != 2.5 {
		t.Fatalf("aggregate = %+v", a)
	}
}

func TestCreateReviewRejects(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Culinary, "published")
	draft := api.Listing(kind.Culinary, "draft")
	archived := api.Listing(kind.Culinary, "archived")
	u := api.User("sari")

	for _, r := range []int{0, 6, -1} {
		p := post(api, l, r, "", u).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "rating" {
			t.Fatalf("rating %d: %+v", r, p.Errors)
		}
	}
	post(api, l, 4.5, "", u).ExpectProblem(http.StatusBadRequest, "bad_request")
	post(api, l, "5", "", u).ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Send(http.MethodPost, l.Path("/reviews"), map[string]any{"text": "no rating"}, u).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	post(api, l, 5, strings.Repeat("é", 2001), u).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	post(api, l, 5, strings.Repeat("é", 2000), u).Expect(http.StatusCreated)

	post(api, l, 5, "", apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	for _, hidden := range []listing{draft, archived} {
		post(api, hidden, 5, "", u).ExpectProblem(http.StatusNotFound, "not_found")
		api.Get(hidden.Path("/reviews"), apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	}
	unknown := listing{ID: uuid.Must(uuid.NewV7()), Kind: kind.Culinary}
	post(api, unknown, 5, "", u).ExpectProblem(http.StatusNotFound, "not_found")
	// The listing exists, but under another kind.
	api.Get("/api/v1/events/"+l.ID.String()+"/reviews", apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")

	if a := ratingOf(t, api, l.ID); a.Sum != 5 || a.Count != 1 {
		t.Fatalf("rejected reviews changed the aggregate: %+v", a)
	}
	for _, hidden := range []listing{draft, archived} {
		if a := ratingOf(t, api, hidden.ID); a.Count != 0 {
			t.Fatalf("unpublished listing got a rating: %+v", a)
		}
	}
}

func TestDeleteAndHideReview(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Event, "published")
	author, other := api.User("author"), api.User("other")
	tourism, transport, admin := api.Staff(identity.DeptTourism), api.Staff(identity.DeptTransport), api.Admin()

	var mine, theirs, third reviewBody
	post(api, l, 5, "", author).Expect(http.StatusCreated).JSON(&mine)
	post(api, l, 2, "", other).Expect(http.StatusCreated).JSON(&theirs)
	post(api, l, 3, "", transport).Expect(http.StatusCreated).JSON(&third)
	del := func(id uuid.UUID, as apitest.Actor) *apitest.Response {
		return api.Do(apitest.Req{Method: http.MethodDelete, Path: "/api/v1/reviews/" + id.String(), As: as})
	}

	del(mine.ID, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	del(mine.ID, other).ExpectProblem(http.StatusForbidden, "forbidden")
	del(mine.ID, transport).ExpectProblem(http.StatusForbidden, "forbidden")
	del(uuid.Must(uuid.NewV7()), author).ExpectProblem(http.StatusNotFound, "not_found")
	if a := ratingOf(t, api, l.ID); a.Sum != 10 || a.Count != 3 {
		t.Fatalf("refused deletes changed the aggregate: %+v", a)
	}

	// The author deletes: gone from the list and the aggregate, and they may review again.
	del(mine.ID, author).Expect(http.StatusNoContent)
	del(mine.ID, author).ExpectProblem(http.StatusNotFound, "not_found")
	if a := ratingOf(t, api, l.ID); a.Sum != 5 || a.Count != 2 || a.Avg != 2.5 {
		t.Fatalf("after delete: %+v", a)
	}
	post(api, l, 4, "", author).Expect(http.StatusCreated)

	// Tourism staff hide: out of the list and the aggregate, idempotently, audited.
	del(theirs.ID, tourism).Expect(http.StatusNoContent)
	del(theirs.ID, tourism).Expect(http.StatusNoContent)
	if a := ratingOf(t, api, l.ID); a.Sum != 7 || a.Count != 2 || a.Avg != 3.5 {
		t.Fatalf("after hide: %+v", a)
	}
	var page reviewPage
	api.Get(l.Path("/reviews"), apitest.Anonymous).Expect(http.StatusOK).JSON(&page)
	for _, r := range page.Data {
		if r.ID == mine.ID || r.ID == theirs.ID {
			t.Fatalf("removed review %s still listed", r.ID)
		}
	}
	if len(page.Data) != 2 {
		t.Fatalf("want 2 visible reviews, got %d", len(page.Data))
	}
	// A hidden review still holds its author's slot.
	post(api, l, 5, "", other).ExpectProblem(http.StatusConflict, "conflict")

	// Admins hide too.
	del(third.ID, admin).Expect(http.StatusNoContent)
	if a := ratingOf(t, api, l.ID); a.Sum != 4 || a.Count != 1 || a.Avg != 4 {
		t.Fatalf("after admin hide: %+v", a)
	}

	var audits int64
	api.DB.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'review.hide' AND entity_id IN (?, ?)",
		theirs.ID.String(), third.ID.String()).Scan(&audits)
	if audits != 2 {
		t.Fatalf("want one audit entry per hide, got %d", audits)
	}
}

func TestListReviewsPagesNewestFirst(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	other := api.Listing(kind.Attraction, "published")
	var want []uuid.UUID
	for i := range 5 {
		var r reviewBody
		post(api, l, i%5+1, "", api.User("u")).Expect(http.StatusCreated).JSON(&r)
		want = append([]uuid.UUID{r.ID}, want...)
	}

	var got []uuid.UUID
	path := l.Path("/reviews?limit=2")
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		var page reviewPage
		api.Get(path, apitest.Anonymous).Expect(http.StatusOK).JSON(&page)
		if page.Meta.Limit != 2 || len(page.Data) > 2 {
			t.Fatalf("page = %+v", page)
		}
		for _, r := range page.Data {
			got = append(got, r.ID)
		}
		if page.Meta.NextCursor == nil {
			break
		}
		// A cursor of this listing is refused on another one.
		api.Get(other.Path("/reviews?cursor="+*page.Meta.NextCursor), apitest.Anonymous).
			ExpectProblem(http.StatusBadRequest, "bad_request")
		path = l.Path("/reviews?limit=2&cursor=" + *page.Meta.NextCursor)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d reviews, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order: got %v, want %v", got, want)
		}
	}
	api.Get(l.Path("/reviews?cursor=forged.cursor"), apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Get(l.Path("/reviews?limit=101"), apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")

	// Conditional GET: same list, 304; after a change, a new ETag.
	first := api.Get(l.Path("/reviews"), apitest.Anonymous).Expect(http.StatusOK)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	api.Do(apitest.Req{Method: http.MethodGet, Path: l.Path("/reviews"), Header: map[string]string{"If-None-Match": etag}}).
		Expect(http.StatusNotModified)
	post(api, l, 5, "", api.User("late")).Expect(http.StatusCreated)
	api.Do(apitest.Req{Method: http.MethodGet, Path: l.Path("/reviews"), Header: map[string]string{"If-None-Match": etag}}).
		Expect(http.StatusOK)
}

// Forty users review one listing at the same moment: none of the increments
// may be lost.
func TestConcurrentReviewsKeepAggregateExact(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	const n = 40
	users := make([]apitest.Actor, n)
	for i := range users {
		users[i] = api.User("crowd")
	}
	codes := make([]int, n)
	var wantSum int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		rating := i%5 + 1
		wantSum += int64(rating)
		wg.Go(func() {
			<-start
			codes[i] = post(api, l, rating, "", users[i]).Code
		})
	}
	close(start)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusCreated {
			t.Fatalf("request %d: status %d", i, c)
		}
	}
	a := ratingOf(t, api, l.ID)
	if a.Count != n || a.Sum != wantSum || math.Abs(a.Avg-float64(wantSum)/n) > 1e-9 {
		t.Fatalf("aggregate = %+v, want count %d sum %d", a, n, wantSum)
	}
	var rows int64
	api.DB.Raw("SELECT COUNT(*) FROM reviews WHERE listing_id = ?", l.ID).Scan(&rows)
	if rows != n {
		t.Fatalf("%d review rows, want %d", rows, n)
	}
}

// One user posting ten times at once gets exactly one review.
func TestConcurrentDuplicateReviews(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Culinary, "published")
	u := api.User("eager")
	const n = 10
	codes := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			codes[i] = post(api, l, 3, "", u).Code
		})
	}
	close(start)
	wg.Wait()
	created, conflicts := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			conflicts++
		default:
			t.Fatalf("unexpected status %d", c)
		}
	}
	if created != 1 || conflicts != n-1 {
		t.Fatalf("%d created, %d conflicts; want 1 and %d", created, conflicts, n-1)
	}
	if a := ratingOf(t, api, l.ID); a.Count != 1 || a.Sum != 3 {
		t.Fatalf("aggregate = %+v", a)
	}
}

// The author deleting and staff hiding the same review at once take it out
// of the aggregate once, not twice.
func TestConcurrentRemovalSubtractsOnce(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	author, keeper := api.User("author"), api.User("keeper")
	post(api, l, 4, "", keeper).Expect(http.StatusCreated)
	tourism, admin := api.Staff(identity.DeptTourism), api.Staff(identity.DeptTourism)
	var r reviewBody
	post(api, l, 2, "", author).Expect(http.StatusCreated).JSON(&r)

	actors := []apitest.Actor{author, tourism, admin, author, tourism, admin}
	codes := make([]int, len(actors))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, as := range actors {
		wg.Go(func() {
			<-start
			codes[i] = api.Do(apitest.Req{Method: http.MethodDelete, Path: "/api/v1/reviews/" + r.ID.String(), As: as}).Code
		})
	}
	close(start)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusNoContent && c != http.StatusNotFound {
			t.Fatalf("request %d: status %d", i, c)
		}
	}
	if a := ratingOf(t, api, l.ID); a.Count != 1 || a.Sum != 4 || a.Avg != 4 {
		t.Fatalf("aggregate = %+v, want only the other review", a)
	}
}

// Moderation cannot be undone by its subject: after tourism staff hide a
// review, its author's delete leaves it hidden and keeps their one slot, so
// posting again is a conflict and the listing's rating does not count it.
func TestHiddenReviewStaysHiddenAfterAuthorDeletes(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	author, tourism := api.User("author"), api.Staff(identity.DeptTourism)

	var r reviewBody
	post(api, l, 1, "spam", author).Expect(http.StatusCreated).JSON(&r)
	del := func(as apitest.Actor) *apitest.Response {
		return api.Do(apitest.Req{Method: http.MethodDelete, Path: "/api/v1/reviews/" + r.ID.String(), As: as})
	}
	del(tourism).Expect(http.StatusNoContent)

	del(author).Expect(http.StatusNoContent)
	post(api, l, 1, "spam again", author).ExpectProblem(http.StatusConflict, "conflict")

	if a := ratingOf(t, api, l.ID); a.Count != 0 || a.Sum != 0 {
		t.Fatalf("the hidden review is counted again: %+v", a)
	}
	var page reviewPage
	api.Get(l.Path("/reviews"), apitest.Anonymous).Expect(http.StatusOK).JSON(&page)
	if len(page.Data) != 0 {
		t.Fatalf("a hidden review is listed: %+v", page.Data)
	}
	var status string
	api.DB.Raw("SELECT status FROM reviews WHERE id = ?", r.ID).Scan(&status)
	if status != "hidden" {
		t.Fatalf("review status = %q, want hidden", status)
	}
}
