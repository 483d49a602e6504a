package review

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// QueuedReview is a visible review with the listing it is about, for the
// moderators' queue.
type QueuedReview struct {
	Review
	ListingKind string
	ListingSlug string
	ListingName [2]string // Indonesian, English
}

// Queue returns visible reviews of listings of any status, newest first,
// rated at most maxRating, after the cursor position.
func (s *Service) Queue(ctx context.Context, maxRating int, after *uuid.UUID, limit int) ([]QueuedReview, bool, error) {
	q := s.db.WithContext(ctx).Table("reviews AS r").
		Joins("JOIN listings AS l ON l.id = r.listing_id").
		Where("r.status = ? AND r.rating <= ?", string(StatusVisible), maxRating)
	if after != nil {
		q = q.Where("r.id < ?", *after)
	}
	var rows []struct {
		ID        uuid.UUID
		ListingID uuid.UUID
		AuthorID  uuid.UUID
		Rating    int
		Body      string
		Status    string
		CreatedAt time.Time
		Kind      string
		Slug      string
		NameID    string
		NameEn    string
	}
	err := q.Select("r.id, r.listing_id, r.author_id, r.rating, r.body, r.status, r.created_at, " +
		"l.kind AS kind, l.slug AS slug, l.name_id AS name_id, l.name_en AS name_en").
		Order("r.id DESC").Limit(limit + 1).Scan(&rows).Error
	if err != nil {
		return nil, false, fmt.Errorf("review queue: %w", err)
	}
	out := make([]QueuedReview, len(rows))
	for i, r := range rows {
		row := reviewRow{ID: r.ID, ListingID: r.ListingID, AuthorID: r.AuthorID, Rating: r.Rating, Body: r.Body, Status: r.Status, CreatedAt: r.CreatedAt}
		out[i] = QueuedReview{Review: row.toDomain(), ListingKind: r.Kind, ListingSlug: r.Slug, ListingName: [2]string{r.NameID, r.NameEn}}
	}
	out, more := cursor.Cut(out, limit)
	plain := make([]Review, len(out))
	for i := range out {
		plain[i] = out[i].Review
	}
	if err := s.name(ctx, plain); err != nil {
		return nil, false, err
	}
	for i := range out {
		out[i].AuthorName = plain[i].AuthorName
	}
	return out, more, nil
}

type queuedListing struct {
	ID   uuid.UUID `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	Kind string    `json:"kind" enums:"attraction,culinary,event" maxLength:"16" example:"attraction"`
	Slug string    `json:"slug" maxLength:"200" example:"keraton-kasunanan-surakarta-hadiningrat"`
	Name string    `json:"name" maxLength:"10000" example:"Keraton Kasunanan Surakarta"`
} // @name QueuedReviewListing

type queuedResponse struct {
	reviewResponse
	Listing queuedListing `json:"listing"`
} // @name QueuedReview

type queueList struct {
	Data []queuedResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta     `json:"meta"`
} // @name QueuedReviewList

// ListQueue handles GET /api/v1/staff/reviews.
//
//	@Summary		Review moderation queue
//	@ID				listReviewQueue
//	@Description	Tourism staff's queue: the visible reviews of every listing (drafts and archived ones too), newest first, each with its listing's kind, slug and name in the language asked for; `max_rating=2` shows the low ratings only. Hiding one is DELETE /reviews/{id}; it then leaves the queue.
//	@Tags			reviews
//	@Produce		json
//	@Security		BearerAuth
//	@Param			max_rating	query		int		false	"Only reviews rated at most this"	format(int32)	minimum(1)	maximum(5)	default(5)
//	@Param			lang		query		string	false	"Language of listing names: id or en; any other value means id"	maxLength(4096)	pattern(^[A-Za-z-]*$)
//	@Param			limit		query		int		false	"Page size"							format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200			{object}	queueList
//	@Failure		400			{object}	problem.Problem	"bad max_rating, limit or cursor"
//	@Failure		401			{object}	problem.Problem	"no or invalid token"
//	@Failure		403			{object}	problem.Problem	"not tourism staff"
//	@Router			/staff/reviews [get]
func ListQueue(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		maxRating := 5
		if raw := c.Query("max_rating"); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 || n > 5 {
				return apperr.BadRequest("max_rating must be a whole number from 1 to 5.")
			}
			maxRating = n
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("review-queue", strconv.Itoa(maxRating)))
		if err != nil {
			return err
		}
		l := web.RequestLang(c).One()
		rs, more, err := svc.Queue(c.Request.Context(), maxRating, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, rs, more, func(r QueuedReview) uuid.UUID { return r.ID }, func(r QueuedReview) queuedResponse {
			return queuedResponse{reviewResponse: toResponse(r.Review), Listing: queuedListing{ID: r.ListingID, Kind: r.ListingKind,
				Slug: r.ListingSlug, Name: l.Pick(r.ListingName[0], r.ListingName[1])}}
		})
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "no-store")
		web.SetLangHeaders(c, l)
		c.JSON(http.StatusOK, queueList(out))
		return nil
	}
}
