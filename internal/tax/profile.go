package tax

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/cursor"
	"github.com/solodestination/api/pkg/nik"
)

// ProfileDraft is what a citizen submits: a checked NIK consistent with
// the birth date.
type ProfileDraft struct {
	NIK       nik.NIK
	FullName  string
	BirthDate civil.Date
}

// MyProfile returns the caller's citizen profile; none is 404.
func (s *Service) MyProfile(ctx context.Context, who identity.Actor) (Profile, error) {
	return profileByUser(ctx, s.db.DB, who.ID)
}

func profileByUser(ctx context.Context, db *gorm.DB, userID uuid.UUID) (Profile, error) {
	var r profileRow
	err := db.WithContext(ctx).Where("user_id = ?", userID).Take(&r).Error
	if database.IsNotFound(err) {
		return Profile{}, apperr.Missing("citizen profile", userID)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("load citizen profile: %w", err)
	}
	return r.toDomain(), nil
}

// SubmitProfile records the caller's NIK for review as pending. A pending
// or rejected profile is replaced; a verified one is final (409
// profile_verified), since objects and payments already hang on it.
func (s *Service) SubmitProfile(ctx context.Context, who identity.Actor, d ProfileDraft) (Profile, error) {
	sealed, err := s.vault.Seal(d.NIK)
	if err != nil {
		return Profile{}, err
	}
	now := s.now()
	var out Profile
	err = s.db.InTx(ctx, func(tx *gorm.DB) error {
		replace := func() (bool, error) {
			res := tx.WithContext(ctx).Model(&profileRow{}).
				Where("user_id = ? AND status <> ?", who.ID, ProfileVerified).
				Updates(map[string]any{"nik_cipher": sealed.Cipher, "nik_index": sealed.Index, "nik_masked": sealed.Masked,
					"full_name": d.FullName, "birth_date": d.BirthDate, "status": ProfilePending, "reject_reason": "",
					"submitted_at": now, "reviewed_at": nil, "reviewed_by": nil, "updated_at": now})
			if res.Error != nil {
				return false, fmt.Errorf("update citizen profile: %w", res.Error)
			}
			return res.RowsAffected == 1, nil
		}
		done, err := replace()
		if err != nil {
			return err
		}
		if !done {
			row := profileRow{UserID: who.ID, NIKCipher: sealed.Cipher, NIKIndex: sealed.Index, NIKMasked: sealed.Masked,
				FullName: d.FullName, BirthDate: d.BirthDate, Status: string(ProfilePending), SubmittedAt: now,
				CreatedAt: now, UpdatedAt: now}
			res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
			if res.Error != nil {
				return fmt.Errorf("insert citizen profile: %w", res.Error)
			}
			// Not inserted: the row exists, either verified or written by a
			// concurrent first submission, which this one then replaces.
			if res.RowsAffected == 0 {
				if done, err = replace(); err != nil {
					return err
				}
				if !done {
					return apperr.StateConflict("profile_verified",
						"Your citizen profile is verified and can no longer be changed; ask the revenue office (Bapenda) to correct it.")
				}
			}
		}
		p, err := profileByUser(ctx, tx, who.ID)
		out = p
		return err
	})
	return out, err
}

// ProfilePosition is where a page of profiles ended: oldest submission
// first, so the review queue is worked in order.
type ProfilePosition struct {
	At time.Time `json:"t"`
	ID uuid.UUID `json:"i"`
}

// Profiles returns up to limit profiles of the given status after the
// position, oldest submission first.
func (s *Service) Profiles(ctx context.Context, status ProfileStatus, after *ProfilePosition, limit int) ([]Profile, bool, error) {
	q := s.db.WithContext(ctx).Where("status = ?", status)
	if after != nil {
		at := after.At.UTC()
		q = q.Where("(submitted_at > ? OR (submitted_at = ? AND user_id > ?))", at, at, after.ID)
	}
	var rows []profileRow
	if err := q.Order("submitted_at, user_id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list citizen profiles: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out := make([]Profile, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, more, nil
}

// Verification is a verified profile and how many tax objects its NIK
// owns (linked to the account from now on, as are objects added later).
type Verification struct {
	Profile       Profile
	LinkedObjects int64
}

// VerifyProfile marks a pending profile verified, which links every tax
// object whose owner NIK matches. Verifying a verified profile answers it
// again; a rejected one waits for the citizen to resubmit (409); a NIK
// already verified for another account → 409 nik_taken.
func (s *Service) VerifyProfile(ctx context.Context, who identity.Actor, userID uuid.UUID) (Verification, error) {
	var out Verification
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		db := tx.WithContext(ctx)
		var r profileRow
		q := db.Where("user_id = ?", userID)
		if tx.Dialector.Name() == "postgres" { // SQLite transactions already hold the one write lock
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		err := q.Take(&r).Error
		if database.IsNotFound(err) {
			return apperr.Missing("citizen profile", userID)
		}
		if err != nil {
			return fmt.Errorf("load citizen profile: %w", err)
		}
		switch ProfileStatus(r.Status) {
		case ProfileVerified:
			out.Profile = r.toDomain()
			return db.Model(&objectRow{}).Where("owner_nik_index = ?", r.NIKIndex).Count(&out.LinkedObjects).Error
		case ProfileRejected:
			return apperr.StateConflict("invalid_transition", "This profile was rejected; the citizen has to submit it again.")
		}
		var taken int64
		if err := db.Model(&profileRow{}).Where("nik_index = ? AND status = ? AND user_id <> ?", r.NIKIndex, ProfileVerified, userID).
			Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return apperr.StateConflict("nik_taken", "This NIK is already verified for another account.")
		}
		now := s.now()
		res := db.Model(&profileRow{}).Where("user_id = ? AND status = ?", userID, ProfilePending).
			Updates(map[string]any{"status": ProfileVerified, "reviewed_at": now, "reviewed_by": who.ID, "updated_at": now})
		if database.IsDuplicate(res.Error) {
			return apperr.StateConflict("nik_taken", "This NIK is already verified for another account.")
		}
		if res.Error != nil {
			return fmt.Errorf("verify citizen profile: %w", res.Error)
		}
		if err := db.Model(&objectRow{}).Where("owner_nik_index = ?", r.NIKIndex).Count(&out.LinkedObjects).Error; err != nil {
			return err
		}
		r.Status, r.ReviewedAt = string(ProfileVerified), &now
		out.Profile = r.toDomain()
		return audit.Record(ctx, tx, "citizen_profile.verify", "citizen_profile", userID.String(),
			map[string]any{"nik_masked": r.NIKMasked, "linked_objects": out.LinkedObjects})
	})
	return out, err
}

// RejectProfile turns a pending profile down with a reason the citizen
// reads; they may submit again.
func (s *Service) RejectProfile(ctx context.Context, who identity.Actor, userID uuid.UUID, reason string) (Profile, error) {
	var out Profile
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		db := tx.WithContext(ctx)
		now := s.now()
		res := db.Model(&profileRow{}).Where("user_id = ? AND status = ?", userID, ProfilePending).
			Updates(map[string]any{"status": ProfileRejected, "reject_reason": reason, "reviewed_at": now,
				"reviewed_by": who.ID, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("reject citizen profile: %w", res.Error)
		}
		p, err := profileByUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return apperr.StateConflict("invalid_transition", "Only a pending profile can be rejected; this one is "+string(p.Status)+".")
		}
		out = p
		return audit.Record(ctx, tx, "citizen_profile.reject", "citizen_profile", userID.String(),
			map[string]any{"nik_masked": p.NIKMasked, "reason": reason})
	})
	return out, err
}
