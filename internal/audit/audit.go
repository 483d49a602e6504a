// Package audit records who changed what, and lets admins read it back.
// Entries are written in the same transaction as the change they describe,
// so the log can neither miss a change nor record one that rolled back.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// Entry is one recorded write, as stored.
type Entry struct {
	ID         uuid.UUID
	ActorID    *uuid.UUID
	ActorEmail string
	Action     string
	Entity     string
	EntityID   string
	RequestID  string
	IP         string
	Details    string
	At         time.Time
}

func (Entry) TableName() string { return "audit_log" }

// Record writes an entry for the request behind ctx inside tx, the caller's
// transaction, so the entry commits or rolls back with the change it
// describes. Every row that describes a change (audit entries,
// notifications, jobs) is written this way: a function or interface method
// that takes the caller's tx. details, when not nil, is stored as JSON
// (never put secrets or full NIKs in it).
func Record(ctx context.Context, tx *gorm.DB, action, entity, entityID string, details any) error {
	m := web.MetaFrom(ctx)
	e := Entry{
		ID: uuid.Must(uuid.NewV7()), ActorEmail: m.ActorEmail, Action: action, Entity: entity,
		EntityID: entityID, RequestID: m.ID, IP: m.IP, At: time.Now().UTC(),
	}
	if m.ActorID != uuid.Nil {
		id := m.ActorID
		e.ActorID = &id
	}
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return err
		}
		e.Details = string(b)
	}
	return tx.WithContext(ctx).Create(&e).Error
}

// Service reads the log back for administrators.
type Service struct{ db *database.DB }

// NewService returns the audit log reader over db.
func NewService(db *database.DB) *Service { return &Service{db: db} }

// Filter narrows the log; zero fields match everything.
type Filter struct {
	ActorID          *uuid.UUID
	Entity, EntityID string
	Action           string
	From, To         time.Time // at or after From, before To
}

// List returns up to limit entries matching f older than after (ids are
// UUIDv7, so id order is time order), newest first, and whether more follow.
func (s *Service) List(ctx context.Context, f Filter, after *uuid.UUID, limit int) ([]Entry, bool, error) {
	q := s.db.WithContext(ctx).Model(&Entry{})
	if f.ActorID != nil {
		q = q.Where("actor_id = ?", *f.ActorID)
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if after != nil {
		q = q.Where("id < ?", *after)
	}
	var rows []Entry
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list audit log: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	return rows, more, nil
}
