package permit

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Limits of input, also declared in the API description.
const (
	maxFields       = 50
	maxDocuments    = 20
	maxOptions      = 50
	maxNote         = 1000
	maxName         = 200
	maxDescription  = 4000
	maxSLADays      = 365
	maxValidity     = 120
	maxDocumentSize = 10 << 20 // 10 MiB, the most any permit document may be
)

// AcceptedContentTypes are the file types a document may be.
var AcceptedContentTypes = []string{"application/pdf", "image/jpeg", "image/png"}

var (
	codePattern       = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)
	numberCodePattern = regexp.MustCompile(`^[A-Z]{2,5}$`)
)

type problems map[string]string

func (p problems) add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

func (p problems) text(field string, t *Text, max int, required bool) {
	t.ID, t.EN = strings.TrimSpace(t.ID), strings.TrimSpace(t.EN)
	for lang, v := range map[string]string{"id": t.ID, "en": t.EN} {
		switch {
		case v == "" && required:
			p.add(field+"."+lang, "is required")
		case len([]rune(v)) > max:
			p.add(field+"."+lang, fmt.Sprintf("is at most %d characters", max))
		}
	}
}

type textRequest struct {
	ID string `json:"id" maxLength:"4000" example:"Izin Keramaian"`
	EN string `json:"en" maxLength:"4000" example:"Crowd event permit"`
} // @name PermitTextRequest

type fieldRequest struct {
	Name     string      `json:"name" maxLength:"40" example:"event_date"`
	Label    textRequest `json:"label"`
	Type     string      `json:"type" enums:"string,text,number,date,boolean,select" example:"date"`
	Required bool        `json:"required" example:"true"`
	Options  []string    `json:"options" validate:"max=50" maxLength:"100" example:"local,national,international"` // select only
	Min      *float64    `json:"min" example:"1" extensions:"x-nullable"`                                          // a number's least value, a string's least length
	Max      *float64    `json:"max" example:"100000" extensions:"x-nullable"`                                     // a number's greatest value, a string's greatest length
} // @name PermitFieldRequest

type documentRequest struct {
	Code         string      `json:"code" maxLength:"40" example:"site_plan"`
	Name         textRequest `json:"name"`
	Required     bool        `json:"required" example:"true"`
	ContentTypes []string    `json:"content_types" validate:"min=1,max=3" enums:"application/pdf,image/jpeg,image/png" example:"application/pdf"`
	MaxBytes     int64       `json:"max_bytes" minimum:"1024" maximum:"10485760" format:"int64" example:"5242880"`
} // @name PermitDocumentRequest

type leadDays struct {
	Value string `json:"value" maxLength:"100" example:"national"`
	Days  int    `json:"days" minimum:"0" maximum:"365" format:"int32" example:"21"`
} // @name PermitLeadDays

type leadTimeRequest struct {
	Field     string     `json:"field" maxLength:"40" example:"scale"`
	DateField string     `json:"date_field" maxLength:"40" example:"event_date"`
	Days      []leadDays `json:"days" validate:"min=1,max=50"`
} // @name PermitLeadTime

// typeRequest is the body of creating (code required) and changing (code
// from the path) a permit type: the whole definition each time.
type typeRequest struct {
	Code            string            `json:"code" maxLength:"40" example:"keramaian"` // on create; PUT takes it from the path
	Name            textRequest       `json:"name"`
	Description     textRequest       `json:"description"`
	NumberCode      string            `json:"number_code" minLength:"2" maxLength:"5" example:"KRM"` // 2–5 capital letters: the type's part of a permit number
	SLADays         int               `json:"sla_days" minimum:"1" maximum:"365" format:"int32" example:"7"`
	ValidityMonths  int               `json:"validity_months" minimum:"1" maximum:"120" format:"int32" example:"12"`
	ValidUntilField string            `json:"valid_until_field" maxLength:"40" example:"event_end_date"` // optional: a date field whose value ends the permit
	Fields          []fieldRequest    `json:"fields" validate:"min=1,max=50"`
	Documents       []documentRequest `json:"documents" validate:"max=20"`
	LeadTime        *leadTimeRequest  `json:"lead_time" extensions:"x-nullable"`

	draft TypeDraft
} // @name PermitTypeRequest

func (r *typeRequest) Normalize() {
	r.Code = strings.TrimSpace(r.Code)
	r.NumberCode = strings.TrimSpace(r.NumberCode)
	r.ValidUntilField = strings.TrimSpace(r.ValidUntilField)
}

func (r *typeRequest) Validate() map[string]string {
	p := problems{}
	d := &r.draft
	d.Name, d.Description = Text(r.Name), Text(r.Description)
	p.text("name", &d.Name, maxName, true)
	p.text("description", &d.Description, maxDescription, true)
	if !numberCodePattern.MatchString(r.NumberCode) {
		p.add("number_code", "is 2 to 5 capital letters")
	}
	d.NumberCode = r.NumberCode
	if r.SLADays < 1 || r.SLADays > maxSLADays {
		p.add("sla_days", fmt.Sprintf("is between 1 and %d", maxSLADays))
	}
	d.SLADays = r.SLADays
	if r.ValidityMonths < 1 || r.ValidityMonths > maxValidity {
		p.add("validity_months", fmt.Sprintf("is between 1 and %d", maxValidity))
	}
	d.ValidityMonths = r.ValidityMonths
	if len(r.Fields) == 0 || len(r.Fields) > maxFields {
		p.add("fields", fmt.Sprintf("has 1 to %d fields", maxFields))
	}
	seen := map[string]FieldType{}
	for i, f := range r.Fields {
		key := fmt.Sprintf("fields[%d]", i)
		f.Name = strings.TrimSpace(f.Name)
		if !codePattern.MatchString(f.Name) {
			p.add(key+".name", "is 2 to 40 lowercase letters, digits or _, starting with a letter")
		} else if _, dup := seen[f.Name]; dup {
			p.add(key+".name", "is used by another field")
		}
		t := FieldType(f.Type)
		if !t.Valid() {
			p.add(key+".type", "is one of string, text, number, date, boolean, select")
		}
		seen[f.Name] = t
		label := Text(f.Label)
		p.text(key+".label", &label, maxName, true)
		opts := make([]string, 0, len(f.Options))
		for _, o := range f.Options {
			if o = strings.TrimSpace(o); o != "" && len(o) <= 100 && !slices.Contains(opts, o) {
				opts = append(opts, o)
			}
		}
		if t == FieldSelect && (len(opts) == 0 || len(opts) != len(f.Options) || len(opts) > maxOptions) {
			p.add(key+".options", fmt.Sprintf("are 1 to %d distinct non-empty values of at most 100 characters", maxOptions))
		}
		if t != FieldSelect && len(f.Options) > 0 {
			p.add(key+".options", "are only for select fields")
		}
		if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
			p.add(key+".min", "is at most max")
		}
		if (f.Min != nil || f.Max != nil) && t != FieldNumber && t != FieldString && t != FieldText {
			p.add(key+".min", "min and max are only for number, string and text fields")
		}
		if (t == FieldString || t == FieldText) && ((f.Min != nil && *f.Min < 0) || (f.Max != nil && (*f.Max < 1 || *f.Max > defaultTextMax))) {
			p.add(key+".max", fmt.Sprintf("a length is between 0 and %d", defaultTextMax))
		}
		field := Field{Name: f.Name, Label: label, Type: t, Required: f.Required, Min: f.Min, Max: f.Max}
		if t == FieldSelect {
			field.Options = opts
		}
		d.Fields = append(d.Fields, field)
	}
	if len(r.Documents) > maxDocuments {
		p.add("documents", fmt.Sprintf("has at most %d documents", maxDocuments))
	}
	codes := map[string]bool{}
	for i, doc := range r.Documents {
		key := fmt.Sprintf("documents[%d]", i)
		doc.Code = strings.TrimSpace(doc.Code)
		if !codePattern.MatchString(doc.Code) {
			p.add(key+".code", "is 2 to 40 lowercase letters, digits or _, starting with a letter")
		} else if codes[doc.Code] {
			p.add(key+".code", "is used by another document")
		}
		codes[doc.Code] = true
		name := Text(doc.Name)
		p.text(key+".name", &name, maxName, true)
		if len(doc.ContentTypes) == 0 || len(doc.ContentTypes) > len(AcceptedContentTypes) {
			p.add(key+".content_types", "lists 1 to 3 of "+strings.Join(AcceptedContentTypes, ", "))
		}
		for _, ct := range doc.ContentTypes {
			if !slices.Contains(AcceptedContentTypes, ct) {
				p.add(key+".content_types", "lists 1 to 3 of "+strings.Join(AcceptedContentTypes, ", "))
			}
		}
		if doc.MaxBytes < 1024 || doc.MaxBytes > maxDocumentSize {
			p.add(key+".max_bytes", "is between 1024 and 10485760 (10 MiB)")
		}
		d.Documents = append(d.Documents, Document{Code: doc.Code, Name: name, Required: doc.Required,
			ContentTypes: doc.ContentTypes, MaxBytes: doc.MaxBytes})
	}
	if r.ValidUntilField != "" && seen[r.ValidUntilField] != FieldDate {
		p.add("valid_until_field", "names a date field of this type")
	}
	d.ValidUntilField = r.ValidUntilField
	if lt := r.LeadTime; lt != nil {
		if t, ok := seen[lt.Field]; !ok || t != FieldSelect {
			p.add("lead_time.field", "names a select field of this type")
		}
		if seen[lt.DateField] != FieldDate {
			p.add("lead_time.date_field", "names a date field of this type")
		}
		rule := LeadTime{Field: lt.Field, DateField: lt.DateField, Days: map[string]int{}}
		if len(lt.Days) == 0 || len(lt.Days) > maxOptions {
			p.add("lead_time.days", fmt.Sprintf("has 1 to %d entries", maxOptions))
		}
		var options []string
		for _, f := range d.Fields {
			if f.Name == lt.Field {
				options = f.Options
			}
		}
		for i, ld := range lt.Days {
			if ld.Days < 0 || ld.Days > 365 {
				p.add(fmt.Sprintf("lead_time.days[%d].days", i), "is between 0 and 365")
			}
			if !slices.Contains(options, ld.Value) {
				p.add(fmt.Sprintf("lead_time.days[%d].value", i), "is one of the options of lead_time.field")
			}
			rule.Days[ld.Value] = ld.Days
		}
		d.LeadTime = &rule
	}
	return p
}

// applicationRequest is the body of creating an application (type and
// data) and of changing one (data; type ignored).
type applicationRequest struct {
	Type string         `json:"type" maxLength:"40" example:"keramaian"` // the permit type's code; on create
	Data map[string]any `json:"data"`                                    // the type's fields by name: strings, numbers, booleans, dates YYYY-MM-DD
} // @name PermitApplicationRequest

func (r *applicationRequest) Normalize() { r.Type = strings.TrimSpace(r.Type) }

func (r *applicationRequest) Validate() map[string]string {
	p := problems{}
	if r.Data == nil {
		p.add("data", "is required")
	}
	return p
}

type transitionRequest struct {
	To   string `json:"to" enums:"draft,submitted,in_review,needs_revision,approved,rejected" example:"in_review"`
	Note string `json:"note" maxLength:"1000" example:"The site plan lacks the emergency exits."` // required for needs_revision
} // @name PermitTransitionRequest

func (r *transitionRequest) Normalize() { r.Note = strings.TrimSpace(r.Note) }

func (r *transitionRequest) Validate() map[string]string {
	p := problems{}
	if len([]rune(r.Note)) > maxNote {
		p.add("note", fmt.Sprintf("is at most %d characters", maxNote))
	}
	return p
}
