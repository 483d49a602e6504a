package review

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/web"
)

// NewReviewDays is how far back a review counts as new on the dashboard.
const NewReviewDays = 7

// Waiting is the tourism dashboard's review figure: the visible reviews
// written in the last NewReviewDays days, the ones a moderator reads, per
// listing kind, and how many of them rate 1 or 2 stars (read those first).
type Waiting struct {
	Since  time.Time
	Total  int
	Low    int
	ByKind map[string]int
}

// Waiting counts the new visible reviews in the database, per kind of their
// listing (the catalog's listings table, read as catalog/ref reads it).
func (s *Service) Waiting(ctx context.Context) (Waiting, error) {
	since := s.now().Add(-NewReviewDays * 24 * time.Hour)
	var rows []struct {
		Kind  string
		Total int
		Low   int
	}
	err := s.db.WithContext(ctx).Table("reviews AS r").
		Joins("JOIN listings AS l ON l.id = r.listing_id").
		Where("r.status = ? AND r.created_at >= ?", string(StatusVisible), since).
		Select("l.kind AS kind, COUNT(*) AS total, COALESCE(SUM(CASE WHEN r.rating <= 2 THEN 1 ELSE 0 END), 0) AS low").
		Group("l.kind").Order("l.kind").Scan(&rows).Error
	if err != nil {
		return Waiting{}, fmt.Errorf("new reviews: %w", err)
	}
	w := Waiting{Since: since, ByKind: map[string]int{"attraction": 0, "culinary": 0, "event": 0}}
	for _, r := range rows {
		w.Total += r.Total
		w.Low += r.Low
		w.ByKind[r.Kind] = r.Total
	}
	return w, nil
}

type waitingResponse struct {
	Since  time.Time     `json:"since" format:"date-time" maxLength:"35"`
	Total  int           `json:"total" format:"int32" minimum:"0" maximum:"2147483647" example:"12"`
	Low    int           `json:"low_rated" format:"int32" minimum:"0" maximum:"2147483647" example:"2"`
	ByKind []kindWaiting `json:"by_kind" validate:"max=3"`
} // @name ReviewsWaiting

type kindWaiting struct {
	Kind  string `json:"kind" enums:"attraction,culinary,event" maxLength:"16" example:"attraction"`
	Count int    `json:"count" format:"int32" minimum:"0" maximum:"2147483647" example:"7"`
} // @name ReviewsWaitingKind

// GetWaiting handles GET /api/v1/staff/summary/tourism.
//
//	@Summary		New reviews waiting for moderation
//	@Description	The tourism department's dashboard, counted by the database: the visible reviews written in the last 7 days (the ones a moderator reads; hiding one is DELETE /reviews/{id}), per listing kind, and how many of them rate 1 or 2 stars.
//	@ID				getReviewsWaiting
//	@Tags			reviews
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	waitingResponse
//	@Failure		401	{object}	problem.Problem	"no or invalid token"
//	@Failure		403	{object}	problem.Problem	"not tourism staff"
//	@Router			/staff/summary/tourism [get]
func GetWaiting(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		w, err := svc.Waiting(c.Request.Context())
		if err != nil {
			return err
		}
		out := waitingResponse{Since: w.Since.UTC(), Total: w.Total, Low: w.Low, ByKind: []kindWaiting{}}
		for _, k := range []string{"attraction", "culinary", "event"} {
			out.ByKind = append(out.ByKind, kindWaiting{Kind: k, Count: w.ByKind[k]})
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
		return nil
	}
}
