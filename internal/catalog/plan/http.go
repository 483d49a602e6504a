package plan

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

type favoriteResponse struct {
	Kind    string    `json:"kind" enums:"attractions,culinary,events" example:"attractions"`
	ID      uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Slug    string    `json:"slug" example:"keraton-kasunanan-surakarta" maxLength:"100" extensions:"x-pattern=slug"`
	Name    string    `json:"name" example:"Keraton Kasunanan Surakarta" maxLength:"200"`
	AddedAt time.Time `json:"added_at" format:"date-time" maxLength:"35"`
} // @name Favorite

type favoriteList struct {
	Data []favoriteResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta       `json:"meta"`
} // @name FavoriteList

// PutFavorite handles PUT /api/v1/me/favorites/{kind}/{id} for one kind.
//
//	@Summary		Add a favourite
//	@ID				addFavorite
//	@Description	Marks a published listing as a favourite. Idempotent: repeating it changes nothing and keeps the first `added_at`. `id` is the listing's UUID or slug.
//	@Tags			favorites
//	@Security		BearerAuth
//	@Param			kind	path	string	true	"Listing kind"			Enums(attractions, culinary, events)
//	@Param			id		path	string	true	"Listing ID or slug"	maxLength(100)	extensions(x-pattern=idOrSlug)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem	"no published listing of this kind with this id or slug"
//	@Router			/me/favorites/{kind}/{id} [put]
func PutFavorite(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		if err := svc.AddFavorite(ctx, identity.ActorFrom(ctx), k, c.Param("id")); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// DeleteFavorite handles DELETE /api/v1/me/favorites/{kind}/{id} for one kind.
//
//	@Summary		Remove a favourite
//	@ID				removeFavorite
//	@Description	Idempotent: 204 whether or not the listing was a favourite, and also when the listing has since been unpublished.
//	@Tags			favorites
//	@Security		BearerAuth
//	@Param			kind	path	string	true	"Listing kind"			Enums(attractions, culinary, events)
//	@Param			id		path	string	true	"Listing ID or slug; anything else is a no-op too"	maxLength(65536)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Router			/me/favorites/{kind}/{id} [delete]
func DeleteFavorite(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		if err := svc.RemoveFavorite(ctx, identity.ActorFrom(ctx), k, c.Param("id")); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// ListFavorites handles GET /api/v1/me/favorites.
//
//	@Summary		Your favourites
//	@ID				listFavorites
//	@Description	Your favourite listings, most recently added first. Listings that are no longer published are left out (and come back if republished). Names are in the language of `?lang=` or `Accept-Language` (default Indonesian), as `Content-Language` says.
//	@Tags			favorites
//	@Produce		json
//	@Security		BearerAuth
//	@Param			lang			query		string	false	"Language of names: id or en; any other value means id"	maxLength(4096)
//	@Param			Accept-Language	header		string	false	"Used when lang is absent, e.g. en-US,en;q=0.9"			maxLength(65536)
//	@Param			limit			query		int		false	"Page size"												format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"						maxLength(2048)
//	@Success		200				{object}	favoriteList
//	@Failure		400				{object}	problem.Problem	"bad limit or cursor"
//	@Failure		401				{object}	problem.Problem
//	@Router			/me/favorites [get]
func ListFavorites(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("favorites"))
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		favs, more, err := svc.Favorites(ctx, identity.ActorFrom(ctx), page.After, page.Limit)
		if err != nil {
			return err
		}
		lang := web.RequestLang(c).One()
		out, err := web.NewList(page, favs, more, func(f Favorite) uuid.UUID { return f.ID }, func(f Favorite) favoriteResponse {
			return favoriteResponse{Kind: f.Kind.Plural(), ID: f.ListingID, Slug: f.Slug,
				Name: lang.Pick(f.NameID, f.NameEN), AddedAt: f.AddedAt}
		})
		if err != nil {
			return err
		}
		web.SetLangHeaders(c, lang)
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, favoriteList(out))
		return nil
	}
}
