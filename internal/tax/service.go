package tax

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/cursor"
	"github.com/solodestination/api/pkg/nop"
)

// Service is the local-tax use cases; it owns their transactions.
type Service struct {
	db    *database.DB
	vault *Vault
	now   func() time.Time
}

// NewService returns the tax service over db; vault keeps the NIKs and now
// is the clock that decides what "today" is for penalties.
func NewService(db *database.DB, vault *Vault, now func() time.Time) *Service {
	return &Service{db: db, vault: vault, now: func() time.Time { return now().UTC() }}
}

// SetClock replaces the clock; tests move time with it.
func (s *Service) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// Today is the service's current day in Asia/Jakarta, the day penalties are
// computed for.
func (s *Service) Today() civil.Date { return civil.TodayInJakarta(s.now()) }

// verifiedIndex is the blind index of the caller's verified NIK, or "" when
// the caller has none: such a caller owns no tax object.
func (s *Service) verifiedIndex(ctx context.Context, db *gorm.DB, userID uuid.UUID) (string, error) {
	var idx []string
	err := db.WithContext(ctx).Model(&profileRow{}).Where("user_id = ? AND status = ?", userID, ProfileVerified).
		Limit(1).Pluck("nik_index", &idx).Error
	if err != nil {
		return "", fmt.Errorf("load verified profile: %w", err)
	}
	if len(idx) == 0 {
		return "", nil
	}
	return idx[0], nil
}

// verifiedIndexOf is the blind index of a user's verified NIK as a scalar
// subquery: NULL, which matches no object, when there is none. Lists filter
// by it in their one query rather than reading the profile first.
const verifiedIndexOf = "SELECT nik_index FROM citizen_profiles WHERE user_id = ? AND status = ?"

// MyObjects returns up to limit of the tax objects linked to the caller
// (owned by their verified NIK) after the given id, by id.
func (s *Service) MyObjects(ctx context.Context, who identity.Actor, after *uuid.UUID, limit int) ([]Object, bool, error) {
	q := s.db.WithContext(ctx).Where("owner_nik_index = ("+verifiedIndexOf+")", who.ID, ProfileVerified)
	if after != nil {
		q = q.Where("id > ?", *after)
	}
	var rows []objectRow
	if err := q.Order("id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list my objects: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out := make([]Object, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, more, nil
}

// BillFilter narrows a bill list; zero fields match everything.
type BillFilter struct {
	Status BillStatus
	Year   int
}

// BillPosition is where a page of bills ended: latest due date first.
type BillPosition struct {
	Due string    `json:"d"`
	ID  uuid.UUID `json:"i"`
}

func billSelect(db *gorm.DB) *gorm.DB {
	return db.Table("tax_bills AS b").Select(billColumns).Joins("JOIN tax_objects o ON o.id = b.object_id")
}

// MyBills returns up to limit bills of the caller's objects matching f after
// the position, latest due date first, each assessed as of today.
func (s *Service) MyBills(ctx context.Context, who identity.Actor, f BillFilter, after *BillPosition, limit int) ([]Bill, bool, error) {
	q := billSelect(s.db.WithContext(ctx)).Where("o.owner_nik_index = ("+verifiedIndexOf+")", who.ID, ProfileVerified)
	if f.Status != "" {
		q = q.Where("b.status = ?", f.Status)
	}
	if f.Year != 0 {
		q = q.Where("b.year = ?", f.Year)
	}
	if after != nil {
		d, err := civil.Parse(after.Due)
		if err != nil {
			return nil, false, apperr.BadRequest("The cursor is invalid; start again without it.")
		}
		q = q.Where("(b.due_date < ? OR (b.due_date = ? AND b.id < ?))", d, d, after.ID)
	}
	rows, err := scanBillViews(q.Order("b.due_date DESC, b.id DESC").Limit(limit+1), limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("list my bills: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out, err := s.assessAll(rows)
	return out, more, err
}

func (s *Service) assessAll(rows []billView) ([]Bill, error) {
	today := s.Today()
	out := make([]Bill, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
		if err := out[i].assess(today); err != nil {
			return nil, fmt.Errorf("assess bill %s: %w", r.ID, err)
		}
	}
	return out, nil
}

func billByID(ctx context.Context, db *gorm.DB, id uuid.UUID) (billView, error) {
	rows, err := scanBillViews(billSelect(db.WithContext(ctx)).Where("b.id = ?", id).Limit(1), 1)
	if err != nil {
		return billView{}, fmt.Errorf("load bill: %w", err)
	}
	if len(rows) == 0 {
		return billView{}, apperr.Missing("bill", id)
	}
	return rows[0], nil
}

// Bill returns one bill assessed as of today, to its owner or revenue
// staff; to anyone else it does not exist.
func (s *Service) Bill(ctx context.Context, who identity.Actor, id uuid.UUID) (Bill, error) {
	v, err := billByID(ctx, s.db.DB, id)
	if err != nil {
		return Bill{}, err
	}
	if !who.IsStaffOf(identity.DeptRevenue) {
		idx, err := s.verifiedIndex(ctx, s.db.DB, who.ID)
		if err != nil {
			return Bill{}, err
		}
		if !ownsObject(idx, v.OwnerNIKIndex) {
			return Bill{}, apperr.Missing("bill", id)
		}
	}
	b := v.toDomain()
	return b, b.assess(s.Today())
}

// maxLookup bounds the bills one lookup answers with (a century of yearly
// bills, or eight years of monthly ones).
const maxLookup = 100

// Lookup returns the bills of the object with the given NOP (of one year
// when year is not 0), latest due first, so that anyone can pay one for a
// relative; an unknown NOP is 404.
func (s *Service) Lookup(ctx context.Context, n nop.NOP, year int) ([]Bill, error) {
	var obj objectRow
	err := s.db.WithContext(ctx).Where("nop = ?", n.Digits()).Take(&obj).Error
	if database.IsNotFound(err) {
		return nil, apperr.Missing("tax object", n.String())
	}
	if err != nil {
		return nil, fmt.Errorf("look up object: %w", err)
	}
	q := billSelect(s.db.WithContext(ctx)).Where("b.object_id = ?", obj.ID)
	if year != 0 {
		q = q.Where("b.year = ?", year)
	}
	rows, err := scanBillViews(q.Order("b.due_date DESC, b.id DESC").Limit(maxLookup), 4)
	if err != nil {
		return nil, fmt.Errorf("look up bills: %w", err)
	}
	return s.assessAll(rows)
}
