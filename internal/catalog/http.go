package catalog

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

// List handles GET /api/v1/{attractions|culinary|events}.
//
//	@Summary		List listings
//	@ID				listListings
//	@Description	Published listings, a page at a time; follow `meta.next_cursor` with `?cursor=` (the other parameters must stay the same, else 400).
//	@Description	Sorts: `relevance` (needs `q`; listings whose name holds every word first, then the other matches, best rated first within each group), `distance` (needs `near`), `rating` (best first), `name` (in the response language), `newest`, and for events `starts_at` (soonest first).
//	@Description	Default sort: `relevance` with `q`, else `distance` with `near`, else `starts_at` for events, else `rating`.
//	@Description	`q` matches every word as a word prefix in names, tags and descriptions (both languages, accents ignored).
//	@Description	Tourism staff and admins may pass `status`; anyone else asking for a status other than `published` gets 403. Responses to such staff lists are `Cache-Control: private, no-store`; public responses carry an ETag and honour If-None-Match.
//	@Tags			catalog
//	@Produce		json
//	@Param			kind			path		string	true	"Listing kind"														Enums(attractions, culinary, events)
//	@Param			q				query		string	false	"Search words"														minLength(1)	maxLength(200)
//	@Param			category		query		string	false	"Category code of this kind (GET /api/v1/categories)"				maxLength(64)
//	@Param			tag				query		string	false	"Only listings with this tag; repeat for several (all must match)"	maxLength(4096)
//	@Param			near			query		string	false	"lat,lng; adds distance_m to every item"							maxLength(64)	extensions(x-pattern=latLng)
//	@Param			radius_m		query		number	false	"Radius around near, metres"										minimum(1)		maximum(50000)	default(5000)
//	@Param			open_now		query		boolean	false	"Only listings open now (Asia/Jakarta)"
//	@Param			min_rating		query		number	false	"Lowest average rating"																						minimum(0)	maximum(5)
//	@Param			from			query		string	false	"Events only: spans overlapping [from, to]; RFC 3339 or YYYY-MM-DD"											maxLength(35)
//	@Param			to				query		string	false	"Events only: a date includes the whole day (Asia/Jakarta)"													maxLength(35)
//	@Param			sort			query		string	false	"Order"																										Enums(relevance, distance, rating, name, newest, starts_at)
//	@Param			status			query		string	false	"Tourism staff only"																						Enums(draft, published, archived, all)	default(published)
//	@Param			lang			query		string	false	"Language of name and description; all returns {id, en} objects: id, en or all; any other value means id"	maxLength(4096)
//	@Param			Accept-Language	header		string	false	"id or en, when lang is not given"																			maxLength(65536)
//	@Param			limit			query		int		false	"Page size"																									format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"																			maxLength(2048)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"																			maxLength(65536)
//	@Success		200				{object}	listingList
//	@Success		304				"Not modified (If-None-Match)"
//	@Failure		400				{object}	problem.Problem		"unknown sort, status or category; bad near, radius_m, limit or cursor"
//	@Failure		401				{object}	problem.Problem		"invalid token"
//	@Failure		403				{object}	problem.Problem		"status filter without tourism staff rights"
//	@Header			200				{string}	ETag				"Validator of this response; absent on staff views of unpublished content"
//	@Header			200				{string}	Cache-Control		"public, max-age=60; private, no-store for staff views"
//	@Header			200				{string}	Content-Language	"id or en: the language of the localised text"
//	@Router			/{kind} [get]
func List(svc *Service, pg web.Pager, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		if serveCached(c, svc.cache, listCacheParams) {
			return nil
		}
		ctx := c.Request.Context()
		q, page, err := parseListQuery(c, k, identity.ActorFrom(ctx), pg)
		if err != nil {
			return err
		}
		items, more, err := svc.list(ctx, q)
		if err != nil {
			return err
		}
		next, err := page.Next(more, func() position { return items[len(items)-1].Pos })
		if err != nil {
			return err
		}
		rows := make([]readRow, len(items))
		for i := range items {
			rows[i] = items[i].Row
		}
		body := appendListingList(make([]byte, 0, 1024*len(rows)+64), rows, q.Lang, q.Limit, next)
		return writeBody(c, http.StatusOK, body, q.Lang, q.staffView)
	}
}

// Get handles GET /api/v1/{kind}/{idOrSlug}.
//
//	@Summary		Get a listing
//	@ID				getListing
//	@Description	By id or slug. Drafts and archived listings are 404 except to tourism staff and admins (and then `Cache-Control: private, no-store`).
//	@Tags			catalog
//	@Produce		json
//	@Param			kind			path		string	true	"Listing kind"																Enums(attractions, culinary, events)
//	@Param			idOrSlug		path		string	true	"Listing ID or slug"														maxLength(100)	extensions(x-pattern=idOrSlug)
//	@Param			lang			query		string	false	"Language of name and description: id, en or all; any other value means id"	maxLength(4096)
//	@Param			Accept-Language	header		string	false	"id or en, when lang is not given"											maxLength(65536)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"											maxLength(65536)
//	@Success		200				{object}	listingResponse
//	@Success		304				"Not modified (If-None-Match)"
//	@Failure		401				{object}	problem.Problem	"invalid token"
//	@Failure		404				{object}	problem.Problem
//	@Header			200				{string}	ETag				"Validator of this response; absent on staff views of unpublished content"
//	@Header			200				{string}	Cache-Control		"public, max-age=60; private, no-store for staff views"
//	@Header			200				{string}	Content-Language	"id or en: the language of the localised text"
//	@Router			/{kind}/{idOrSlug} [get]
func Get(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		if serveCached(c, svc.cache, noCacheParams) {
			return nil
		}
		ctx := c.Request.Context()
		lang := web.RequestLang(c)
		r, err := svc.getRow(ctx, identity.ActorFrom(ctx), k, c.Param("id"), lang)
		if err != nil {
			return err
		}
		return writeBody(c, http.StatusOK, appendListing(make([]byte, 0, 2048), &r, lang), lang, r.Status != Published)
	}
}

// writeLang is the language of write responses: objects for editing
// screens, unless ?lang= asks for one language.
func writeLang(c *gin.Context) Lang {
	if c.Query("lang") == "" {
		return LangAll
	}
	return web.NegotiateLang(c.Query("lang"), "")
}

// Create handles POST /api/v1/{kind}.
//
//	@Summary		Add a listing
//	@ID				createListing
//	@Description	Tourism staff and admins. `status` defaults to `draft`. The slug is made from the Indonesian name (unique per kind: -2, -3 … on clashes). Fields of other kinds, and `id`, `slug`, `rating` and timestamps, are ignored.
//	@Description	The response holds name and description as {id, en} objects unless ?lang= asks for one language.
//	@Tags			catalog
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			kind	path		string			true	"Listing kind"	Enums(attractions, culinary, events)
//	@Param			body	body		listingRequest	true	"New listing"
//	@Param			lang	query		string			false	"Language of the response: id, en or all; any other value means id"	maxLength(4096)	default(all)
//	@Success		201		{object}	listingResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON, wrong types, unknown status"
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"not tourism staff"
//	@Failure		409		{object}	problem.Problem	"slug taken concurrently; retry"
//	@Failure		413		{object}	problem.Problem
//	@Failure		415		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem		"validation failed"
//	@Header			201		{string}	Content-Language	"id or en: the language of the localised text"
//	@Header			201		{string}	Location			"Path of the new listing"
//	@Router			/{kind} [post]
func Create(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in listingRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		l, err := svc.create(ctx, identity.ActorFrom(ctx), k, in.changes())
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/"+k.Plural()+"/"+l.ID.String())
		lang := writeLang(c)
		return writeJSON(c, http.StatusCreated, toListingResponse(l, lang), lang, true)
	}
}

// Update handles PATCH /api/v1/{kind}/{id}.
//
//	@Summary		Change, publish or unpublish a listing
//	@ID				updateListing
//	@Description	Tourism staff and admins. Each field sent replaces the stored one whole; `status` publishes (`published`) or unpublishes (`draft`). A listing that was never published follows a new Indonesian name with its slug; after publication the slug stays.
//	@Tags			catalog
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			kind		path		string			true	"Listing kind"										Enums(attractions, culinary, events)
//	@Param			idOrSlug	path		string			true	"Listing ID (a UUID; slugs are not accepted here)"	format(uuid)	maxLength(36)
//	@Param			body		body		listingRequest	true	"Fields to change"
//	@Param			lang		query		string			false	"Language of the response: id, en or all; any other value means id"	maxLength(4096)	default(all)
//	@Success		200			{object}	listingResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem	"slug taken concurrently; retry"
//	@Failure		415			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Header			200			{string}	Content-Language	"id or en: the language of the localised text"
//	@Router			/{kind}/{idOrSlug} [patch]
func Update(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in listingRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		l, err := svc.update(ctx, identity.ActorFrom(ctx), k, id, in.changes())
		if err != nil {
			return err
		}
		lang := writeLang(c)
		return writeJSON(c, http.StatusOK, toListingResponse(l, lang), lang, true)
	}
}

// Archive handles DELETE /api/v1/{kind}/{id}.
//
//	@Summary		Archive a listing
//	@ID				archiveListing
//	@Description	Tourism staff and admins. Soft: the listing leaves public view (404 to the public) and can be published again with PATCH. Archiving an archived listing is a no-op.
//	@Tags			catalog
//	@Security		BearerAuth
//	@Param			kind		path	string	true	"Listing kind"										Enums(attractions, culinary, events)
//	@Param			idOrSlug	path	string	true	"Listing ID (a UUID; slugs are not accepted here)"	format(uuid)	maxLength(36)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Router			/{kind}/{idOrSlug} [delete]
func Archive(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		if err := svc.archive(ctx, identity.ActorFrom(ctx), k, id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// Categories handles GET /api/v1/categories.
//
//	@Summary	Categories per kind
//	@ID			listCategories
//	@Tags		catalog
//	@Produce	json
//	@Param		lang			query		string	false	"Language of the labels: id, en or all; any other value means id"	maxLength(4096)
//	@Param		Accept-Language	header		string	false	"id or en, when lang is not given"									maxLength(65536)
//	@Param		If-None-Match	header		string	false	"ETag of a copy the client holds"									maxLength(65536)
//	@Success	200				{object}	categoriesResponse
//	@Success	304				"Not modified (If-None-Match)"
//	@Header		200				{string}	ETag				"Validator of this response; absent on staff views of unpublished content"
//	@Header		200				{string}	Cache-Control		"public, max-age=60; private, no-store for staff views"
//	@Header		200				{string}	Content-Language	"id or en: the language of the localised text"
//	@Router		/categories [get]
func Categories(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		if serveCached(c, svc.cache, noCacheParams) {
			return nil
		}
		lang := web.RequestLang(c)
		conv := func(k kind.Kind) []categoryResponse {
			list := svc.categories(k)
			out := make([]categoryResponse, len(list))
			for i, cat := range list {
				out[i] = categoryResponse{Code: cat.Code, Name: localized(cat.Name, lang)}
			}
			return out
		}
		out := categoriesResponse{Attractions: conv(kind.Attraction), Culinary: conv(kind.Culinary), Events: conv(kind.Event)}
		return writeJSON(c, http.StatusOK, out, lang, false)
	}
}

// Search handles GET /api/v1/search.
//
//	@Summary		Search all listings
//	@ID				searchCatalog
//	@Description	One ranked list of published attractions, culinary spots and events: listings whose name holds every word first, then the other matches (tags, descriptions), best rated first within each group. Every word matches as a word prefix, accents ignored. `snippet` is an excerpt of the description around the first match.
//	@Tags			catalog
//	@Produce		json
//	@Param			q				query		string	true	"Search words"															minLength(1)	maxLength(200)
//	@Param			types			query		string	false	"Comma-separated kinds: attraction, culinary, event (default all)"		maxLength(40)	extensions(x-pattern=types)
//	@Param			near			query		string	false	"lat,lng; adds distance_m"												maxLength(64)	extensions(x-pattern=latLng)
//	@Param			radius_m		query		number	false	"With near: only results within this radius, metres"					minimum(1)		maximum(50000)
//	@Param			lang			query		string	false	"Language of name and snippet: id, en or all; any other value means id"	maxLength(4096)
//	@Param			Accept-Language	header		string	false	"id or en, when lang is not given"										maxLength(65536)
//	@Param			limit			query		int		false	"Page size"																format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"										maxLength(2048)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"										maxLength(65536)
//	@Success		200				{object}	searchList
//	@Success		304				"Not modified (If-None-Match)"
//	@Failure		400				{object}	problem.Problem		"q missing or blank, unknown type, bad near/radius_m/limit/cursor"
//	@Header			200				{string}	ETag				"Validator of this response; absent on staff views of unpublished content"
//	@Header			200				{string}	Cache-Control		"public, max-age=60; private, no-store for staff views"
//	@Header			200				{string}	Content-Language	"id or en: the language of the localised text"
//	@Router			/search [get]
func Search(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		if serveCached(c, svc.cache, searchCacheParams) {
			return nil
		}
		q, page, err := parseSearchQuery(c, pg)
		if err != nil {
			return err
		}
		hits, more, err := svc.search(c.Request.Context(), q)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, hits, more, func(h hit) position { return h.Pos }, func(h hit) searchHitResponse {
			return searchHitResponse{Type: h.Kind, ID: h.ID, Slug: h.Slug, Name: localized(h.Name, q.Lang),
				Snippet: snippet(h.Description.In(q.Lang.One()), q.Tokens), DistanceM: h.DistanceM}
		})
		if err != nil {
			return err
		}
		return writeJSON(c, http.StatusOK, searchList(out), q.Lang, false)
	}
}

// parseSearchQuery reads GET /search; the page is read last, once the
// fingerprint is known.
func parseSearchQuery(c *gin.Context, pg web.Pager) (searchQuery, web.Page[position], error) {
	q, err := parseSearchFilters(c)
	if err != nil {
		return q, web.Page[position]{}, err
	}
	page, err := web.ReadPage[position](c, pg, q.fingerprint())
	q.Limit, q.After = page.Limit, page.After
	return q, page, err
}

func parseSearchFilters(c *gin.Context) (searchQuery, error) {
	q := searchQuery{Lang: web.RequestLang(c)}
	var err error
	if q.Tokens, err = parseSearchText(c.Query("q")); err != nil {
		return q, err
	}
	if raw := c.Query("types"); raw != "" {
		seen := map[kind.Kind]bool{}
		for _, t := range strings.Split(raw, ",") {
			k, ok := kind.FromSingular(strings.TrimSpace(t))
			if !ok {
				return q, apperr.BadRequest("types must list attraction, culinary or event, separated by commas.")
			}
			if !seen[k] {
				seen[k] = true
				q.Kinds = append(q.Kinds, k)
			}
		}
	}
	near, radius, err := parseNearRadius(c)
	if err != nil {
		return q, err
	}
	q.Near = near
	if _, ok := c.GetQuery("radius_m"); ok { // without it no radius filter: distances only
		q.RadiusM = radius
	}
	return q, nil
}

// Suggest handles GET /api/v1/search/suggest.
//
//	@Summary		Complete a name
//	@ID				suggestNames
//	@Description	Up to 10 published listings of any kind for what was typed so far: names with a word starting with the typed word(s) first, then similar names (typo-tolerant, trigram word similarity).
//	@Tags			catalog
//	@Produce		json
//	@Param			q				query		string	true	"What was typed"											minLength(1)	maxLength(200)
//	@Param			lang			query		string	false	"Language of name: id, en or all; any other value means id"	maxLength(4096)
//	@Param			Accept-Language	header		string	false	"id or en, when lang is not given"							maxLength(65536)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"							maxLength(65536)
//	@Success		200				{object}	suggestionList
//	@Success		304				"Not modified (If-None-Match)"
//	@Failure		400				{object}	problem.Problem		"q missing or blank"
//	@Header			200				{string}	ETag				"Validator of this response; absent on staff views of unpublished content"
//	@Header			200				{string}	Cache-Control		"public, max-age=60; private, no-store for staff views"
//	@Header			200				{string}	Content-Language	"id or en: the language of the localised text"
//	@Router			/search/suggest [get]
func Suggest(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		if serveCached(c, svc.cache, suggestCacheParams) {
			return nil
		}
		lang := web.RequestLang(c)
		toks, err := parseSearchText(c.Query("q"))
		if err != nil {
			return err
		}
		list, err := svc.suggest(c.Request.Context(), toks, MaxSuggestions)
		if err != nil {
			return err
		}
		out := suggestionList{Data: make([]suggestionResponse, len(list)), Meta: web.ListMeta{Limit: MaxSuggestions}}
		for i, s := range list {
			out.Data[i] = suggestionResponse{Type: s.Kind, ID: s.ID, Slug: s.Slug, Name: localized(s.Name, lang)}
		}
		return writeJSON(c, http.StatusOK, out, lang, false)
	}
}
