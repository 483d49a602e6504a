package permit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/pkg/civil"
)

// Notifier writes in-app messages with the caller's transaction
// (*notification.Service implements it).
type Notifier interface {
	Notify(ctx context.Context, tx *gorm.DB, msgs ...notification.Message) error
}

// Calendar is the national holiday calendar the SLA clock counts working
// days on, read in the caller's transaction (*holiday.Service implements
// it).
type Calendar interface {
	DaysWith(ctx context.Context, tx *gorm.DB, from, to civil.Date) (holiday.Days, error)
}

// UnpaidSummary is a citizen's unpaid reklame tax bills.
type UnpaidSummary struct {
	Count    int
	TotalIDR int64
	Overdue  int // unpaid and due before today (Asia/Jakarta)
}

// TaxStatus tells whether a citizen owes reklame tax (*tax.Service
// implements it from its own tables).
type TaxStatus interface {
	UnpaidReklame(ctx context.Context, userID uuid.UUID) (UnpaidSummary, error)
}

// reklame is the permit type whose approval waits for its holder's
// reklame tax.
const reklame = "reklame"

// Service is the permit use cases; it owns their transactions.
type Service struct {
	db      *database.DB
	notes   Notifier
	cal     Calendar
	tax     TaxStatus
	private *storage.Private
	now     func() time.Time
}

// NewService returns the permit service over db. Decision letters and
// documents go to private; now is the clock of the SLA and lead times.
func NewService(db *database.DB, notes Notifier, cal Calendar, tax TaxStatus, private *storage.Private, now func() time.Time) *Service {
	return &Service{db: db, notes: notes, cal: cal, tax: tax, private: private, now: func() time.Time { return now().UTC() }}
}

// SetClock replaces the clock; tests move time with it.
func (s *Service) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// Now is the service's current time.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) today() civil.Date { return holiday.DateIn(s.now()) }

// Types returns the current version of every permit type, by code.
func (s *Service) Types(ctx context.Context) ([]Type, error) {
	var rows []versionRow
	err := s.read(ctx).Table("permit_type_versions AS v").Select("v.*").
		Joins("JOIN permit_types t ON t.code = v.type_code AND t.current_version = v.version").
		Order("t.code").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list permit types: %w", err)
	}
	out := make([]Type, len(rows))
	for i, r := range rows {
		t, err := r.toDomain()
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

// TypeDraft is a permit type's definition as licensing staff write it.
type TypeDraft struct {
	Definition
	SLADays int
}

var errTypeExists = apperr.StateConflict("permit_type_exists", "A permit type with this code exists; change it with PUT.")

// CreateType adds a permit type at version 1, owned by the licensing
// department.
func (s *Service) CreateType(ctx context.Context, who identity.Actor, code string, d TypeDraft) (Type, error) {
	var out Type
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Create(&typeRow{Code: code, CurrentVersion: 1, CreatedAt: now, UpdatedAt: now})
		if res.Error != nil {
			return fmt.Errorf("insert permit type: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errTypeExists
		}
		var err error
		out, err = s.insertVersion(ctx, tx, who, code, 1, d)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "permit_type.create", "permit_type", code, map[string]any{"version": 1})
	})
	return out, err
}

// UpdateType makes d the type's next version: applications made under an
// earlier one keep it.
func (s *Service) UpdateType(ctx context.Context, who identity.Actor, code string, d TypeDraft) (Type, error) {
	var out Type
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		var t typeRow
		err := tx.WithContext(ctx).Where("code = ?", code).Take(&t).Error
		if database.IsNotFound(err) {
			return apperr.Missing("permit type", code)
		}
		if err != nil {
			return fmt.Errorf("load permit type: %w", err)
		}
		next := t.CurrentVersion + 1
		res := tx.WithContext(ctx).Model(&typeRow{}).Where("code = ? AND current_version = ?", code, t.CurrentVersion).
			Updates(map[string]any{"current_version": next, "updated_at": s.now()})
		if res.Error != nil {
			return fmt.Errorf("bump permit type: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.StateConflict("permit_type_changed", "The permit type changed meanwhile; read it and try again.")
		}
		if out, err = s.insertVersion(ctx, tx, who, code, next, d); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "permit_type.update", "permit_type", code, map[string]any{"version": next})
	})
	return out, err
}

func (s *Service) insertVersion(ctx context.Context, tx *gorm.DB, who identity.Actor, code string, version int, d TypeDraft) (Type, error) {
	def, err := json.Marshal(d.Definition)
	if err != nil {
		return Type{}, err
	}
	r := versionRow{ID: uuid.Must(uuid.NewV7()), TypeCode: code, Version: version, Definition: string(def),
		Department: string(identity.DeptLicensing), SLADays: d.SLADays, CreatedAt: s.now()}
	if !who.Anonymous() {
		r.CreatedBy = &who.ID
	}
	if err := tx.WithContext(ctx).Create(&r).Error; err != nil {
		return Type{}, fmt.Errorf("insert permit type version: %w", err)
	}
	return r.toDomain()
}

// read is the handle of the public reads (permit types, verification): an
// anonymous caller's may come from a read replica; licensing staff after an
// edit read the primary.
func (s *Service) read(ctx context.Context) *gorm.DB { return identity.ReadHandle(ctx, s.db) }
