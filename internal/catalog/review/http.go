package review

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

type createReviewRequest struct {
	Rating *int   `json:"rating" binding:"required" minimum:"1" maximum:"5" example:"5" format:"int32"`
	Text   string `json:"text,omitempty" text:"multiline" maxLength:"2000" example:"Keraton yang megah, pemandunya ramah."`
} // @name CreateReviewRequest

func (r *createReviewRequest) Normalize() { r.Text = strings.TrimSpace(r.Text) }

func (r *createReviewRequest) Validate() map[string]string {
	if r.Rating == nil {
		return nil // reported by the required tag
	}
	return Draft{Rating: *r.Rating, Text: r.Text}.problems()
}

type authorResponse struct {
	ID   uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Name string    `json:"name" example:"Sari Wulandari" maxLength:"100"`
} // @name ReviewAuthor

type reviewResponse struct {
	ID        uuid.UUID      `json:"id" example:"0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	ListingID uuid.UUID      `json:"listing_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Rating    int            `json:"rating" minimum:"1" maximum:"5" example:"5" format:"int32"`
	Text      string         `json:"text" example:"Keraton yang megah, pemandunya ramah." maxLength:"2000"`
	Author    authorResponse `json:"author"`
	CreatedAt time.Time      `json:"created_at" format:"date-time" maxLength:"35"`
} // @name Review

func toResponse(r Review) reviewResponse {
	return reviewResponse{ID: r.ID, ListingID: r.ListingID, Rating: r.Rating, Text: r.Text,
		Author: authorResponse{ID: r.AuthorID, Name: r.AuthorName}, CreatedAt: r.CreatedAt}
}

type reviewList struct {
	Data []reviewResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta     `json:"meta"`
} // @name ReviewList

// List handles GET /api/v1/{kind}/{id}/reviews for one kind.
//
//	@Summary		Reviews of a listing
//	@ID				listReviews
//	@Description	Visible reviews of a published listing, newest first. `id` is the listing's UUID or its slug. A draft, archived or unknown listing is 404. Sends an `ETag` and answers `If-None-Match` with 304.
//	@Tags			reviews
//	@Produce		json
//	@Param			kind			path		string	true	"Listing kind"						Enums(attractions, culinary, events)
//	@Param			id				path		string	true	"Listing ID or slug"				maxLength(100)	extensions(x-pattern=idOrSlug)
//	@Param			limit			query		int		false	"Page size"							format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	reviewList
//	@Success		304				"not modified"
//	@Failure		400				{object}	problem.Problem	"bad limit or cursor"
//	@Failure		404				{object}	problem.Problem	"no published listing with this id or slug"
//	@Header			200				{string}	ETag			"Validator of this response; absent on staff views of unpublished content"
//	@Header			200				{string}	Cache-Control	"public, max-age=60; private, no-store for staff views"
//	@Router			/{kind}/{id}/reviews [get]
func List(svc *Service, pg web.Pager, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ref := c.Param("id")
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("reviews", string(k), ref))
		if err != nil {
			return err
		}
		rs, more, err := svc.List(c.Request.Context(), k, ref, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, rs, more, func(r Review) uuid.UUID { return r.ID }, toResponse)
		if err != nil {
			return err
		}
		// no-cache: clients revalidate every time, so a new review shows at
		// once while unchanged pages cost no body.
		return web.WriteCacheable(c, reviewList(out), "public, no-cache")
	}
}

// Create handles POST /api/v1/{kind}/{id}/reviews for one kind.
//
//	@Summary		Review a listing
//	@ID				createReview
//	@Description	One review per user and listing: a second one is 409 until the first is deleted. The listing's `rating` (average and count) includes the new review at once. `id`, author, status and dates in the body are ignored.
//	@Tags			reviews
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			kind	path		string				true	"Listing kind"			Enums(attractions, culinary, events)
//	@Param			id		path		string				true	"Listing ID or slug"	maxLength(100)	extensions(x-pattern=idOrSlug)
//	@Param			body	body		createReviewRequest	true	"The review"
//	@Success		201		{object}	reviewResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON or a rating that is not an integer"
//	@Failure		401		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem	"no published listing with this id or slug"
//	@Failure		409		{object}	problem.Problem	"you already reviewed this listing (code conflict)"
//	@Failure		415		{object}	problem.Problem	"body is not JSON"
//	@Failure		422		{object}	problem.Problem	"rating outside 1..5 or text over 2000 characters"
//	@Router			/{kind}/{id}/reviews [post]
func Create(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in createReviewRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		r, err := svc.Create(ctx, identity.ActorFrom(ctx), k, c.Param("id"), Draft{Rating: *in.Rating, Text: in.Text})
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toResponse(r))
		return nil
	}
}

// Delete handles DELETE /api/v1/reviews/{id}.
//
//	@Summary		Delete or hide a review
//	@ID				deleteReview
//	@Description	The author deletes their own review (they may then write a new one). Tourism staff and admins hide someone else's review instead: it stays on record but leaves the public list. Either way the listing's rating no longer counts it. Hiding an already hidden review is a no-op. Both answer 204.
//	@Tags			reviews
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Review ID"	format(uuid)	maxLength(36)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"neither the author nor tourism staff"
//	@Failure		404	{object}	problem.Problem	"no such review, or it was deleted"
//	@Router			/reviews/{id} [delete]
func Delete(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		if _, err := svc.Remove(ctx, identity.ActorFrom(ctx), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}
