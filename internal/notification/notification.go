// Package notification keeps the in-app messages of each user: booking
// confirmed, trip cancelled, and whatever later domains announce. Messages
// are written by the domain that causes them, inside its own transaction
// (Notify takes the caller's tx), so a message exists exactly when its event
// committed. Titles and bodies are stored in both languages and read in the
// reader's.
package notification

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/cursor"
)

// Text is a message text in Indonesian (required) and English.
type Text struct {
	ID string
	EN string
}

// Message is one notification to write.
type Message struct {
	UserID uuid.UUID
	Kind   string // what happened, e.g. "booking_confirmed", "trip_cancelled"
	Title  Text
	Body   Text
	// Entity and EntityID name the record the message is about, so a client
	// can open it (e.g. "booking", its id).
	Entity, EntityID string
	// DedupeKey, when set, makes the message at most once per user: a second
	// Notify with the same key for the same user writes nothing.
	DedupeKey string
}

// Notification is a stored message.
type Notification struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	Kind      string
	Title     Text
	Body      Text
	Entity    string
	EntityID  string
	CreatedAt time.Time
	ReadAt    *time.Time
}

type row struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	Kind      string
	TitleID   string
	TitleEn   string
	BodyID    string
	BodyEn    string
	Entity    string
	EntityID  string
	DedupeKey *string
	CreatedAt time.Time
	ReadAt    *time.Time
}

func (row) TableName() string { return "notifications" }

func (r row) toDomain() Notification {
	return Notification{ID: r.ID, UserID: r.UserID, Kind: r.Kind, Title: Text{r.TitleID, r.TitleEn},
		Body: Text{r.BodyID, r.BodyEn}, Entity: r.Entity, EntityID: r.EntityID, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt}
}

// Languages tells which language an account reads in; accounts belong to
// identity (*identity.Service implements it).
type Languages interface {
	PreferredLang(ctx context.Context, userID uuid.UUID) (string, error)
}

// Service writes and reads notifications.
type Service struct {
	db    *database.DB
	langs Languages
	now   func() time.Time
}

// NewService returns the notification service over db.
func NewService(db *database.DB, langs Languages) *Service {
	return &Service{db: db, langs: langs, now: func() time.Time { return time.Now().UTC() }}
}

// Notify writes msgs with tx, the caller's transaction: they commit or roll
// back with the event they announce.
func (s *Service) Notify(ctx context.Context, tx *gorm.DB, msgs ...Message) error {
	now := s.now()
	for _, m := range msgs {
		var dedupe *string
		if m.DedupeKey != "" {
			k := m.DedupeKey
			dedupe = &k
		}
		err := tx.WithContext(ctx).Exec(`INSERT INTO notifications
			(id, user_id, kind, title_id, title_en, body_id, body_en, entity, entity_id, dedupe_key, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			uuid.Must(uuid.NewV7()), m.UserID, m.Kind, m.Title.ID, m.Title.EN, m.Body.ID, m.Body.EN,
			m.Entity, m.EntityID, dedupe, now).Error
		if err != nil {
			return fmt.Errorf("write notification %s: %w", m.Kind, err)
		}
	}
	return nil
}

// PreferredLang is the language userID reads in.
func (s *Service) PreferredLang(ctx context.Context, userID uuid.UUID) (string, error) {
	return s.langs.PreferredLang(ctx, userID)
}

// List returns up to limit of userID's notifications older than after,
// newest first (only unread ones when unreadOnly), and whether more follow.
func (s *Service) List(ctx context.Context, userID uuid.UUID, unreadOnly bool, after *uuid.UUID, limit int) ([]Notification, bool, error) {
	q := s.db.WithContext(ctx).Where("user_id = ?", userID)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	if after != nil {
		q = q.Where("id < ?", *after)
	}
	var rows []row
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list notifications: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, more, nil
}

// MarkRead marks one of userID's notifications read (the first time only)
// and returns it; someone else's is not found.
func (s *Service) MarkRead(ctx context.Context, userID, id uuid.UUID) (Notification, error) {
	db := s.db.WithContext(ctx)
	if err := db.Exec("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
		s.now(), id, userID).Error; err != nil {
		return Notification{}, fmt.Errorf("mark notification read: %w", err)
	}
	var r row
	err := db.Where("id = ? AND user_id = ?", id, userID).Take(&r).Error
	if database.IsNotFound(err) {
		return Notification{}, apperr.Missing("notification", id)
	}
	if err != nil {
		return Notification{}, err
	}
	return r.toDomain(), nil
}
