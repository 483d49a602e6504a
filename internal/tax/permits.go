package tax

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/permit"
)

// maxReklameBills bounds the bills one standing reads: no citizen has
// that many unpaid advertisement tax bills.
const maxReklameBills = 1000

// UnpaidReklame is the citizen's standing on reklame (advertisement) tax,
// for the permits domain: the unpaid bills of the reklame objects linked to
// their verified citizen profile, their total with penalties as of today,
// and how many are past their due date (Asia/Jakarta). A citizen without a
// verified profile owes nothing here.
func (s *Service) UnpaidReklame(ctx context.Context, userID uuid.UUID) (permit.UnpaidSummary, error) {
	var rows []billView
	err := billSelect(s.db.WithContext(ctx)).
		Where("o.owner_nik_index = ("+verifiedIndexOf+")", userID, ProfileVerified).
		Where("o.tax_type = ? AND b.status IN ?", Reklame, []BillStatus{BillUnpaid, BillPending}).
		Order("b.due_date, b.id").Limit(maxReklameBills).Scan(&rows).Error
	if err != nil {
		return permit.UnpaidSummary{}, fmt.Errorf("unpaid reklame bills: %w", err)
	}
	bills, err := s.assessAll(rows)
	if err != nil {
		return permit.UnpaidSummary{}, err
	}
	today := s.Today()
	var out permit.UnpaidSummary
	for _, b := range bills {
		out.Count++
		out.TotalIDR += b.TotalIDR
		if b.DueDate.Before(today) {
			out.Overdue++
		}
	}
	return out, nil
}
