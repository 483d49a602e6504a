package image_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/testdb"
)

type orderBody struct {
	IDs []uuid.UUID `json:"ids"`
}

type imageListBody struct {
	Data []imageBody `json:"data"`
}

// publicIDs is the image ids of a published listing as an anonymous visitor
// sees them, in order.
func publicIDs(api *apitest.API, l listing) []uuid.UUID {
	api.T.Helper()
	var got struct {
		Images []struct {
			ID  uuid.UUID `json:"id"`
			URL string    `json:"url"`
		} `json:"images"`
	}
	api.Get(l.Path(""), apitest.Anonymous).Expect(http.StatusOK).JSON(&got)
	ids := make([]uuid.UUID, len(got.Images))
	for i, im := range got.Images {
		if im.URL == "" {
			api.T.Fatalf("image %s without url", im.ID)
		}
		ids[i] = im.ID
	}
	return ids
}

// storedIDs is the listing's image ids in display order, read from the database.
func storedIDs(api *apitest.API, l listing) []uuid.UUID {
	api.T.Helper()
	var rows []struct {
		ID       uuid.UUID
		Position int
	}
	api.DB.Raw("SELECT id, position FROM listing_images WHERE listing_id = ? ORDER BY position, id", l.ID).Scan(&rows)
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

func uploadN(t *testing.T, api *apitest.API, l listing, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range n {
		var im imageBody
		upload(api, l, api.Admin(), file("a.png", "image/png", pngBytes(t)),
			part{field: "caption", data: []byte(fmt.Sprintf("foto %d", i))}).Expect(http.StatusCreated).JSON(&im)
		ids[i] = im.ID
	}
	return ids
}

func reorder(api *apitest.API, l listing, ids []uuid.UUID, as apitest.Actor) *apitest.Response {
	api.T.Helper()
	return api.Send(http.MethodPut, l.Path("/images/order"), orderBody{IDs: ids}, as)
}

func TestReorder(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	ids := uploadN(t, api, l, 3)

	// The public listing shows the images with their ids, in upload order;
	// asking twice fills the response cache.
	publicIDs(api, l)
	if got := publicIDs(api, l); !slices.Equal(got, ids) {
		t.Fatalf("public order %v, want %v", got, ids)
	}

	staff := api.Staff(identity.DeptTourism)
	want := []uuid.UUID{ids[2], ids[0], ids[1]}
	var out imageListBody
	reorder(api, l, want, staff).Expect(http.StatusOK).JSON(&out)
	if len(out.Data) != 3 {
		t.Fatalf("answered %+v", out)
	}
	for i, im := range out.Data {
		if im.ID != want[i] || im.Position != i || im.ListingID != l.ID || im.URL == "" {
			t.Fatalf("image %d: %+v", i, im)
		}
	}
	if out.Data[0].Caption != "foto 2" {
		t.Fatalf("caption %q", out.Data[0].Caption)
	}
	// The cached public response is gone: the new order shows at once.
	if got := publicIDs(api, l); !slices.Equal(got, want) {
		t.Fatalf("public order after reorder %v, want %v", got, want)
	}
	var audits int64
	api.DB.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'listing_image.reorder' AND entity_id = ? AND actor_id = ?",
		l.ID.String(), staff.ID).Scan(&audits)
	if audits != 1 {
		t.Fatalf("%d audit entries for the reorder", audits)
	}

	// Admins may reorder too, by slug; an upload goes after the others.
	want = []uuid.UUID{ids[1], ids[2], ids[0]}
	api.Send(http.MethodPut, "/api/v1/attractions/"+l.Slug+"/images/order", orderBody{IDs: want}, api.Admin()).Expect(http.StatusOK)
	added := uploadN(t, api, l, 1)[0]
	want = append(want, added)
	if got := publicIDs(api, l); !slices.Equal(got, want) {
		t.Fatalf("public order %v, want %v", got, want)
	}
}

func TestReorderAccess(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Culinary, "draft")
	ids := uploadN(t, api, l, 2)
	swapped := []uuid.UUID{ids[1], ids[0]}
	reorder(api, l, swapped, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	reorder(api, l, swapped, api.User("sari")).ExpectProblem(http.StatusForbidden, "forbidden")
	reorder(api, l, swapped, api.Staff(identity.DeptTransport)).ExpectProblem(http.StatusForbidden, "forbidden")
	if got := storedIDs(api, l); !slices.Equal(got, ids) {
		t.Fatalf("order changed by a refused request: %v", got)
	}
	// Another kind's path, or an unknown listing, is missing.
	staff := api.Staff(identity.DeptTourism)
	api.Send(http.MethodPut, "/api/v1/events/"+l.ID.String()+"/images/order", orderBody{IDs: swapped}, staff).
		ExpectProblem(http.StatusNotFound, "not_found")
	reorder(api, listing{Kind: kind.Culinary, ID: uuid.Must(uuid.NewV7())}, swapped, staff).
		ExpectProblem(http.StatusNotFound, "not_found")
	// Drafts are reordered like published listings.
	reorder(api, l, swapped, staff).Expect(http.StatusOK)
	if got := storedIDs(api, l); !slices.Equal(got, swapped) {
		t.Fatalf("order %v, want %v", got, swapped)
	}
}

func TestReorderRejects(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Event, "published")
	other := api.Listing(kind.Event, "published")
	ids := uploadN(t, api, l, 3)
	foreign := uploadN(t, api, other, 1)[0]
	staff := api.Staff(identity.DeptTourism)
	for name, bad := range map[string][]uuid.UUID{
		"missing":   {ids[2], ids[0]},
		"duplicate": {ids[2], ids[0], ids[0]},
		"repeated":  {ids[2], ids[0], ids[1], ids[1]},
		"foreign":   {ids[2], ids[0], foreign},
		"extra":     {ids[2], ids[0], ids[1], foreign},
		"unknown":   {ids[2], ids[0], uuid.Must(uuid.NewV7())},
		"empty":     {},
	} {
		p := reorder(api, l, bad, staff).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "ids" {
			t.Errorf("%s: errors %+v", name, p.Errors)
		}
	}
	// Malformed bodies are 400 or 422, never a change.
	for body, invalid := range map[string]bool{`{"ids": ["not-a-uuid"]}`: true, `{"ids": null}`: true, `{}`: true, `{"ids": "x"}`: true, `[]`: true} {
		resp := api.Do(apitest.Req{Method: http.MethodPut, Path: l.Path("/images/order"), RawBody: []byte(body), As: staff, Invalid: invalid})
		if resp.Code != http.StatusBadRequest && resp.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", body, resp.Code)
		}
	}
	if got := storedIDs(api, l); !slices.Equal(got, ids) {
		t.Fatalf("order changed by refused requests: %v", got)
	}
	var audits int64
	api.DB.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'listing_image.reorder'").Scan(&audits)
	if audits != 0 {
		t.Fatalf("%d audit entries for refused reorders", audits)
	}
	// A listing without images takes the empty order.
	var out imageListBody
	reorder(api, api.Listing(kind.Event, "published"), []uuid.UUID{}, staff).Expect(http.StatusOK).JSON(&out)
	if len(out.Data) != 0 {
		t.Fatalf("answered %+v", out)
	}
}

// Concurrent reorders of one listing never mix: the final order is one of
// those submitted, whole.
func TestConcurrentReorders(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	ids := uploadN(t, api, l, 6)
	n := 8
	if !testdb.IsPostgres() {
		n = 4
	}
	orders := make([][]uuid.UUID, n)
	for i := range n {
		o := slices.Clone(ids)
		// Each order is a different rotation, reversed every other time.
		o = append(o[i%len(o):], o[:i%len(o)]...)
		if i%2 == 1 {
			slices.Reverse(o)
		}
		orders[i] = o
	}
	staff := api.Staff(identity.DeptTourism)
	codes := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			codes[i] = reorder(api, l, orders[i], staff).Code
		})
	}
	close(start)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("request %d: status %d", i, c)
		}
	}
	got := storedIDs(api, l)
	if !slices.ContainsFunc(orders, func(o []uuid.UUID) bool { return slices.Equal(o, got) }) {
		t.Fatalf("final order %v is none of the submitted orders", got)
	}
	var positions []int
	api.DB.Raw("SELECT position FROM listing_images WHERE listing_id = ? ORDER BY position", l.ID).Scan(&positions)
	if !slices.Equal(positions, []int{0, 1, 2, 3, 4, 5}) {
		t.Fatalf("positions %v", positions)
	}
	if pub := publicIDs(api, l); !slices.Equal(pub, got) {
		t.Fatalf("public order %v, stored %v", pub, got)
	}
}
