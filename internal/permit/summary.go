package permit

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/web"
)

// Open are the statuses of applications still under way after their
// submission: waiting for licensing, or for the applicant's revision.
var Open = []Status{Submitted, InReview, NeedsRevision}

// AgeBucket is a span of whole days since an application's first
// submission; Max is nil for the last, open-ended bucket.
type AgeBucket struct {
	Min int
	Max *int
}

// AgeBuckets are the licensing dashboard's spans: 0–2, 3–5, 6–10, 11–20
// and over 20 days.
var AgeBuckets = []AgeBucket{{0, intPtr(2)}, {3, intPtr(5)}, {6, intPtr(10)}, {11, intPtr(20)}, {21, nil}}

func intPtr(n int) *int { return &n }

// AgeCount is how many open applications of each open status have waited
// a bucket's days.
type AgeCount struct {
	AgeBucket
	ByStatus map[Status]int
}

// Summary is the licensing dashboard.
type Summary struct {
	At       time.Time
	Queue    []AgeCount     // by AgeBuckets
	Overdue  int            // submitted or in_review past sla_due_at
	ByStatus map[Status]int // every status, draft included
}

// Summary counts the applications in the database: the open ones by days
// since their first submission and status, those past their SLA, and all
// of them per status.
func (s *Service) Summary(ctx context.Context) (Summary, error) {
	now := s.now()
	out := Summary{At: now, ByStatus: map[Status]int{}, Queue: make([]AgeCount, len(AgeBuckets))}
	for i, b := range AgeBuckets {
		out.Queue[i] = AgeCount{AgeBucket: b, ByStatus: map[Status]int{}}
	}
	// Submitted at or after now-(Max+1) days means fewer than Max+1 whole
	// days ago: the bucket is the first one whose bound it meets.
	var cases []string
	var args []any
	for i, b := range AgeBuckets {
		if b.Max == nil {
			continue
		}
		cases = append(cases, fmt.Sprintf("WHEN submitted_at > ? THEN %d", i))
		args = append(args, now.Add(-time.Duration(*b.Max+1)*24*time.Hour))
	}
	open := make([]string, len(Open))
	for i, st := range Open {
		open[i] = string(st)
	}
	args = append(args, open)
	var ages []struct {
		Status string
		Bucket int
		N      int
	}
	err := s.db.WithContext(ctx).Raw("SELECT status, CASE "+strings.Join(cases, " ")+
		fmt.Sprintf(" ELSE %d END AS bucket, COUNT(*) AS n", len(AgeBuckets)-1)+
		" FROM permit_applications WHERE status IN ? AND submitted_at IS NOT NULL GROUP BY status, bucket", args...).
		Scan(&ages).Error
	if err != nil {
		return Summary{}, fmt.Errorf("permit queue by age: %w", err)
	}
	for _, r := range ages {
		if r.Bucket >= 0 && r.Bucket < len(out.Queue) {
			out.Queue[r.Bucket].ByStatus[Status(r.Status)] += r.N
		}
	}
	var counts []struct {
		Status string
		N      int
	}
	if err := s.db.WithContext(ctx).Table("permit_applications").Select("status, COUNT(*) AS n").
		Group("status").Scan(&counts).Error; err != nil {
		return Summary{}, fmt.Errorf("permit applications per status: %w", err)
	}
	for _, r := range counts {
		out.ByStatus[Status(r.Status)] = r.N
	}
	var overdue int64
	if err := s.db.WithContext(ctx).Table("permit_applications").
		Where("status IN ? AND sla_due_at IS NOT NULL AND sla_due_at < ?", []string{string(Submitted), string(InReview)}, now).
		Count(&overdue).Error; err != nil {
		return Summary{}, fmt.Errorf("overdue permit applications: %w", err)
	}
	out.Overdue = int(overdue)
	return out, nil
}

type licensingSummary struct {
	At       time.Time         `json:"at" format:"date-time" maxLength:"35"`                                // when the counts were taken
	Queue    []ageCountResult  `json:"queue_by_age" validate:"max=10"`                                      // open applications by whole days since their first submission
	Open     int               `json:"open" format:"int32" minimum:"0" maximum:"2147483647" example:"12"`   // submitted, in_review and needs_revision
	Overdue  int               `json:"overdue" format:"int32" minimum:"0" maximum:"2147483647" example:"3"` // submitted or in_review past sla_due_at
	ByStatus []statusCountItem `json:"by_status" validate:"max=10"`                                         // every status, in workflow order
} // @name LicensingSummary

type ageCountResult struct {
	MinDays       int  `json:"min_days" format:"int32" minimum:"0" maximum:"2147483647" example:"3"`
	MaxDays       *int `json:"max_days" format:"int32" minimum:"0" maximum:"2147483647" example:"5" extensions:"x-nullable"` // null: no upper bound
	Submitted     int  `json:"submitted" format:"int32" minimum:"0" maximum:"2147483647" example:"4"`
	InReview      int  `json:"in_review" format:"int32" minimum:"0" maximum:"2147483647" example:"2"`
	NeedsRevision int  `json:"needs_revision" format:"int32" minimum:"0" maximum:"2147483647" example:"1"`
	Total         int  `json:"total" format:"int32" minimum:"0" maximum:"2147483647" example:"7"`
} // @name LicensingQueueAge

type statusCountItem struct {
	Status string `json:"status" enums:"draft,submitted,in_review,needs_revision,approved,rejected" example:"submitted"`
	Count  int    `json:"count" format:"int32" minimum:"0" maximum:"2147483647" example:"5"`
} // @name LicensingStatusCount

// GetSummary handles GET /api/v1/staff/summary/licensing.
//
//	@Summary		The licensing queue by age, overdue applications and counts per status
//	@Description	The licensing department's dashboard, counted by the database: the open applications (`submitted`, `in_review`, `needs_revision`) by whole days since their first submission (0–2, 3–5, 6–10, 11–20, over 20; `max_days` null on the last) and status; how many `submitted` or `in_review` applications are past their `sla_due_at`; and how many applications there are in every status, drafts included.
//	@ID				getLicensingSummary
//	@Tags			permits
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	licensingSummary
//	@Failure		401	{object}	problem.Problem	"no or invalid token"
//	@Failure		403	{object}	problem.Problem	"not licensing staff"
//	@Router			/staff/summary/licensing [get]
func GetSummary(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		sum, err := svc.Summary(c.Request.Context())
		if err != nil {
			return err
		}
		out := licensingSummary{At: sum.At, Overdue: sum.Overdue, Queue: make([]ageCountResult, 0, len(sum.Queue)),
			ByStatus: make([]statusCountItem, 0, len(Statuses))}
		for _, q := range sum.Queue {
			r := ageCountResult{MinDays: q.Min, MaxDays: q.Max, Submitted: q.ByStatus[Submitted], InReview: q.ByStatus[InReview],
				NeedsRevision: q.ByStatus[NeedsRevision]}
			r.Total = r.Submitted + r.InReview + r.NeedsRevision
			out.Queue = append(out.Queue, r)
		}
		for _, st := range Statuses {
			out.ByStatus = append(out.ByStatus, statusCountItem{Status: string(st), Count: sum.ByStatus[st]})
		}
		for _, st := range Open {
			out.Open += sum.ByStatus[st]
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
		return nil
	}
}
