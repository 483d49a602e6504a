package payment

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
)

type paymentRow struct {
	ID          uuid.UUID
	SubjectKind string
	SubjectID   uuid.UUID
	PayerID     uuid.UUID
	Provider    string
	Channel     string
	Status      string
	AmountIDR   int64 `gorm:"column:amount_idr"`
	Reference   string
	Masked      string `gorm:"column:reference_masked"`
	Period      string
	VANumber    string `gorm:"column:va_number"`
	QRString    string `gorm:"column:qr_string"`
	CheckoutURL string `gorm:"column:checkout_url"`
	ExpiresAt   time.Time
	PaidAt      *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (paymentRow) TableName() string { return "payments" }

func (r paymentRow) toDomain() Payment {
	p := Payment{ID: r.ID, SubjectKind: r.SubjectKind, SubjectID: r.SubjectID, PayerID: r.PayerID, Provider: r.Provider,
		Channel: Channel(r.Channel), Status: Status(r.Status), AmountIDR: r.AmountIDR, Reference: r.Reference, Masked: r.Masked, Period: r.Period,
		VANumber: r.VANumber, QRString: r.QRString, CheckoutURL: r.CheckoutURL, ExpiresAt: r.ExpiresAt.UTC(),
		CreatedAt: r.CreatedAt.UTC()}
	if r.PaidAt != nil {
		t := r.PaidAt.UTC()
		p.PaidAt = &t
	}
	return p
}

type receiptRow struct {
	PaymentID   uuid.UUID
	SubjectKind string
	SubjectID   uuid.UUID
	NTPD        string `gorm:"column:ntpd"`
	AmountIDR   int64  `gorm:"column:amount_idr"`
	Channel     string
	Reference   string
	Masked      string `gorm:"column:reference_masked"`
	Period      string
	PaidAt      time.Time
	CreatedAt   time.Time
}

func (receiptRow) TableName() string { return "payment_receipts" }

func (r receiptRow) toDomain() Receipt {
	return Receipt{NTPD: r.NTPD, PaymentID: r.PaymentID, SubjectKind: r.SubjectKind, SubjectID: r.SubjectID,
		AmountIDR: r.AmountIDR, Channel: Channel(r.Channel), Reference: r.Reference, Masked: r.Masked, Period: r.Period, PaidAt: r.PaidAt.UTC()}
}

func paymentByID(ctx context.Context, db *gorm.DB, id uuid.UUID) (paymentRow, error) {
	var rows []paymentRow
	if err := db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return paymentRow{}, fmt.Errorf("load payment: %w", err)
	}
	if len(rows) == 0 {
		return paymentRow{}, apperr.Missing("payment", id)
	}
	return rows[0], nil
}

func receiptOf(ctx context.Context, db *gorm.DB, paymentID uuid.UUID) (*Receipt, error) {
	var rows []receiptRow
	if err := db.WithContext(ctx).Where("payment_id = ?", paymentID).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load receipt: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0].toDomain()
	return &r, nil
}

// lockSubject takes the subject's row lock for the rest of tx (an upsert
// locks the row on PostgreSQL; SQLite runs one writer at a time anyway):
// starts and settlements of one subject then run one after another, and
// each sees what the one before it committed.
func lockSubject(ctx context.Context, tx *gorm.DB, kind string, id uuid.UUID, now time.Time) error {
	err := tx.WithContext(ctx).Exec(`INSERT INTO payment_subjects (subject_kind, subject_id, touched_at) VALUES (?, ?, ?)
		ON CONFLICT (subject_kind, subject_id) DO UPDATE SET touched_at = excluded.touched_at`, kind, id, now).Error
	if err != nil {
		return fmt.Errorf("lock payment subject: %w", err)
	}
	return nil
}
