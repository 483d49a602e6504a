package plan_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
)

type favoritePage struct {
	Data []struct {
		Kind    string    `json:"kind"`
		ID      uuid.UUID `json:"id"`
		Slug    string    `json:"slug"`
		Name    string    `json:"name"`
		AddedAt string    `json:"added_at"`
	} `json:"data"`
	Meta struct {
		Limit      int     `json:"limit"`
		NextCursor *string `json:"next_cursor"`
	} `json:"meta"`
}

func favorites(t *testing.T, api *apitest.API, path string, as apitest.Actor) favoritePage {
	t.Helper()
	var p favoritePage
	api.Get(path, as).Expect(http.StatusOK).JSON(&p)
	return p
}

func TestFavoritesAreIdempotent(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	keraton := api.Listing(kind.Attraction, "published")
	soto := api.Listing(kind.Culinary, "published")
	sari, bob := api.User("sari"), api.User("bob")

	api.Send(http.MethodPut, favorite(keraton), nil, sari).Expect(http.StatusNoContent)
	first := favorites(t, api, "/api/v1/me/favorites", sari)
	api.Send(http.MethodPut, favorite(keraton), nil, sari).Expect(http.StatusNoContent)
	// By slug too: still the same favourite.
	api.Send(http.MethodPut, "/api/v1/me/favorites/attractions/"+keraton.Slug, nil, sari).Expect(http.StatusNoContent)
	again := favorites(t, api, "/api/v1/me/favorites", sari)
	if len(again.Data) != 1 || again.Data[0].ID != keraton.ID || again.Data[0].AddedAt != first.Data[0].AddedAt {
		t.Fatalf("repeated PUT changed the list: %+v then %+v", first, again)
	}
	d := again.Data[0]
	if d.Kind != "attractions" || d.Slug != keraton.Slug || d.Name != "Nama "+keraton.Slug {
		t.Fatalf("favourite = %+v", d)
	}

	api.Send(http.MethodPut, favorite(soto), nil, sari).Expect(http.StatusNoContent)
	page := favorites(t, api, "/api/v1/me/favorites", sari)
	if len(page.Data) != 2 || page.Data[0].ID != soto.ID || page.Data[1].ID != keraton.ID {
		t.Fatalf("want newest first: %+v", page.Data)
	}
	if len(favorites(t, api, "/api/v1/me/favorites", bob).Data) != 0 {
		t.Fatal("another user's favourites are visible")
	}

	api.Send(http.MethodDelete, favorite(keraton), nil, sari).Expect(http.StatusNoContent)
	api.Send(http.MethodDelete, favorite(keraton), nil, sari).Expect(http.StatusNoContent)
	api.Send(http.MethodDelete, "/api/v1/me/favorites/attractions/never-was", nil, sari).Expect(http.StatusNoContent)
	page = favorites(t, api, "/api/v1/me/favorites", sari)
	if len(page.Data) != 1 || page.Data[0].ID != soto.ID {
		t.Fatalf("after delete: %+v", page.Data)
	}
}

func TestFavoritesAccess(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	l := api.Listing(kind.Event, "published")
	draft := api.Listing(kind.Event, "draft")
	u := api.User("sari")

	api.Send(http.MethodPut, favorite(l), nil, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Send(http.MethodDelete, favorite(l), nil, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Get("/api/v1/me/favorites", apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")

	api.Send(http.MethodPut, favorite(draft), nil, u).ExpectProblem(http.StatusNotFound, "not_found")
	api.Send(http.MethodPut, "/api/v1/me/favorites/events/"+uuid.NewString(), nil, u).ExpectProblem(http.StatusNotFound, "not_found")
	api.Send(http.MethodPut, "/api/v1/me/favorites/attractions/"+l.ID.String(), nil, u).ExpectProblem(http.StatusNotFound, "not_found")

	// Staff and admins are users too.
	for _, as := range []apitest.Actor{api.Staff(identity.DeptTourism), api.Admin()} {
		api.Send(http.MethodPut, favorite(l), nil, as).Expect(http.StatusNoContent)
		if p := favorites(t, api, "/api/v1/me/favorites", as); len(p.Data) != 1 {
			t.Fatalf("staff favourites = %+v", p.Data)
		}
	}

	// A favourite whose listing is unpublished drops out of the list and comes back.
	api.Send(http.MethodPut, favorite(l), nil, u).Expect(http.StatusNoContent)
	setStatus(t, api, l, "archived")
	if p := favorites(t, api, "/api/v1/me/favorites", u); len(p.Data) != 0 {
		t.Fatalf("archived listing still listed: %+v", p.Data)
	}
	setStatus(t, api, l, "published")
	if p := favorites(t, api, "/api/v1/me/favorites", u); len(p.Data) != 1 {
		t.Fatalf("republished listing missing: %+v", p.Data)
	}
}

func TestFavoritesLanguageAndPaging(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("sari")
	var want []uuid.UUID
	for range 5 {
		l := api.Listing(kind.Culinary, "published")
		api.Send(http.MethodPut, favorite(l), nil, u).Expect(http.StatusNoContent)
		want = append([]uuid.UUID{l.ID}, want...)
	}

	cases := []struct {
		query, acceptLang, wantLang, wantPrefix string
	}{
		{"", "", "id", "Nama "},
		{"?lang=en", "", "en", "Name "},
		{"?lang=id", "en", "id", "Nama "},
		{"", "en-GB,en;q=0.9", "en", "Name "},
		{"", "fr-FR, en;q=0.5, id;q=0.8", "id", "Nama "},
		{"", "de", "id", "Nama "},
	}
	for _, c := range cases {
		resp := api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me/favorites" + c.query, As: u,
			Header: map[string]string{"Accept-Language": c.acceptLang}}).Expect(http.StatusOK)
		if got := resp.Header.Get("Content-Language"); got != c.wantLang {
			t.Errorf("%q %q: Content-Language %q, want %q", c.query, c.acceptLang, got, c.wantLang)
		}
		var p favoritePage
		resp.JSON(&p)
		if len(p.Data) == 0 || p.Data[0].Name != c.wantPrefix+p.Data[0].Slug {
			t.Errorf("%q %q: name %+v", c.query, c.acceptLang, p.Data)
		}
	}

	var got []uuid.UUID
	path := "/api/v1/me/favorites?limit=2"
	for range 4 {
		p := favorites(t, api, path, u)
		for _, d := range p.Data {
			got = append(got, d.ID)
		}
		if p.Meta.NextCursor == nil {
			break
		}
		path = "/api/v1/me/favorites?limit=2&cursor=" + *p.Meta.NextCursor
	}
	if len(got) != len(want) {
		t.Fatalf("paged %d favourites, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	api.Get("/api/v1/me/favorites?cursor=x.y", u).ExpectProblem(http.StatusBadRequest, "bad_request")
}
