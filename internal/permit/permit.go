// Package permit is the city's permits: permit types (versioned field and
// document schemas with rules), applications, their review workflow on a
// working-day SLA clock, and the permits approval issues.
package permit

import (
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/pkg/civil"
)

// Text is a text in Indonesian and English.
type Text struct {
	ID string `json:"id" example:"Izin Keramaian" maxLength:"2000"`
	EN string `json:"en" example:"Crowd event permit" maxLength:"2000"`
} // @name PermitText

// FieldType is the kind of value a field of an application holds.
type FieldType string

const (
	FieldString  FieldType = "string"
	FieldText    FieldType = "text"
	FieldNumber  FieldType = "number"
	FieldDate    FieldType = "date"
	FieldBoolean FieldType = "boolean"
	FieldSelect  FieldType = "select"
)

// Valid reports whether t is a known field type.
func (t FieldType) Valid() bool {
	switch t {
	case FieldString, FieldText, FieldNumber, FieldDate, FieldBoolean, FieldSelect:
		return true
	}
	return false
}

// Field is one entry of an application's data. Min and Max bound a number's
// value and a string's or text's length in characters.
type Field struct {
	Name     string    `json:"name"`
	Label    Text      `json:"label"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required"`
	Options  []string  `json:"options,omitempty"`
	Min      *float64  `json:"min,omitempty"`
	Max      *float64  `json:"max,omitempty"`
}

// Document is a file an application may or must carry.
type Document struct {
	Code         string   `json:"code"`
	Name         Text     `json:"name"`
	Required     bool     `json:"required"`
	ContentTypes []string `json:"content_types"`
	MaxBytes     int64    `json:"max_bytes"`
}

// LeadTime is a rule: the date in DateField must be at least Days[value of
// Field] calendar days after the day (Asia/Jakarta) the application is made
// or submitted. Keramaian: {scale, event_date, {local: 14, national: 21,
// international: 30}}.
type LeadTime struct {
	Field     string         `json:"field"`
	DateField string         `json:"date_field"`
	Days      map[string]int `json:"days"`
}

// Definition is what a version of a permit type says; it is stored as
// JSON with the version.
type Definition struct {
	Name        Text `json:"name"`
	Description Text `json:"description"`
	// NumberCode is the type's part of a permit number, e.g. KRM in
	// 503/KRM/2026/000045.
	NumberCode string `json:"number_code"`
	// ValidityMonths is how long a permit is valid from its approval;
	// ValidUntilField, when set, names a date field whose value is the end
	// instead (a keramaian permit ends with its event).
	ValidityMonths  int        `json:"validity_months"`
	ValidUntilField string     `json:"valid_until_field,omitempty"`
	Fields          []Field    `json:"fields"`
	Documents       []Document `json:"documents"`
	LeadTime        *LeadTime  `json:"lead_time,omitempty"`
}

// Type is one version of a permit type.
type Type struct {
	Definition
	Code       string
	Version    int
	VersionID  uuid.UUID
	Department identity.Department
	SLADays    int
	CreatedAt  time.Time
}

func (t Type) field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

func (t Type) document(code string) (Document, bool) {
	for _, d := range t.Documents {
		if d.Code == code {
			return d, true
		}
	}
	return Document{}, false
}

// Status is where an application is in the workflow.
type Status string

const (
	Draft         Status = "draft"
	Submitted     Status = "submitted"
	InReview      Status = "in_review"
	NeedsRevision Status = "needs_revision"
	Approved      Status = "approved"
	Rejected      Status = "rejected"
)

// Statuses are every status, in workflow order.
var Statuses = []Status{Draft, Submitted, InReview, NeedsRevision, Approved, Rejected}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// Party is who moves an application.
type Party string

const (
	Applicant Party = "applicant" // the application's owner
	Licensing Party = "licensing" // licensing staff, or an administrator
)

// Transition is one allowed move.
type Transition struct {
	From, To Status
	By       Party
}

// Transitions is the workflow, the one table every move is checked
// against (printed in docs/permits.md). A move into submitted needs every
// required field and document; into needs_revision a note.
var Transitions = []Transition{
	{Draft, Submitted, Applicant},
	{Submitted, InReview, Licensing},
	{InReview, NeedsRevision, Licensing},
	{NeedsRevision, Submitted, Applicant},
	{InReview, Approved, Licensing},
	{InReview, Rejected, Licensing},
}

// mayEverSet reports whether a party may ever move an application into to.
func mayEverSet(parties []Party, to Status) bool {
	for _, t := range Transitions {
		if t.To == to && has(parties, t.By) {
			return true
		}
	}
	return false
}

// allowed reports whether one of the parties may move from to.
func allowed(parties []Party, from, to Status) bool {
	for _, t := range Transitions {
		if t.From == from && t.To == to && has(parties, t.By) {
			return true
		}
	}
	return false
}

func has(parties []Party, p Party) bool {
	for _, q := range parties {
		if q == p {
			return true
		}
	}
	return false
}

// HistoryEntry is one move of an application.
type HistoryEntry struct {
	From, To Status
	By       Party
	ActorID  *uuid.UUID
	Note     string
	At       time.Time
}

// StoredDocument is a file attached to an application.
type StoredDocument struct {
	ID           uuid.UUID
	Code         string
	Filename     string
	ContentType  string
	Size         int64
	SHA256       string
	UploadedAt   time.Time
	SupersededAt *time.Time
	key          string
}

// Application is a citizen's application for a permit.
type Application struct {
	ID             uuid.UUID
	UserID         uuid.UUID
	Type           Type
	Status         Status
	Data           map[string]any
	TrackingNumber string
	PermitNumber   string
	ValidUntil     *civil.Date
	SubmittedAt    *time.Time
	SLADueAt       *time.Time
	DecidedAt      *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Documents      []StoredDocument
	History        []HistoryEntry
	HasLetter      bool
	// TaxStatus is the applicant's reklame tax standing, for reklame
	// applications.
	TaxStatus *UnpaidSummary
}

// Overdue reports whether the application waits for licensing past its
// SLA due time.
func (a Application) Overdue(now time.Time) bool {
	return (a.Status == Submitted || a.Status == InReview) && a.SLADueAt != nil && now.After(*a.SLADueAt)
}
