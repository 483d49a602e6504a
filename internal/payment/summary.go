package payment

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/civil"
)

// DayTotal is what was received on one day in Asia/Jakarta.
type DayTotal struct {
	Date      civil.Date
	Payments  int64
	AmountIDR int64
}

// PaidPerDay returns every day of the current month in Asia/Jakarta up to
// today with the receipts issued on it (payments that became paid), summed
// by the database in one pass over the month's receipts.
func (s *Service) PaidPerDay(ctx context.Context) ([]DayTotal, error) {
	today := civil.TodayInJakarta(s.now())
	first := civil.Date{Year: today.Year, Month: today.Month, Day: 1}
	days := today.Day
	var cols []string
	var args []any
	for d := 1; d <= days; d++ {
		from := time.Date(first.Year, first.Month, d, 0, 0, 0, 0, civil.Jakarta).UTC()
		until := from.Add(24 * time.Hour)
		cols = append(cols,
			fmt.Sprintf("COALESCE(SUM(CASE WHEN paid_at >= ? AND paid_at < ? THEN 1 ELSE 0 END), 0) AS n%d", d),
			fmt.Sprintf("COALESCE(SUM(CASE WHEN paid_at >= ? AND paid_at < ? THEN amount_idr ELSE 0 END), 0) AS a%d", d))
		args = append(args, from, until, from, until)
	}
	start := time.Date(first.Year, first.Month, 1, 0, 0, 0, 0, civil.Jakarta).UTC()
	end := time.Date(first.Year, first.Month, days+1, 0, 0, 0, 0, civil.Jakarta).UTC()
	args = append(args, start, end)
	row := map[string]any{}
	err := s.db.WithContext(ctx).Raw("SELECT "+strings.Join(cols, ", ")+
		" FROM payment_receipts WHERE paid_at >= ? AND paid_at < ?", args...).Take(&row).Error
	if err != nil {
		return nil, fmt.Errorf("payments per day: %w", err)
	}
	out := make([]DayTotal, 0, days)
	for d := 1; d <= days; d++ {
		out = append(out, DayTotal{Date: civil.Date{Year: first.Year, Month: first.Month, Day: d},
			Payments: asInt64(row[fmt.Sprintf("n%d", d)]), AmountIDR: asInt64(row[fmt.Sprintf("a%d", d)])})
	}
	return out, nil
}

// asInt64 reads an aggregate, which drivers hand back as int64, float64,
// or (PostgreSQL's numeric SUM) text.
func asInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case []byte:
		var n int64
		_, _ = fmt.Sscan(string(x), &n)
		return n
	case string:
		var n int64
		_, _ = fmt.Sscan(x, &n)
		return n
	}
	return 0
}

// Outstanding is what a revenue domain says is still owed.
type Outstanding struct {
	Bills        int64
	PrincipalIDR int64
	Overdue      int64
	OverdueIDR   int64
}

// Owed reports the unpaid bills (tax.Service, adapted in internal/server).
type Owed func(ctx context.Context) (Outstanding, error)

type revenueSummary struct {
	Month      string           `json:"month" maxLength:"7" pattern:"^[0-9]{4}-[0-9]{2}$" example:"2026-12"`
	Gateway    string           `json:"gateway" enums:"sandbox,midtrans,none" maxLength:"16" example:"sandbox"` // sandbox: staff may settle payments by hand
	Days       []dayTotalResult `json:"days" validate:"max=31"`
	PaidIDR    int64            `json:"paid_idr" format:"int64" minimum:"0" maximum:"9000000000000000" example:"12500000"` // this month so far
	Unpaid     int64            `json:"unpaid_bills" format:"int64" minimum:"0" maximum:"9000000000000000" example:"42"`
	UnpaidIDR  int64            `json:"unpaid_idr" format:"int64" minimum:"0" maximum:"9000000000000000" example:"31800000"` // principal of the unpaid bills, penalties not included
	Overdue    int64            `json:"overdue_bills" format:"int64" minimum:"0" maximum:"9000000000000000" example:"9"`
	OverdueIDR int64            `json:"overdue_idr" format:"int64" minimum:"0" maximum:"9000000000000000" example:"7600000"`
} // @name RevenueSummary

type dayTotalResult struct {
	Date      string `json:"date" format:"date" maxLength:"10" example:"2026-12-01"`
	Payments  int64  `json:"payments" format:"int64" minimum:"0" maximum:"9000000000000000" example:"3"`
	AmountIDR int64  `json:"amount_idr" format:"int64" minimum:"0" maximum:"9000000000000000" example:"450000"`
} // @name RevenueDay

// GetRevenueSummary handles GET /api/v1/staff/summary/revenue.
//
//	@Summary		Payments per day this month and the amount still unpaid
//	@Description	The revenue department's dashboard, summed by the database: for every day of the current month in Asia/Jakarta up to today, the payments that became paid and their amount; the unpaid bills (a payment may be pending on some) with their principal, penalties not included, and those past their due date. `gateway` names the payment gateway of this instance: with `sandbox`, staff may settle a pending payment by hand (POST /sandbox/payments/{id}/settle); with `none` there are no payments.
//	@ID				getRevenueSummary
//	@Tags			payments
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	revenueSummary
//	@Failure		401	{object}	problem.Problem	"no or invalid token"
//	@Failure		403	{object}	problem.Problem	"not revenue staff"
//	@Router			/staff/summary/revenue [get]
func GetRevenueSummary(svc *Service, owed Owed, gateway string) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		days, err := svc.PaidPerDay(ctx)
		if err != nil {
			return err
		}
		o, err := owed(ctx)
		if err != nil {
			return err
		}
		out := revenueSummary{Gateway: gateway, Days: make([]dayTotalResult, 0, len(days)),
			Unpaid: o.Bills, UnpaidIDR: o.PrincipalIDR, Overdue: o.Overdue, OverdueIDR: o.OverdueIDR}
		for _, d := range days {
			out.Month = d.Date.String()[:7]
			out.PaidIDR += d.AmountIDR
			out.Days = append(out.Days, dayTotalResult{Date: d.Date.String(), Payments: d.Payments, AmountIDR: d.AmountIDR})
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
		return nil
	}
}
