package tax

import (
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/nop"
)

// Rows never hold a NIK in the clear: *_cipher is the Vault's ciphertext,
// *_index its blind index, *_masked the shown form.

type profileRow struct {
	UserID       uuid.UUID `gorm:"primaryKey"`
	NIKCipher    string    `gorm:"column:nik_cipher"`
	NIKIndex     string    `gorm:"column:nik_index"`
	NIKMasked    string    `gorm:"column:nik_masked"`
	FullName     string
	BirthDate    civil.Date
	Status       string
	RejectReason string
	SubmittedAt  time.Time
	ReviewedAt   *time.Time
	ReviewedBy   *uuid.UUID
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (profileRow) TableName() string { return "citizen_profiles" }

func (r profileRow) toDomain() Profile {
	p := Profile{UserID: r.UserID, NIKMasked: r.NIKMasked, FullName: r.FullName, BirthDate: r.BirthDate,
		Status: ProfileStatus(r.Status), RejectReason: r.RejectReason, SubmittedAt: r.SubmittedAt.UTC()}
	if r.ReviewedAt != nil {
		t := r.ReviewedAt.UTC()
		p.ReviewedAt = &t
	}
	return p
}

type objectRow struct {
	ID             uuid.UUID `gorm:"primaryKey"`
	NOP            string    `gorm:"column:nop"`
	TaxType        string
	Address        string
	OwnerName      string
	OwnerNIKCipher string `gorm:"column:owner_nik_cipher"`
	OwnerNIKIndex  string `gorm:"column:owner_nik_index"`
	OwnerNIKMasked string `gorm:"column:owner_nik_masked"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (objectRow) TableName() string { return "tax_objects" }

func (r objectRow) toDomain() Object {
	n, _ := nop.Parse(r.NOP) // written by us from a parsed NOP
	return Object{ID: r.ID, NOP: n, Type: Type(r.TaxType), Address: r.Address, OwnerName: r.OwnerName,
		OwnerNIKMasked: r.OwnerNIKMasked, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

type billRow struct {
	ID           uuid.UUID `gorm:"primaryKey"`
	ObjectID     uuid.UUID
	Period       string
	Year         int
	PrincipalIDR int64 `gorm:"column:principal_idr"`
	DueDate      civil.Date
	Status       string
	PaymentID    *uuid.UUID
	PaidAt       *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (billRow) TableName() string { return "tax_bills" }

// billView is a bill joined with its object (billSelect).
type billView struct {
	ID            uuid.UUID
	ObjectID      uuid.UUID
	Period        string
	Year          int
	PrincipalIDR  int64 `gorm:"column:principal_idr"`
	DueDate       civil.Date
	Status        string
	PaidAt        *time.Time
	CreatedAt     time.Time
	NOP           string `gorm:"column:nop"`
	TaxType       string
	OwnerName     string
	OwnerNIKIndex string `gorm:"column:owner_nik_index"`
}

func (v billView) toDomain() Bill {
	n, _ := nop.Parse(v.NOP)
	b := Bill{ID: v.ID, ObjectID: v.ObjectID, NOP: n, Type: Type(v.TaxType), OwnerName: v.OwnerName, Period: v.Period,
		Year: v.Year, PrincipalIDR: v.PrincipalIDR, DueDate: v.DueDate, Status: BillStatus(v.Status), CreatedAt: v.CreatedAt.UTC()}
	if v.PaidAt != nil {
		t := v.PaidAt.UTC()
		b.PaidAt = &t
	}
	return b
}

const billColumns = "b.id, b.object_id, b.period, b.year, b.principal_idr, b.due_date, b.status, b.paid_at, b.created_at, " +
	"o.nop, o.tax_type, o.owner_name, o.owner_nik_index"

// scanBillViews reads the rows of a billSelect query column by column, in
// billColumns' order. The bill lists are the tax reads citizens repeat most
// (GET /me/tax-bills), and matching columns to fields by reflection, as
// gorm's Scan does, was a third of their CPU.
func scanBillViews(q *gorm.DB, capacity int) ([]billView, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]billView, 0, capacity)
	for rows.Next() {
		var v billView
		if err := rows.Scan(&v.ID, &v.ObjectID, &v.Period, &v.Year, &v.PrincipalIDR, &v.DueDate, &v.Status, &v.PaidAt,
			&v.CreatedAt, &v.NOP, &v.TaxType, &v.OwnerName, &v.OwnerNIKIndex); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
