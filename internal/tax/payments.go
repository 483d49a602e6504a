package tax

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/payment"
	"github.com/solodestination/api/internal/platform/apperr"
)

// What a payments domain needs from tax, through its own interface: the
// amount due on a bill today, and marking the bill paid in the payment's
// transaction. Tax knows nothing of gateways.

// Payable returns a bill with its amount due as of today, read with tx.
func (s *Service) Payable(ctx context.Context, tx *gorm.DB, billID uuid.UUID) (Bill, error) {
	v, err := billByID(ctx, tx, billID)
	if err != nil {
		return Bill{}, err
	}
	b := v.toDomain()
	return b, b.assess(s.Today())
}

// MarkPaid records, inside the caller's transaction, that payment paid the
// bill at paidAt. It is one conditional UPDATE, so of two payments racing
// for a bill exactly one wins; the same payment again is a no-op, and any
// other payment of a paid bill → 409 bill_paid.
func (s *Service) MarkPaid(ctx context.Context, tx *gorm.DB, billID, paymentID uuid.UUID, paidAt time.Time) error {
	res := tx.WithContext(ctx).Model(&billRow{}).
		Where("id = ? AND status IN ?", billID, []string{string(BillUnpaid), string(BillPending)}).
		Updates(map[string]any{"status": BillPaid, "payment_id": paymentID, "paid_at": paidAt.UTC(), "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("mark bill paid: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var rows []billRow
	if err := tx.WithContext(ctx).Where("id = ?", billID).Limit(1).Find(&rows).Error; err != nil {
		return fmt.Errorf("load bill: %w", err)
	}
	switch {
	case len(rows) == 0:
		return apperr.Missing("bill", billID)
	case rows[0].Status == string(BillPaid) && rows[0].PaymentID != nil && *rows[0].PaymentID == paymentID:
		return nil
	case rows[0].Status == string(BillPaid):
		return apperr.StateConflict("bill_paid", "This bill is already paid.")
	default:
		return apperr.StateConflict("invalid_transition", "This bill is "+rows[0].Status+" and cannot be paid.")
	}
}

// PaymentDue is Payable in the payments domain's terms: the amount due
// today (principal and penalty), the NOP the bank sees, and whether the
// bill can still be paid.
func (s *Service) PaymentDue(ctx context.Context, tx *gorm.DB, billID uuid.UUID) (payment.Due, error) {
	b, err := s.Payable(ctx, tx, billID)
	if err != nil {
		return payment.Due{}, err
	}
	return payment.Due{AmountIDR: b.TotalIDR, Reference: b.NOP.Digits(), Shown: b.NOP.Format(), Masked: b.NOP.Mask(), Period: b.Period,
		Settled: b.Status == BillPaid, Closed: b.Status == BillCancelled}, nil
}
