// Package audit records who changed what, and lets admins read it back.
// Entries are written in the same transaction as the change they describe,
// so the log can neither miss a change nor record one that rolled back.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/web"
)

// Entry is one recorded write.
type Entry struct {
	ID         uuid.UUID  `json:"id" format:"uuid" maxLength:"36"`
	ActorID    *uuid.UUID `json:"actor_id" format:"uuid" maxLength:"36" extensions:"x-nullable"`
	ActorEmail string     `json:"actor_email" maxLength:"254"`
	Action     string     `json:"action" example:"user.update" maxLength:"64"`
	Entity     string     `json:"entity" example:"user" maxLength:"64"`
	EntityID   string     `json:"entity_id" maxLength:"128"`
	RequestID  string     `json:"request_id" maxLength:"128"`
	IP         string     `json:"ip" example:"203.0.113.7" maxLength:"64"`
	Details    string     `json:"details,omitempty" example:"{\"role\":\"staff\"}" maxLength:"65536" extensions:"x-optional"`
	At         time.Time  `json:"at" format:"date-time" maxLength:"35"`
} // @name AuditEntry

func (Entry) TableName() string { return "audit_log" }

// Record writes an entry for the request behind ctx inside tx. details, when
// not nil, is stored as JSON (never put secrets or full NIKs in it).
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
