package plan_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
)

type itineraryBody struct {
	ID        uuid.UUID `json:"id"`
	Name      string    `json:"name"`
	StartDate *string   `json:"start_date"`
	Items     []struct {
		Position  int    `json:"position"`
		Kind      string `json:"kind"`
		ID        string `json:"id"`
		Slug      string `json:"slug"`
		Name      string `json:"name"`
		Day       int    `json:"day"`
		Note      string `json:"note"`
		Available bool   `json:"available"`
	} `json:"items"`
}

type itineraryPage struct {
	Data []itineraryBody `json:"data"`
	Meta struct {
		NextCursor *string `json:"next_cursor"`
	} `json:"meta"`
}

func item(l listing, ref string, day int, note string) map[string]any {
	if ref == "" {
		ref = l.ID.String()
	}
	return map[string]any{"kind": l.Kind.Plural(), "id": ref, "day": day, "note": note}
}

const itineraries = "/api/v1/me/itineraries"

func TestItineraryLifecycle(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	keraton := api.Listing(kind.Attraction, "published")
	soto := api.Listing(kind.Culinary, "published")
	festival := api.Listing(kind.Event, "published")
	sari := api.User("sari")

	var it itineraryBody
	resp := api.Send(http.MethodPost, itineraries+"?lang=en", map[string]any{
		"name": "  Akhir pekan di Solo ", "start_date": "2026-08-15",
		"items": []any{item(festival, "", 2, "malam"), item(keraton, keraton.Slug, 1, "pagi"), item(soto, "", 1, ""), item(keraton, "", 2, "lagi")},
	}, sari).Expect(http.StatusCreated)
	resp.JSON(&it)
	if resp.Header.Get("Location") != itineraries+"/"+it.ID.String() || resp.Header.Get("Content-Language") != "en" {
		t.Fatalf("headers %v", resp.Header)
	}
	if it.Name != "Akhir pekan di Solo" || it.StartDate == nil || *it.StartDate != "2026-08-15" || len(it.Items) != 4 {
		t.Fatalf("itinerary = %+v", it)
	}
	wantOrder := []listing{festival, keraton, soto, keraton}
	for i, x := range it.Items {
		l := wantOrder[i]
		if x.Position != i || x.ID != l.ID.String() || x.Kind != l.Kind.Plural() || x.Slug != l.Slug ||
			x.Name != "Name "+l.Slug || !x.Available {
			t.Fatalf("item %d = %+v, want %v", i, x, l)
		}
	}
	if it.Items[0].Day != 2 || it.Items[0].Note != "malam" || it.Items[1].Note != "pagi" {
		t.Fatalf("days/notes lost: %+v", it.Items)
	}

	var got itineraryBody
	api.Get(itineraries+"/"+it.ID.String(), sari).Expect(http.StatusOK).JSON(&got)
	if got.ID != it.ID || len(got.Items) != 4 || got.Items[2].ID != soto.ID.String() || got.Items[0].Name != "Nama "+festival.Slug {
		t.Fatalf("detail = %+v", got)
	}

	// PATCH replaces what it names and keeps the rest.
	api.Send(http.MethodPatch, itineraries+"/"+it.ID.String(), map[string]any{
		"items": []any{item(soto, soto.Slug, 3, "makan malam")},
	}, sari).Expect(http.StatusOK).JSON(&got)
	if got.Name != "Akhir pekan di Solo" || got.StartDate == nil || len(got.Items) != 1 || got.Items[0].Day != 3 {
		t.Fatalf("after items patch: %+v", got)
	}
	api.Send(http.MethodPatch, itineraries+"/"+it.ID.String(), map[string]any{"name": "Solo", "start_date": nil}, sari).
		Expect(http.StatusOK).JSON(&got)
	if got.Name != "Solo" || got.StartDate != nil || len(got.Items) != 1 {
		t.Fatalf("after name patch: %+v", got)
	}
	api.Send(http.MethodPatch, itineraries+"/"+it.ID.String(), map[string]any{"items": []any{}}, sari).
		Expect(http.StatusOK).JSON(&got)
	if len(got.Items) != 0 || got.Items == nil {
		t.Fatalf("items not cleared: %+v", got)
	}

	// An unpublished listing stays in the plan, marked unavailable.
	api.Send(http.MethodPatch, itineraries+"/"+it.ID.String(), map[string]any{"items": []any{item(keraton, "", 1, "")}}, sari).
		Expect(http.StatusOK)
	setStatus(t, api, keraton, "archived")
	api.Get(itineraries+"/"+it.ID.String(), sari).Expect(http.StatusOK).JSON(&got)
	if len(got.Items) != 1 || got.Items[0].Available {
		t.Fatalf("archived item: %+v", got.Items)
	}

	api.Do(apitest.Req{Method: http.MethodDelete, Path: itineraries + "/" + it.ID.String(), As: sari}).Expect(http.StatusNoContent)
	api.Get(itineraries+"/"+it.ID.String(), sari).ExpectProblem(http.StatusNotFound, "not_found")
	api.Do(apitest.Req{Method: http.MethodDelete, Path: itineraries + "/" + it.ID.String(), As: sari}).
		ExpectProblem(http.StatusNotFound, "not_found")
}

func TestItineraryBelongsToItsOwner(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	owner, other := api.User("owner"), api.User("other")
	var it itineraryBody
	api.Send(http.MethodPost, itineraries, map[string]any{"name": "Mine", "items": []any{item(l, "", 1, "")}}, owner).
		Expect(http.StatusCreated).JSON(&it)
	path := itineraries + "/" + it.ID.String()

	for _, as := range []apitest.Actor{other, api.Staff(identity.DeptTourism), api.Admin()} {
		api.Get(path, as).ExpectProblem(http.StatusNotFound, "not_found")
		api.Send(http.MethodPatch, path, map[string]any{"name": "Theirs"}, as).ExpectProblem(http.StatusNotFound, "not_found")
		api.Do(apitest.Req{Method: http.MethodDelete, Path: path, As: as}).ExpectProblem(http.StatusNotFound, "not_found")
		var p itineraryPage
		api.Get(itineraries, as).Expect(http.StatusOK).JSON(&p)
		if len(p.Data) != 0 {
			t.Fatalf("someone else's itinerary is listed: %+v", p.Data)
		}
	}
	for _, r := range []apitest.Req{
		{Method: http.MethodGet, Path: itineraries},
		{Method: http.MethodPost, Path: itineraries, Body: map[string]any{"name": "x"}},
		{Method: http.MethodGet, Path: path},
		{Method: http.MethodPatch, Path: path, Body: map[string]any{"name": "x"}},
		{Method: http.MethodDelete, Path: path},
	} {
		api.Do(r).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	}

	var got itineraryBody
	api.Get(path, owner).Expect(http.StatusOK).JSON(&got)
	if got.Name != "Mine" {
		t.Fatalf("someone else changed the itinerary: %+v", got)
	}
}

func TestItineraryValidation(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Attraction, "published")
	draft := api.Listing(kind.Attraction, "draft")
	food := api.Listing(kind.Culinary, "published")
	u := api.User("sari")
	many := make([]any, 101)
	for i := range many {
		many[i] = item(l, "", 1, "")
	}
	wrongKind := item(food, "", 1, "")
	wrongKind["kind"] = "attractions"

	cases := []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"no name", map[string]any{"items": []any{}}, []string{"name"}},
		{"blank name", map[string]any{"name": "   "}, []string{"name"}},
		{"long name", map[string]any{"name": strings.Repeat("a", 101)}, []string{"name"}},
		{"bad date", map[string]any{"name": "x", "start_date": "15-08-2026"}, []string{"start_date"}},
		{"impossible date", map[string]any{"name": "x", "start_date": "2026-02-30"}, []string{"start_date"}},
		{"too many items", map[string]any{"name": "x", "items": many}, []string{"items"}},
		{"item rules", map[string]any{"name": "x", "items": []any{
			item(l, "", 1, ""), item(l, "", 0, ""), item(l, "", 1, strings.Repeat("n", 501)), map[string]any{"day": 1},
		}}, []string{"items[1].day", "items[2].note", "items[3].id", "items[3].kind"}},
		{"unresolved items", map[string]any{"name": "x", "items": []any{
			item(l, "", 1, ""), item(draft, "", 1, ""), item(l, uuid.NewString(), 1, ""), wrongKind, item(l, "no-such-slug", 1, ""),
		}}, []string{"items[1].id", "items[2].id", "items[3].id", "items[4].id"}},
	}
	for _, c := range cases {
		p := api.Send(http.MethodPost, itineraries, c.body, u).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		if fmt.Sprint(fields) != fmt.Sprint(c.fields) {
			t.Errorf("%s: fields %v, want %v", c.name, fields, c.fields)
		}
	}
	api.Send(http.MethodPost, itineraries, map[string]any{"name": "x", "items": []any{map[string]any{"kind": "hotels", "id": "x", "day": 1}}}, u).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Send(http.MethodPost, itineraries, map[string]any{"name": "x", "items": []any{map[string]any{"kind": "attractions", "id": l.ID, "day": "1"}}}, u).
		ExpectProblem(http.StatusBadRequest, "bad_request")

	var p itineraryPage
	api.Get(itineraries, u).Expect(http.StatusOK).JSON(&p)
	if len(p.Data) != 0 {
		t.Fatalf("an invalid itinerary was saved: %+v", p.Data)
	}

	var it itineraryBody
	api.Send(http.MethodPost, itineraries, map[string]any{"name": strings.Repeat("é", 100), "items": many[:100]}, u).
		Expect(http.StatusCreated).JSON(&it)
	path := itineraries + "/" + it.ID.String()
	api.Send(http.MethodPatch, path, map[string]any{"items": []any{item(draft, "", 1, "")}}, u).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	api.Send(http.MethodPatch, path, map[string]any{"name": ""}, u).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	api.Send(http.MethodPatch, path, map[string]any{"start_date": 20260815}, u).ExpectProblem(http.StatusBadRequest, "bad_request")
	var got itineraryBody
	api.Get(path, u).Expect(http.StatusOK).JSON(&got)
	if len(got.Items) != 100 {
		t.Fatalf("a refused PATCH changed the items: %d", len(got.Items))
	}
}

// The list loads items and listing names per page, not per itinerary.
func TestItineraryListHasNoNPlusOne(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("sari")
	ls := []listing{
		api.Listing(kind.Attraction, "published"),
		api.Listing(kind.Culinary, "published"),
		api.Listing(kind.Event, "published"),
	}
	var want []uuid.UUID
	for i := range 7 {
		var it itineraryBody
		api.Send(http.MethodPost, itineraries, map[string]any{"name": fmt.Sprint("trip ", i), "items": []any{
			item(ls[0], "", 1, ""), item(ls[1], "", 1, ""), item(ls[2], "", 2, ""),
		}}, u).Expect(http.StatusCreated).JSON(&it)
		want = append([]uuid.UUID{it.ID}, want...)
	}

	api.DB.Queries.Reset()
	var p itineraryPage
	api.Get(itineraries, u).Expect(http.StatusOK).JSON(&p)
	// One to authenticate, one for the page, one for all its items with names.
	if n := api.DB.Queries.Count(); n > 3 {
		t.Fatalf("listing 7 itineraries ran %d queries, want at most 3", n)
	}
	if len(p.Data) != 7 {
		t.Fatalf("got %d itineraries", len(p.Data))
	}
	for _, it := range p.Data {
		if len(it.Items) != 3 || it.Items[2].ID != ls[2].ID.String() || it.Items[1].Name != "Nama "+ls[1].Slug {
			t.Fatalf("items = %+v", it.Items)
		}
	}

	var got []uuid.UUID
	path := itineraries + "?limit=3"
	for range 4 {
		var page itineraryPage
		api.Get(path, u).Expect(http.StatusOK).JSON(&page)
		for _, it := range page.Data {
			got = append(got, it.ID)
		}
		if page.Meta.NextCursor == nil {
			break
		}
		// An itineraries cursor is not a favourites cursor.
		api.Get("/api/v1/me/favorites?cursor="+*page.Meta.NextCursor, u).ExpectProblem(http.StatusBadRequest, "bad_request")
		path = itineraries + "?limit=3&cursor=" + *page.Meta.NextCursor
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paged %v, want %v", got, want)
	}
}

// A listing staff have unpublished since it was planned appears only as
// {kind, id, day, note, available: false}: its name and slug (a draft name
// may not be public yet) stay out, in the detail and in the list.
func TestItineraryHidesUnpublishedListings(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	festival := api.Listing(kind.Event, "published")
	keraton := api.Listing(kind.Attraction, "published")
	sari := api.User("sari")

	var it itineraryBody
	api.Send(http.MethodPost, itineraries, map[string]any{"name": "Solo",
		"items": []any{item(festival, "", 1, "malam"), item(keraton, "", 2, "")}}, sari).Expect(http.StatusCreated).JSON(&it)
	setStatus(t, api, festival, "draft")
	if err := api.DB.Exec("UPDATE listings SET name_id = 'Rahasia', slug = 'rahasia' WHERE id = ?", festival.ID).Error; err != nil {
		t.Fatal(err)
	}

	check := func(where string, items []map[string]any) {
		t.Helper()
		if len(items) != 2 {
			t.Fatalf("%s: items = %v", where, items)
		}
		gone := items[0]
		want := map[string]any{"kind": "events", "id": festival.ID.String(), "day": float64(1), "note": "malam", "available": false}
		for k, v := range want {
			if gone[k] != v {
				t.Errorf("%s: %s = %v, want %v", where, k, gone[k], v)
			}
		}
		for _, k := range []string{"name", "slug"} {
			if _, ok := gone[k]; ok {
				t.Errorf("%s: an unpublished listing shows its %s: %v", where, k, gone)
			}
		}
		if items[1]["name"] != "Nama "+keraton.Slug || items[1]["available"] != true {
			t.Errorf("%s: a published item lost its name: %v", where, items[1])
		}
	}
	var one struct {
		Items []map[string]any `json:"items"`
	}
	api.Get(itineraries+"/"+it.ID.String(), sari).Expect(http.StatusOK).JSON(&one)
	check("detail", one.Items)
	var list struct {
		Data []struct {
			Items []map[string]any `json:"items"`
		} `json:"data"`
	}
	api.Get(itineraries, sari).Expect(http.StatusOK).JSON(&list)
	if len(list.Data) != 1 {
		t.Fatalf("list = %+v", list)
	}
	check("list", list.Data[0].Items)
}
