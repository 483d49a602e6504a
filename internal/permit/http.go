package permit

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

func localized(t Text, l web.Lang) any {
	if l == web.LangAll {
		return t
	}
	return l.Pick(t.ID, t.EN)
}

type fieldResponse struct {
	Name     string   `json:"name" maxLength:"40" example:"scale"`
	Label    any      `json:"label" extensions:"x-localized=200"`
	Type     string   `json:"type" enums:"string,text,number,date,boolean,select" example:"select"`
	Required bool     `json:"required" example:"true"`
	Options  []string `json:"options,omitempty" validate:"max=50" maxLength:"100" example:"local,national,international" extensions:"x-optional"`
	Min      *float64 `json:"min,omitempty" example:"1" extensions:"x-optional"`
	Max      *float64 `json:"max,omitempty" example:"100000" extensions:"x-optional"`
} // @name PermitField

type documentSpecResponse struct {
	Code         string   `json:"code" maxLength:"40" example:"site_plan"`
	Name         any      `json:"name" extensions:"x-localized=200"`
	Required     bool     `json:"required" example:"true"`
	ContentTypes []string `json:"content_types" validate:"max=3" enums:"application/pdf,image/jpeg,image/png" example:"application/pdf"`
	MaxBytes     int64    `json:"max_bytes" minimum:"1024" maximum:"10485760" format:"int64" example:"5242880"`
} // @name PermitDocumentSpec

type leadTimeResponse struct {
	Field     string     `json:"field" maxLength:"40" example:"scale"`
	DateField string     `json:"date_field" maxLength:"40" example:"event_date"`
	Days      []leadDays `json:"days" validate:"max=50"`
} // @name PermitLeadTimeRule

type typeResponse struct {
	Code            string                 `json:"code" maxLength:"40" example:"keramaian"`
	Version         int                    `json:"version" minimum:"1" maximum:"1000000" format:"int32" example:"1"` // applications keep the version they were made under
	Name            any                    `json:"name" extensions:"x-localized=200"`
	Description     any                    `json:"description" extensions:"x-localized=4000"`
	Department      string                 `json:"department" enums:"licensing" example:"licensing"`
	SLADays         int                    `json:"sla_days" minimum:"1" maximum:"365" format:"int32" example:"7"` // working days in Asia/Jakarta
	NumberCode      string                 `json:"number_code" maxLength:"5" example:"KRM"`
	ValidityMonths  int                    `json:"validity_months" minimum:"1" maximum:"120" format:"int32" example:"12"`
	ValidUntilField string                 `json:"valid_until_field,omitempty" maxLength:"40" example:"event_end_date" extensions:"x-optional"`
	Fields          []fieldResponse        `json:"fields" validate:"max=50"`
	Documents       []documentSpecResponse `json:"documents" validate:"max=20"`
	LeadTime        *leadTimeResponse      `json:"lead_time,omitempty" extensions:"x-optional"`
} // @name PermitType

func toTypeResponse(t Type, l web.Lang) typeResponse {
	out := typeResponse{Code: t.Code, Version: t.Version, Name: localized(t.Name, l), Description: localized(t.Description, l),
		Department: string(t.Department), SLADays: t.SLADays, NumberCode: t.NumberCode, ValidityMonths: t.ValidityMonths,
		ValidUntilField: t.ValidUntilField, Fields: make([]fieldResponse, len(t.Fields)),
		Documents: make([]documentSpecResponse, len(t.Documents))}
	for i, f := range t.Fields {
		out.Fields[i] = fieldResponse{Name: f.Name, Label: localized(f.Label, l), Type: string(f.Type), Required: f.Required,
			Options: f.Options, Min: f.Min, Max: f.Max}
	}
	for i, d := range t.Documents {
		out.Documents[i] = documentSpecResponse{Code: d.Code, Name: localized(d.Name, l), Required: d.Required,
			ContentTypes: d.ContentTypes, MaxBytes: d.MaxBytes}
	}
	if r := t.LeadTime; r != nil {
		lt := &leadTimeResponse{Field: r.Field, DateField: r.DateField, Days: []leadDays{}}
		for _, f := range t.Fields {
			if f.Name != r.Field {
				continue
			}
			for _, o := range f.Options { // in the options' order
				if d, ok := r.Days[o]; ok {
					lt.Days = append(lt.Days, leadDays{Value: o, Days: d})
				}
			}
		}
		out.LeadTime = lt
	}
	return out
}

type typeList struct {
	Data []typeResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta   `json:"meta"`
} // @name PermitTypeList

// cacheControl of the public permit reads: clients revalidate each time.
const cacheControl = "public, no-cache"

// ListTypes handles GET /api/v1/permits/types.
//
//	@Summary		Permit types
//	@Description	Every permit type in its current version: its fields (`string`, `text`, `number`, `date`, `boolean`, `select` with `options`; `min`/`max` bound a number's value and a string's length), the documents it needs (accepted types, size limit up to 10 MiB), its SLA in working days and rules such as keramaian's lead time by `scale` (calendar days between the day of applying, Asia/Jakarta, and `event_date`). One page holds them all. Names are in `?lang=` or `Accept-Language`; `?lang=all` returns `{id, en}` objects. Sends an `ETag` and answers `If-None-Match` with 304.
//	@ID				listPermitTypes
//	@Tags			permits
//	@Produce		json
//	@Param			lang			query		string	false	"Language of names: id, en or all; any other value means id"	maxLength(4096)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"								maxLength(65536)
//	@Success		200				{object}	typeList
//	@Success		304				"not modified"
//	@Router			/permits/types [get]
func ListTypes(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		types, err := svc.Types(c.Request.Context())
		if err != nil {
			return err
		}
		l := web.RequestLang(c)
		out := typeList{Data: make([]typeResponse, len(types)), Meta: web.ListMeta{Limit: web.MaxLimit}}
		for i, t := range types {
			out.Data[i] = toTypeResponse(t, l)
		}
		web.SetLangHeaders(c, l)
		return web.WriteCacheable(c, out, cacheControl)
	}
}

// CreateType handles POST /api/v1/permits/types.
//
//	@Summary		Add a permit type
//	@Description	Licensing staff define a new permit type at version 1 (department `licensing`). Audited.
//	@ID				createPermitType
//	@Tags			permits
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		typeRequest	true	"The type's definition"
//	@Success		201		{object}	typeResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		409		{object}	problem.Problem	"permit_type_exists"
//	@Failure		422		{object}	problem.Problem	"a field breaks its rules"
//	@Router			/permits/types [post]
func CreateType(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in typeRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if !codePattern.MatchString(in.Code) {
			return apperr.FieldInvalid("code", "is 2 to 40 lowercase letters, digits or _, starting with a letter")
		}
		ctx := c.Request.Context()
		t, err := svc.CreateType(ctx, identity.ActorFrom(ctx), in.Code, in.draft)
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/permits/types")
		c.JSON(http.StatusCreated, toTypeResponse(t, web.LangAll))
		return nil
	}
}

// UpdateType handles PUT /api/v1/permits/types/{code}.
//
//	@Summary		Change a permit type
//	@Description	Licensing staff replace a permit type's definition: it becomes a new version, which new applications are made under; applications made under an earlier version keep theirs. Audited.
//	@ID				updatePermitType
//	@Tags			permits
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			code	path		string		true	"Permit type code"	maxLength(40)
//	@Param			body	body		typeRequest	true	"The type's whole new definition (code is taken from the path)"
//	@Success		200		{object}	typeResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		404		{object}	problem.Problem	"no such permit type"
//	@Failure		409		{object}	problem.Problem	"permit_type_changed: another change came first"
//	@Failure		422		{object}	problem.Problem	"a field breaks its rules"
//	@Router			/permits/types/{code} [put]
func UpdateType(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in typeRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		t, err := svc.UpdateType(ctx, identity.ActorFrom(ctx), c.Param("code"), in.draft)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toTypeResponse(t, web.LangAll))
		return nil
	}
}

type storedDocumentResponse struct {
	ID          uuid.UUID `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	Code        string    `json:"code" maxLength:"40" example:"site_plan"`
	Filename    string    `json:"filename" maxLength:"255" example:"denah-lokasi.pdf"`
	ContentType string    `json:"content_type" enums:"application/pdf,image/jpeg,image/png" example:"application/pdf"`
	Size        int64     `json:"size" minimum:"1" maximum:"10485760" format:"int64" example:"48213"`
	SHA256      string    `json:"sha256" minLength:"64" maxLength:"64" example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	UploadedAt  time.Time `json:"uploaded_at" format:"date-time" maxLength:"35"`
} // @name PermitStoredDocument

type historyResponse struct {
	From string    `json:"from" enums:"draft,submitted,in_review,needs_revision,approved,rejected" example:"submitted"`
	To   string    `json:"to" enums:"draft,submitted,in_review,needs_revision,approved,rejected" example:"in_review"`
	By   string    `json:"by" enums:"applicant,licensing" example:"licensing"` // who moved it: the applicant or the licensing office (no staff names or e-mails)
	Note string    `json:"note" maxLength:"1000" example:""`
	At   time.Time `json:"at" format:"date-time" maxLength:"35"`
} // @name PermitHistoryEntry

type taxStatusResponse struct {
	UnpaidBills  int   `json:"unpaid_bills" minimum:"0" maximum:"1000000" format:"int32" example:"1"`
	UnpaidIDR    int64 `json:"unpaid_idr" minimum:"0" maximum:"1000000000000000" format:"int64" example:"1500000"`
	OverdueBills int   `json:"overdue_bills" minimum:"0" maximum:"1000000" format:"int32" example:"0"` // unpaid past their due date: approval waits for them
} // @name PermitTaxStatus

type applicationSummary struct {
	ID             uuid.UUID  `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	UserID         uuid.UUID  `json:"user_id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f61"`
	Type           string     `json:"type" maxLength:"40" example:"keramaian"`
	TypeVersion    int        `json:"type_version" minimum:"1" maximum:"1000000" format:"int32" example:"1"`
	TypeName       any        `json:"type_name" extensions:"x-localized=200"`
	Status         string     `json:"status" enums:"draft,submitted,in_review,needs_revision,approved,rejected" example:"submitted"`
	TrackingNumber *string    `json:"tracking_number" maxLength:"20" example:"SKT-2026-000123" extensions:"x-nullable"` // from the first submission
	PermitNumber   *string    `json:"permit_number" maxLength:"40" example:"503/KRM/2026/000045" extensions:"x-nullable"`
	ValidUntil     *string    `json:"valid_until" format:"date" maxLength:"10" example:"2027-01-31" extensions:"x-nullable"`
	SubmittedAt    *time.Time `json:"submitted_at" format:"date-time" maxLength:"35" extensions:"x-nullable"`
	SLADueAt       *time.Time `json:"sla_due_at" format:"date-time" maxLength:"35" extensions:"x-nullable"` // null before submission and while the clock is paused (needs_revision)
	Overdue        bool       `json:"overdue" example:"false"`                                              // waiting for licensing past sla_due_at
	CreatedAt      time.Time  `json:"created_at" format:"date-time" maxLength:"35"`
	UpdatedAt      time.Time  `json:"updated_at" format:"date-time" maxLength:"35"`
} // @name PermitApplicationSummary

type applicationResponse struct {
	ID             uuid.UUID                `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	UserID         uuid.UUID                `json:"user_id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f61"`
	Type           string                   `json:"type" maxLength:"40" example:"keramaian"`
	TypeVersion    int                      `json:"type_version" minimum:"1" maximum:"1000000" format:"int32" example:"1"`
	TypeName       any                      `json:"type_name" extensions:"x-localized=200"`
	Status         string                   `json:"status" enums:"draft,submitted,in_review,needs_revision,approved,rejected" example:"submitted"`
	Data           map[string]any           `json:"data"` // the type's fields by name
	TrackingNumber *string                  `json:"tracking_number" maxLength:"20" example:"SKT-2026-000123" extensions:"x-nullable"`
	PermitNumber   *string                  `json:"permit_number" maxLength:"40" example:"503/KRM/2026/000045" extensions:"x-nullable"`
	VerifyCode     *string                  `json:"verify_code" maxLength:"40" example:"503-KRM-2026-000045" extensions:"x-nullable"` // the permit number as GET /permits/verify/{code} takes it
	ValidUntil     *string                  `json:"valid_until" format:"date" maxLength:"10" example:"2027-01-31" extensions:"x-nullable"`
	SubmittedAt    *time.Time               `json:"submitted_at" format:"date-time" maxLength:"35" extensions:"x-nullable"`
	SLADueAt       *time.Time               `json:"sla_due_at" format:"date-time" maxLength:"35" extensions:"x-nullable"`
	Overdue        bool                     `json:"overdue" example:"false"`
	DecidedAt      *time.Time               `json:"decided_at" format:"date-time" maxLength:"35" extensions:"x-nullable"`
	Documents      []storedDocumentResponse `json:"documents" validate:"max=20"` // the current document of each code
	History        []historyResponse        `json:"history" validate:"max=1000"`
	TaxStatus      *taxStatusResponse       `json:"tax_status,omitempty" extensions:"x-optional"` // reklame only: the applicant's reklame tax bills
	CreatedAt      time.Time                `json:"created_at" format:"date-time" maxLength:"35"`
	UpdatedAt      time.Time                `json:"updated_at" format:"date-time" maxLength:"35"`
} // @name PermitApplication

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func inWIB(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	w := t.In(holiday.WIB)
	return &w
}

func toSummary(a Application, now time.Time, l web.Lang) applicationSummary {
	out := applicationSummary{ID: a.ID, UserID: a.UserID, Type: a.Type.Code, TypeVersion: a.Type.Version,
		TypeName: localized(a.Type.Name, l), Status: string(a.Status), TrackingNumber: nilIfEmpty(a.TrackingNumber),
		PermitNumber: nilIfEmpty(a.PermitNumber), SubmittedAt: inWIB(a.SubmittedAt), SLADueAt: inWIB(a.SLADueAt),
		Overdue: a.Overdue(now), CreatedAt: a.CreatedAt.In(holiday.WIB), UpdatedAt: a.UpdatedAt.In(holiday.WIB)}
	if a.ValidUntil != nil {
		out.ValidUntil = nilIfEmpty(a.ValidUntil.String())
	}
	return out
}

func toApplicationResponse(a Application, now time.Time, l web.Lang) applicationResponse {
	s := toSummary(a, now, l)
	out := applicationResponse{ID: s.ID, UserID: s.UserID, Type: s.Type, TypeVersion: s.TypeVersion, TypeName: s.TypeName,
		Status: s.Status, Data: a.Data, TrackingNumber: s.TrackingNumber, PermitNumber: s.PermitNumber,
		ValidUntil: s.ValidUntil, SubmittedAt: s.SubmittedAt, SLADueAt: s.SLADueAt, Overdue: s.Overdue,
		DecidedAt: inWIB(a.DecidedAt), Documents: make([]storedDocumentResponse, len(a.Documents)),
		History: make([]historyResponse, len(a.History)), CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	if out.Data == nil {
		out.Data = map[string]any{}
	}
	if a.PermitNumber != "" {
		out.VerifyCode = nilIfEmpty(VerificationCode(a.PermitNumber))
	}
	for i, d := range a.Documents {
		out.Documents[i] = storedDocumentResponse{ID: d.ID, Code: d.Code, Filename: d.Filename, ContentType: d.ContentType,
			Size: d.Size, SHA256: d.SHA256, UploadedAt: d.UploadedAt.In(holiday.WIB)}
	}
	for i, h := range a.History {
		out.History[i] = historyResponse{From: string(h.From), To: string(h.To), By: string(h.By), Note: h.Note,
			At: h.At.In(holiday.WIB)}
	}
	if t := a.TaxStatus; t != nil {
		out.TaxStatus = &taxStatusResponse{UnpaidBills: t.Count, UnpaidIDR: t.TotalIDR, OverdueBills: t.Overdue}
	}
	return out
}

type applicationList struct {
	Data []applicationSummary `json:"data" validate:"max=100"`
	Meta web.ListMeta         `json:"meta"`
} // @name PermitApplicationList

func respond(c *gin.Context, svc *Service, status int, a Application) {
	l := web.RequestLang(c)
	web.SetLangHeaders(c, l)
	c.Header("Cache-Control", "private, no-store")
	c.JSON(status, toApplicationResponse(a, svc.Now(), l))
}

// CreateApplication handles POST /api/v1/permits/applications.
//
//	@Summary		Apply for a permit
//	@Description	Makes a `draft` application of the current version of `type`, with `data` checked against the type's fields: one `errors[]` entry per field that is missing, of the wrong JSON type, not one of a select's options, out of `min`/`max`, not a field of the type at all (`data.<name>`), or a date too soon for a lead-time rule (keramaian: 14, 21 or 30 days by `scale`). Strings are trimmed; an empty string counts as missing.
//	@Description	Send an `Idempotency-Key` to retry safely: the same key with the same body answers the first response again (with `Idempotent-Replayed: true`) without a second application; the same key with another body → 422 `idempotency_conflict`; while the first request is still running → 409 `idempotency_in_progress` with `Retry-After`.
//	@ID				createPermitApplication
//	@Tags			permits
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string				false	"Unique per intended application, e.g. a UUID"	maxLength(255)
//	@Param			lang			query		string				false	"Language of type_name: id, en or all"			maxLength(4096)
//	@Param			body			body		applicationRequest	true	"Type and data"
//	@Success		201				{object}	applicationResponse
//	@Failure		400				{object}	problem.Problem	"malformed JSON, bad Idempotency-Key"
//	@Failure		409				{object}	problem.Problem	"idempotency_in_progress"
//	@Failure		422				{object}	problem.Problem	"unknown type, data breaking the type's rules, or idempotency_conflict"
//	@Router			/permits/applications [post]
func CreateApplication(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in applicationRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		a, err := svc.Create(ctx, identity.ActorFrom(ctx), in.Type, in.Data)
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/permits/applications/"+a.ID.String())
		respond(c, svc, http.StatusCreated, a)
		return nil
	}
}

// ReplayApplication answers the retry of a create whose application was
// made but whose answer was lost: 201 with the application as it is now.
func ReplayApplication(svc *Service) idempotency.Replayer {
	return func(c *gin.Context, resource string) error {
		id, err := uuid.Parse(resource)
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		a, err := svc.Get(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/permits/applications/"+a.ID.String())
		respond(c, svc, http.StatusCreated, a)
		return nil
	}
}

// GetApplication handles GET /api/v1/permits/applications/{id}.
//
//	@Summary		One permit application
//	@Description	The application with its data, current documents, status history (`by` is `applicant` or `licensing`: staff are never named to the applicant) and SLA; for reklame the applicant's reklame tax standing (`tax_status`). Its owner and licensing staff (and admins) see it; staff of another department → 403; anyone else → 404.
//	@ID				getPermitApplication
//	@Tags			permits
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Application ID"						format(uuid)	maxLength(36)
//	@Param			lang	query		string	false	"Language of type_name: id, en or all"	maxLength(4096)
//	@Success		200		{object}	applicationResponse
//	@Failure		403		{object}	problem.Problem	"staff of another department"
//	@Failure		404		{object}	problem.Problem	"no such application, or not yours"
//	@Router			/permits/applications/{id} [get]
func GetApplication(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		a, err := svc.Get(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		respond(c, svc, http.StatusOK, a)
		return nil
	}
}

// EditApplication handles PATCH /api/v1/permits/applications/{id}.
//
//	@Summary		Change my application's data
//	@Description	The applicant replaces `data` of a `draft` or of an application sent back for revision (`needs_revision`), checked as on create against the version the application was made under. Other statuses → 409 `not_editable`; licensing or other staff → 403; anyone else → 404.
//	@ID				editPermitApplication
//	@Tags			permits
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"Application ID"	format(uuid)	maxLength(36)
//	@Param			lang	query		string				false	"Language of type_name: id, en or all"	maxLength(4096)
//	@Param			body	body		applicationRequest	true	"The whole new data (type is ignored)"
//	@Success		200		{object}	applicationResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		403		{object}	problem.Problem	"not the applicant"
//	@Failure		404		{object}	problem.Problem	"no such application, or not yours"
//	@Failure		409		{object}	problem.Problem	"not_editable"
//	@Failure		422		{object}	problem.Problem	"data breaking the type's rules"
//	@Router			/permits/applications/{id} [patch]
func EditApplication(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in applicationRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		a, err := svc.Edit(ctx, identity.ActorFrom(ctx), id, in.Data)
		if err != nil {
			return err
		}
		respond(c, svc, http.StatusOK, a)
		return nil
	}
}

// SubmitApplication handles POST /api/v1/permits/applications/{id}/submit.
//
//	@Summary		Submit my application
//	@Description	The applicant sends a `draft` (or, after a revision, a `needs_revision` application) to the licensing office: every required field valid as of today and every required document present, else 422 with one `errors[]` entry per thing missing (`data.<field>`, `documents.<code>`). The first submission gets a `tracking_number` (SKT-YYYY-NNNNNN); the SLA clock starts, or resumes with the working days left after a revision. Anything but the applicant → 403 (staff) or 404; from another status → 409 `invalid_transition`.
//	@ID				submitPermitApplication
//	@Tags			permits
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Application ID"	format(uuid)	maxLength(36)
//	@Param			lang	query		string	false	"Language of type_name: id, en or all"	maxLength(4096)
//	@Success		200		{object}	applicationResponse
//	@Failure		403		{object}	problem.Problem	"not the applicant"
//	@Failure		404		{object}	problem.Problem	"no such application, or not yours"
//	@Failure		409		{object}	problem.Problem	"invalid_transition"
//	@Failure		422		{object}	problem.Problem	"required fields or documents missing"
//	@Router			/permits/applications/{id}/submit [post]
func SubmitApplication(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		a, err := svc.Transition(ctx, identity.ActorFrom(ctx), id, Submitted, "", "")
		if err != nil {
			return err
		}
		respond(c, svc, http.StatusOK, a)
		return nil
	}
}

// TransitionApplication handles POST /api/v1/permits/applications/{id}/transitions.
//
//	@Summary		Move an application
//	@Description	Moves the application to `to` by the workflow table (docs/permits.md): draft → submitted and needs_revision → submitted by the applicant (as /submit); submitted → in_review, in_review → needs_revision (with a `note`), in_review → approved or rejected by licensing staff. The caller's role is checked first: a status the caller may never set → 403; then the move: anything not in the table → 409 `invalid_transition` (also when another move came first); an unknown status → 400.
//	@Description	Approval issues a `permit_number` (503/CODE/YYYY/NNNNNN) and `valid_until`; a reklame permit is refused with 409 `unpaid_tax` while the applicant has an overdue reklame tax bill. Every move is audited, added to `history` and notified to the applicant in Indonesian and English.
//	@ID				transitionPermitApplication
//	@Tags			permits
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"Application ID"	format(uuid)	maxLength(36)
//	@Param			lang	query		string				false	"Language of type_name: id, en or all"	maxLength(4096)
//	@Param			body	body		transitionRequest	true	"Target status and note"
//	@Success		200		{object}	applicationResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON, unknown status"
//	@Failure		403		{object}	problem.Problem	"a status the caller may not set, staff of another department"
//	@Failure		404		{object}	problem.Problem	"no such application, or not yours"
//	@Failure		409		{object}	problem.Problem	"invalid_transition, unpaid_tax"
//	@Failure		422		{object}	problem.Problem	"no note for needs_revision, or an incomplete submission"
//	@Router			/permits/applications/{id}/transitions [post]
func TransitionApplication(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in transitionRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		to := Status(in.To)
		if !to.Valid() {
			return apperr.BadRequest("to must be one of draft, submitted, in_review, needs_revision, approved, rejected.")
		}
		ctx := c.Request.Context()
		a, err := svc.Transition(ctx, identity.ActorFrom(ctx), id, to, in.Note, web.Origin(c))
		if err != nil {
			return err
		}
		respond(c, svc, http.StatusOK, a)
		return nil
	}
}

// ListMyApplications handles GET /api/v1/me/permit-applications.
//
//	@Summary		My permit applications
//	@Description	The caller's applications, newest first.
//	@ID				listMyPermitApplications
//	@Tags			permits
//	@Produce		json
//	@Security		BearerAuth
//	@Param			lang	query		string	false	"Language of type_name: id, en or all"	maxLength(4096)
//	@Param			limit	query		int		false	"Page size"								minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"		maxLength(2048)
//	@Success		200		{object}	applicationList
//	@Failure		400		{object}	problem.Problem	"bad limit or cursor"
//	@Router			/me/permit-applications [get]
func ListMyApplications(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		who := identity.ActorFrom(ctx)
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("permit-applications", who.ID.String()))
		if err != nil {
			return err
		}
		apps, more, err := svc.Mine(ctx, who, page.After, page.Limit)
		if err != nil {
			return err
		}
		return writeList(c, svc, page, apps, more, func(a Application) uuid.UUID { return a.ID })
	}
}

func writeList[P any](c *gin.Context, svc *Service, page web.Page[P], apps []Application, more bool, pos func(Application) P) error {
	l := web.RequestLang(c)
	now := svc.Now()
	out, err := web.NewList(page, apps, more, pos, func(a Application) applicationSummary { return toSummary(a, now, l) })
	if err != nil {
		return err
	}
	web.SetLangHeaders(c, l)
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, applicationList(out))
	return nil
}

// ListQueue handles GET /api/v1/staff/permit-applications.
//
//	@Summary		The licensing queue
//	@Description	Applications for licensing staff: by default those waiting for them (`submitted` and `in_review`), oldest submission first; `?status=` picks one status; `?sort=sla_due_at` puts the most urgent first (leaving out applications whose clock is paused). Each carries `sla_due_at` and `overdue`.
//	@ID				listPermitQueue
//	@Tags			permits
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"Only applications in this status"		Enums(submitted,in_review,needs_revision,approved,rejected)
//	@Param			sort	query		string	false	"Order"									Enums(submitted_at,sla_due_at)	default(submitted_at)
//	@Param			lang	query		string	false	"Language of type_name: id, en or all"	maxLength(4096)
//	@Param			limit	query		int		false	"Page size"								minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"		maxLength(2048)
//	@Success		200		{object}	applicationList
//	@Failure		400		{object}	problem.Problem	"bad status, sort, limit or cursor"
//	@Router			/staff/permit-applications [get]
func ListQueue(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		statuses := Waiting
		if raw := c.Query("status"); raw != "" {
			s := Status(raw)
			if !s.Valid() || s == Draft {
				return apperr.BadRequest("status must be one of submitted, in_review, needs_revision, approved, rejected.")
			}
			statuses = []Status{s}
		}
		by := BySubmission
		switch raw := c.Query("sort"); raw {
		case "", string(BySubmission):
		case string(ByDue):
			by = ByDue
		default:
			return apperr.BadRequest("sort must be submitted_at or sla_due_at.")
		}
		keys := make([]string, len(statuses))
		for i, s := range statuses {
			keys[i] = string(s)
		}
		page, err := web.ReadPage[QueuePosition](c, pg, cursor.Fingerprint("permit-queue", strings.Join(keys, ","), string(by)))
		if err != nil {
			return err
		}
		apps, more, err := svc.Queue(c.Request.Context(), statuses, by, page.After, page.Limit)
		if err != nil {
			return err
		}
		return writeList(c, svc, page, apps, more, func(a Application) QueuePosition {
			if by == ByDue {
				return QueuePosition{At: *a.SLADueAt, ID: a.ID}
			}
			return QueuePosition{At: *a.SubmittedAt, ID: a.ID}
		})
	}
}

type verificationResponse struct {
	PermitNumber string `json:"permit_number" maxLength:"40" example:"503/KRM/2026/000045"`
	Type         string `json:"type" maxLength:"40" example:"keramaian"`
	TypeName     any    `json:"type_name" extensions:"x-localized=200"`
	HolderMasked string `json:"holder_masked" maxLength:"200" example:"S*** W*********"` // the first letter of each word of the holder's name
	IssuedOn     string `json:"issued_on" format:"date" maxLength:"10" example:"2026-12-07"`
	ValidUntil   string `json:"valid_until" format:"date" maxLength:"10" example:"2027-01-31"`
	Status       string `json:"status" enums:"valid,expired" example:"valid"` // expired after valid_until (Asia/Jakarta)
} // @name PermitVerification

// VerifyPermit handles GET /api/v1/permits/verify/{code}.
//
//	@Summary		Verify a permit
//	@Description	What a decision letter's QR code opens: anyone checks that a permit exists and whether it is still valid. `code` is the permit number with dashes for its slashes (503/KRM/2026/000045 → 503-KRM-2026-000045). Nothing personal is shown beyond the holder's masked name. An unknown number → 404.
//	@ID				verifyPermit
//	@Tags			permits
//	@Produce		json
//	@Param			code	path		string	true	"The permit number with dashes"			maxLength(40)
//	@Param			lang	query		string	false	"Language of type_name: id, en or all"	maxLength(4096)
//	@Success		200		{object}	verificationResponse
//	@Failure		404		{object}	problem.Problem	"no such permit"
//	@Router			/permits/verify/{code} [get]
func VerifyPermit(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		v, err := svc.Verify(c.Request.Context(), c.Param("code"))
		if err != nil {
			return err
		}
		l := web.RequestLang(c)
		status := "valid"
		if v.ValidUntil.Before(svc.today()) {
			status = "expired"
		}
		web.SetLangHeaders(c, l)
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, verificationResponse{PermitNumber: v.PermitNumber, Type: v.Type.Code,
			TypeName: localized(v.Type.Name, l), HolderMasked: maskName(v.Holder), IssuedOn: v.IssuedOn.String(),
			ValidUntil: v.ValidUntil.String(), Status: status})
		return nil
	}
}

// GetLetter handles GET /api/v1/permits/applications/{id}/letter.
//
//	@Summary		The decision letter of an approved permit
//	@Description	The PDF issued on approval, as an attachment: permit and tracking numbers, type, the holder's masked name, a summary of the application, the issue date and validity, and a QR code opening GET /permits/verify/{code}. Its applicant and licensing staff (and admins) may download it; staff of another department → 403; anyone else, or an application not approved → 404.
//	@ID				getPermitLetter
//	@Tags			permits
//	@Produce		application/pdf
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Application ID"	format(uuid)	maxLength(36)
//	@Success		200	{file}		binary
//	@Failure		403	{object}	problem.Problem	"staff of another department"
//	@Failure		404	{object}	problem.Problem	"no such application, not yours, or not approved"
//	@Router			/permits/applications/{id}/letter [get]
func GetLetter(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		return svc.SendLetter(c, identity.ActorFrom(c.Request.Context()), id)
	}
}

// maskName keeps the first letter of each word.
func maskName(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(r) + strings.Repeat("*", utf8.RuneCountInString(w[size:]))
	}
	if len(words) == 0 {
		return "—"
	}
	return strings.Join(words, " ")
}
