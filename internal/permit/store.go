package permit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
)

type typeRow struct {
	Code           string `gorm:"primaryKey"`
	CurrentVersion int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (typeRow) TableName() string { return "permit_types" }

type versionRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	TypeCode   string
	Version    int
	Definition string
	Department string
	SLADays    int `gorm:"column:sla_days"`
	CreatedBy  *uuid.UUID
	CreatedAt  time.Time
}

func (versionRow) TableName() string { return "permit_type_versions" }

func (r versionRow) toDomain() (Type, error) {
	t := Type{Code: r.TypeCode, Version: r.Version, VersionID: r.ID, Department: identity.Department(r.Department),
		SLADays: r.SLADays, CreatedAt: r.CreatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Definition), &t.Definition); err != nil {
		return Type{}, fmt.Errorf("permit type %s v%d: %w", r.TypeCode, r.Version, err)
	}
	return t, nil
}

type applicationRow struct {
	ID             uuid.UUID `gorm:"primaryKey"`
	UserID         uuid.UUID
	TypeCode       string
	TypeVersionID  uuid.UUID
	Status         string
	Data           string
	TrackingNumber *string
	PermitNumber   *string
	ValidUntil     *civil.Date
	SubmittedAt    *time.Time
	SLAStartedAt   *time.Time `gorm:"column:sla_started_at"`
	SLAUsedDays    int        `gorm:"column:sla_used_days"`
	SLADueAt       *time.Time `gorm:"column:sla_due_at"`
	DecidedAt      *time.Time
	LetterKey      *string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (applicationRow) TableName() string { return "permit_applications" }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (r applicationRow) toDomain(t Type) (Application, error) {
	a := Application{ID: r.ID, UserID: r.UserID, Type: t, Status: Status(r.Status), TrackingNumber: str(r.TrackingNumber),
		PermitNumber: str(r.PermitNumber), ValidUntil: r.ValidUntil, SubmittedAt: utcPtr(r.SubmittedAt),
		SLADueAt: utcPtr(r.SLADueAt), DecidedAt: utcPtr(r.DecidedAt), CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), HasLetter: r.LetterKey != nil}
	if err := json.Unmarshal([]byte(r.Data), &a.Data); err != nil {
		return Application{}, fmt.Errorf("application %s data: %w", r.ID, err)
	}
	return a, nil
}

type historyRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	ApplicationID uuid.UUID
	FromStatus    string
	ToStatus      string
	ActorID       *uuid.UUID
	ActorRole     string
	Note          string
	At            time.Time
}

func (historyRow) TableName() string { return "permit_history" }

type documentRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	ApplicationID uuid.UUID
	Code          string
	Filename      string
	ContentType   string
	Size          int64
	SHA256        string `gorm:"column:sha256"`
	StorageKey    string
	UploadedBy    uuid.UUID
	UploadedAt    time.Time
	SupersededAt  *time.Time
}

func (documentRow) TableName() string { return "permit_documents" }

func (r documentRow) toDomain() StoredDocument {
	return StoredDocument{ID: r.ID, Code: r.Code, Filename: r.Filename, ContentType: r.ContentType, Size: r.Size,
		SHA256: r.SHA256, UploadedAt: r.UploadedAt.UTC(), SupersededAt: utcPtr(r.SupersededAt), key: r.StorageKey}
}

// currentVersion loads the version of a type applications are made under
// now; an unknown code is 404.
func currentVersion(ctx context.Context, db *gorm.DB, code string) (Type, error) {
	var rows []versionRow
	err := db.WithContext(ctx).Table("permit_type_versions AS v").Select("v.*").
		Joins("JOIN permit_types t ON t.code = v.type_code AND t.current_version = v.version").
		Where("t.code = ?", code).Limit(1).Scan(&rows).Error
	if err != nil {
		return Type{}, fmt.Errorf("load permit type: %w", err)
	}
	if len(rows) == 0 {
		return Type{}, apperr.Missing("permit type", code)
	}
	return rows[0].toDomain()
}

// versionByID loads one version, current or not.
func versionByID(ctx context.Context, db *gorm.DB, id uuid.UUID) (Type, error) {
	var r versionRow
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return Type{}, fmt.Errorf("load permit type version %s: %w", id, err)
	}
	return r.toDomain()
}

// versions loads the versions with the given ids at once.
func versions(ctx context.Context, db *gorm.DB, ids []uuid.UUID) (map[uuid.UUID]Type, error) {
	out := map[uuid.UUID]Type{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []versionRow
	if err := db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load permit type versions: %w", err)
	}
	for _, r := range rows {
		t, err := r.toDomain()
		if err != nil {
			return nil, err
		}
		out[r.ID] = t
	}
	return out, nil
}

func loadApplication(ctx context.Context, db *gorm.DB, id uuid.UUID) (applicationRow, error) {
	var r applicationRow
	err := db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return r, apperr.Missing("permit application", id)
	}
	if err != nil {
		return r, fmt.Errorf("load permit application: %w", err)
	}
	return r, nil
}

// currentDocuments are the documents of an application not replaced since.
func currentDocuments(ctx context.Context, db *gorm.DB, appID uuid.UUID) ([]StoredDocument, error) {
	var rows []documentRow
	err := db.WithContext(ctx).Where("application_id = ? AND superseded_at IS NULL", appID).
		Order("uploaded_at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	out := make([]StoredDocument, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

func history(ctx context.Context, db *gorm.DB, appID uuid.UUID) ([]HistoryEntry, error) {
	var rows []historyRow
	if err := db.WithContext(ctx).Where("application_id = ?", appID).Order("at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load history: %w", err)
	}
	out := make([]HistoryEntry, len(rows))
	for i, r := range rows {
		out[i] = HistoryEntry{From: Status(r.FromStatus), To: Status(r.ToStatus), By: Party(r.ActorRole),
			ActorID: r.ActorID, Note: r.Note, At: r.At.UTC()}
	}
	return out, nil
}

// nextNumber adds one to the counter of kind in year and returns it, in
// tx: the upsert holds the counter's row until tx ends, so two
// transactions never get the same number, on either database.
func nextNumber(ctx context.Context, tx *gorm.DB, kind string, year int) (int64, error) {
	var n int64
	err := tx.WithContext(ctx).Raw(`INSERT INTO permit_counters (kind, year, value) VALUES (?, ?, 1)
		ON CONFLICT (kind, year) DO UPDATE SET value = permit_counters.value + 1 RETURNING value`, kind, year).
		Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("next %s number: %w", kind, err)
	}
	return n, nil
}
