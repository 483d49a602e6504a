package identity

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

type userRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	Email         string
	PasswordHash  string
	Name          string
	Phone         string
	PreferredLang string
	Role          string
	Department    *string
	Disabled      bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) toDomain() user {
	u := user{ID: r.ID, Email: r.Email, PasswordHash: r.PasswordHash, Name: r.Name, Phone: r.Phone,
		PreferredLang: Lang(r.PreferredLang), Role: Role(r.Role), Disabled: r.Disabled,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Department != nil {
		u.Department = Department(*r.Department)
	}
	return u
}

func fromDomain(u user) userRow {
	r := userRow{ID: u.ID, Email: u.Email, PasswordHash: u.PasswordHash, Name: u.Name, Phone: u.Phone,
		PreferredLang: string(u.PreferredLang), Role: string(u.Role), Disabled: u.Disabled,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
	if u.Department != "" {
		d := string(u.Department)
		r.Department = &d
	}
	return r
}

type refreshRow struct {
	ID              uuid.UUID `gorm:"primaryKey"`
	UserID          uuid.UUID
	FamilyID        uuid.UUID
	FamilyStartedAt time.Time
	TokenHash       []byte
	ExpiresAt       time.Time
	UsedAt          *time.Time
	RevokedAt       *time.Time
	CreatedAt       time.Time
}

func (refreshRow) TableName() string { return "refresh_tokens" }

// store runs identity queries on a handle that may be a transaction.
type store struct{ db *gorm.DB }

func (s store) insertUser(ctx context.Context, u user) error {
	err := s.db.WithContext(ctx).Create(fromDomain(u)).Error
	if database.IsDuplicate(err) {
		return apperr.StateConflict("conflict", "An account with this email already exists.")
	}
	return err
}

func (s store) userByID(ctx context.Context, id uuid.UUID) (user, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return user{}, apperr.Missing("user", id)
	}
	return r.toDomain(), err
}

func (s store) userByIDForUpdate(ctx context.Context, id uuid.UUID) (user, error) {
	var r userRow
	q := s.db.WithContext(ctx).Where("id = ?", id)
	if s.db.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&r).Error
	if database.IsNotFound(err) {
		return user{}, apperr.Missing("user", id)
	}
	return r.toDomain(), err
}

// userByEmail returns ok=false, not an error, for an unknown email: login
// must treat both cases alike.
func (s store) userByEmail(ctx context.Context, email string) (user, bool, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("email = ?", email).Take(&r).Error
	if database.IsNotFound(err) {
		return user{}, false, nil
	}
	if err != nil {
		return user{}, false, err
	}
	return r.toDomain(), true, nil
}

func (s store) adminExists(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&userRow{}).Where("role = ?", RoleAdmin).Limit(1).Count(&n).Error
	return n > 0, err
}

func (s store) updateProfile(ctx context.Context, u user) error {
	return s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", u.ID).Updates(map[string]any{
		"name": u.Name, "phone": u.Phone, "preferred_lang": string(u.PreferredLang), "updated_at": u.UpdatedAt,
	}).Error
}

func (s store) updateAccess(ctx context.Context, u user) error {
	r := fromDomain(u)
	return s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", u.ID).Updates(map[string]any{
		"role": r.Role, "department": r.Department, "disabled": r.Disabled, "updated_at": r.UpdatedAt,
	}).Error
}

type userFilter struct {
	Query string
	Role  Role
	After uuid.UUID // keyset position: ids are UUIDv7, so newest first is id descending
	Limit int
}

func (s store) listUsers(ctx context.Context, f userFilter) ([]user, int64, error) {
	q := s.db.WithContext(ctx).Model(&userRow{})
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		q = q.Where("(email LIKE ? ESCAPE '\\' OR LOWER(name) LIKE ? ESCAPE '\\')", like, like)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.After != uuid.Nil {
		q = q.Where("id < ?", f.After)
	}
	var rows []userRow
	if err := q.Order("id DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]user, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s store) insertRefresh(ctx context.Context, r refreshRow) error {
	return s.db.WithContext(ctx).Create(&r).Error
}

func (s store) refreshByHash(ctx context.Context, hash []byte) (refreshRow, bool, error) {
	var r refreshRow
	err := s.db.WithContext(ctx).Where("token_hash = ?", hash).Take(&r).Error
	if database.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

// markUsed spends a refresh token; false means someone spent it first.
func (s store) markUsed(ctx context.Context, id uuid.UUID, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&refreshRow{}).
		Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).Update("used_at", at)
	return res.RowsAffected == 1, res.Error
}

func (s store) revokeFamily(ctx context.Context, family uuid.UUID, at time.Time) error {
	return s.db.WithContext(ctx).Model(&refreshRow{}).
		Where("family_id = ? AND revoked_at IS NULL", family).Update("revoked_at", at).Error
}

func (s store) revokeAllOfUser(ctx context.Context, userID uuid.UUID, at time.Time) error {
	return s.db.WithContext(ctx).Model(&refreshRow{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at).Error
}

// pruneRefresh deletes at most limit refresh tokens that expired before now
// or were revoked before revokedBefore, and says how many.
func (s store) pruneRefresh(ctx context.Context, now, revokedBefore time.Time, limit int) (int64, error) {
	dead := s.db.Model(&refreshRow{}).Select("id").
		Where("expires_at < ? OR revoked_at < ?", now, revokedBefore).Limit(limit)
	res := s.db.WithContext(ctx).Where("id IN (?)", dead).Delete(&refreshRow{})
	return res.RowsAffected, res.Error
}
