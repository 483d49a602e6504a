package tax

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/nik"
	"github.com/solodestination/api/pkg/nop"
)

// Staff writes. Who may call them is decided by the route group (revenue
// staff and admins); every one is audited in its own transaction, with the
// owner's NIK masked.

// ObjectDraft is a new tax object.
type ObjectDraft struct {
	NOP       nop.NOP
	Type      Type
	Address   string
	OwnerName string
	OwnerNIK  nik.NIK
}

// ObjectChange is a partial update of a tax object; nil fields stay.
type ObjectChange struct {
	NOP       *nop.NOP
	Type      *Type
	Address   *string
	OwnerName *string
	OwnerNIK  *nik.NIK
}

// StaffObject is an object with whether a verified citizen owns it.
type StaffObject struct {
	Object
	Linked bool
}

var errNOPTaken = apperr.StateConflict("nop_taken", "A tax object with this NOP exists.")

// CreateObject adds a tax object; its NOP must be new. It is linked at once
// to the account whose verified NIK is the owner's.
func (s *Service) CreateObject(ctx context.Context, d ObjectDraft) (StaffObject, error) {
	sealed, err := s.vault.Seal(d.OwnerNIK)
	if err != nil {
		return StaffObject{}, err
	}
	now := s.now()
	row := objectRow{ID: uuid.Must(uuid.NewV7()), NOP: d.NOP.Digits(), TaxType: string(d.Type), Address: d.Address,
		OwnerName: d.OwnerName, OwnerNIKCipher: sealed.Cipher, OwnerNIKIndex: sealed.Index, OwnerNIKMasked: sealed.Masked,
		CreatedAt: now, UpdatedAt: now}
	var out StaffObject
	err = s.db.InTx(ctx, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return fmt.Errorf("insert tax object: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errNOPTaken
		}
		linked, err := s.isLinked(ctx, tx, row.OwnerNIKIndex)
		if err != nil {
			return err
		}
		out = StaffObject{Object: row.toDomain(), Linked: linked}
		return audit.Record(ctx, tx, "tax_object.create", "tax_object", row.ID.String(),
			map[string]any{"nop": d.NOP.String(), "type": d.Type, "owner_nik_masked": sealed.Masked})
	})
	return out, err
}

func (s *Service) isLinked(ctx context.Context, tx *gorm.DB, ownerIndex string) (bool, error) {
	var n int64
	err := tx.WithContext(ctx).Model(&profileRow{}).Where("nik_index = ? AND status = ?", ownerIndex, ProfileVerified).
		Limit(1).Count(&n).Error
	return n > 0, err
}

// UpdateObject changes the given fields of a tax object. A new owner NIK
// moves the object to the account verified for it, if any.
func (s *Service) UpdateObject(ctx context.Context, id uuid.UUID, ch ObjectChange) (StaffObject, error) {
	var out StaffObject
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		db := tx.WithContext(ctx)
		var r objectRow
		err := db.Where("id = ?", id).Take(&r).Error
		if database.IsNotFound(err) {
			return apperr.Missing("tax object", id)
		}
		if err != nil {
			return fmt.Errorf("load tax object: %w", err)
		}
		changed := []string{}
		if ch.NOP != nil && ch.NOP.Digits() != r.NOP {
			var n int64
			if err := db.Model(&objectRow{}).Where("nop = ?", ch.NOP.Digits()).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return errNOPTaken
			}
			r.NOP = ch.NOP.Digits()
			changed = append(changed, "nop")
		}
		if ch.Type != nil {
			r.TaxType = string(*ch.Type)
			changed = append(changed, "type")
		}
		if ch.Address != nil {
			r.Address = *ch.Address
			changed = append(changed, "address")
		}
		if ch.OwnerName != nil {
			r.OwnerName = *ch.OwnerName
			changed = append(changed, "owner_name")
		}
		if ch.OwnerNIK != nil {
			sealed, err := s.vault.Seal(*ch.OwnerNIK)
			if err != nil {
				return err
			}
			r.OwnerNIKCipher, r.OwnerNIKIndex, r.OwnerNIKMasked = sealed.Cipher, sealed.Index, sealed.Masked
			changed = append(changed, "owner_nik")
		}
		r.UpdatedAt = s.now()
		res := db.Model(&objectRow{}).Where("id = ?", id).Select("nop", "tax_type", "address", "owner_name",
			"owner_nik_cipher", "owner_nik_index", "owner_nik_masked", "updated_at").Updates(&r)
		if database.IsDuplicate(res.Error) {
			return errNOPTaken
		}
		if res.Error != nil {
			return fmt.Errorf("update tax object: %w", res.Error)
		}
		linked, err := s.isLinked(ctx, tx, r.OwnerNIKIndex)
		if err != nil {
			return err
		}
		out = StaffObject{Object: r.toDomain(), Linked: linked}
		return audit.Record(ctx, tx, "tax_object.update", "tax_object", id.String(),
			map[string]any{"changed": changed, "owner_nik_masked": r.OwnerNIKMasked})
	})
	return out, err
}

// BillDraft is a new bill.
type BillDraft struct {
	ObjectID     uuid.UUID
	Period       string
	Year         int
	PrincipalIDR int64
	DueDate      civil.Date
}

// CreateBill assesses an object for a period, once: a second bill for the
// same object and period → 409 bill_exists. The answer carries the
// penalty as of today.
func (s *Service) CreateBill(ctx context.Context, d BillDraft) (Bill, error) {
	now := s.now()
	row := billRow{ID: uuid.Must(uuid.NewV7()), ObjectID: d.ObjectID, Period: d.Period, Year: d.Year,
		PrincipalIDR: d.PrincipalIDR, DueDate: d.DueDate, Status: string(BillUnpaid), CreatedAt: now, UpdatedAt: now}
	var out Bill
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		db := tx.WithContext(ctx)
		var n int64
		if err := db.Model(&objectRow{}).Where("id = ?", d.ObjectID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.FieldInvalid("object_id", "no tax object has this id")
		}
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return fmt.Errorf("insert bill: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.StateConflict("bill_exists", "This object already has a bill for period "+d.Period+".")
		}
		v, err := billByID(ctx, tx, row.ID)
		if err != nil {
			return err
		}
		out = v.toDomain()
		return audit.Record(ctx, tx, "tax_bill.create", "tax_bill", row.ID.String(),
			map[string]any{"object_id": d.ObjectID, "period": d.Period, "principal_idr": d.PrincipalIDR, "due_date": d.DueDate})
	})
	if err != nil {
		return Bill{}, err
	}
	return out, out.assess(s.Today())
}
