package tax

import (
	"context"
	"fmt"

	"github.com/solodestination/api/pkg/civil"
)

// Outstanding is what the city is still owed on its bills: the unpaid ones
// (a payment may be pending on some), their principal, and how many of them
// are past their due date as of today in Asia/Jakarta.
type Outstanding struct {
	Bills        int64
	PrincipalIDR int64 `gorm:"column:principal_idr"`
	Overdue      int64
	OverdueIDR   int64 `gorm:"column:overdue_idr"`
}

// Outstanding sums the unpaid bills in the database.
func (s *Service) Outstanding(ctx context.Context) (Outstanding, error) {
	today := civil.TodayInJakarta(s.now())
	var out Outstanding
	err := s.db.WithContext(ctx).Model(&billRow{}).
		Where("status IN ?", []string{string(BillUnpaid), string(BillPending)}).
		Select("COUNT(*) AS bills, COALESCE(SUM(principal_idr), 0) AS principal_idr, "+
			"COALESCE(SUM(CASE WHEN due_date < ? THEN 1 ELSE 0 END), 0) AS overdue, "+
			"COALESCE(SUM(CASE WHEN due_date < ? THEN principal_idr ELSE 0 END), 0) AS overdue_idr", today, today).
		Scan(&out).Error
	if err != nil {
		return Outstanding{}, fmt.Errorf("outstanding bills: %w", err)
	}
	return out, nil
}
