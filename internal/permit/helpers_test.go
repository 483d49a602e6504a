package permit_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

var wib = time.FixedZone("WIB", 7*3600)

type world struct {
	api       *apitest.API
	licensing apitest.Actor
}

// newWorld builds the API with the five standard types and a simple type
// "izin_uji" without documents, the clock at noon WIB on 2026-12-07 (a
// Monday); opts adjust the configuration.
func newWorld(t *testing.T, opts ...apitest.Option) *world {
	t.Helper()
	api := apitest.New(t, opts...)
	w := &world{api: api, licensing: api.Staff(identity.DeptLicensing)}
	w.at(t, "2026-12-07T12:00")
	err := api.DB.InTx(context.Background(), func(tx *gorm.DB) error {
		return api.App.Permits.SeedTypes(context.Background(), tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	api.Send(http.MethodPost, "/api/v1/permits/types", simpleType("izin_uji", 5), w.licensing).Expect(http.StatusCreated)
	return w
}

// at sets the permit clock to a WIB time (YYYY-MM-DDTHH:MM).
func (w *world) at(t *testing.T, when string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02T15:04", when, wib)
	if err != nil {
		t.Fatal(err)
	}
	w.api.App.Permits.SetClock(func() time.Time { return tm })
	return tm
}

func simpleType(code string, sla int) map[string]any {
	return map[string]any{
		"code":            code,
		"name":            map[string]string{"id": "Izin Uji", "en": "Test permit"},
		"description":     map[string]string{"id": "Untuk pengujian.", "en": "For testing."},
		"number_code":     "UJI",
		"sla_days":        sla,
		"validity_months": 12,
		"fields": []map[string]any{
			{"name": "holder_name", "label": map[string]string{"id": "Nama", "en": "Name"}, "type": "string", "required": true},
			{"name": "count", "label": map[string]string{"id": "Jumlah", "en": "Count"}, "type": "number", "min": 1, "max": 10},
		},
		"documents": []map[string]any{},
	}
}

type document struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

type historyEntry struct {
	From, To, By, Note string
}

type application struct {
	ID             string         `json:"id"`
	Type           string         `json:"type"`
	TypeVersion    int            `json:"type_version"`
	Status         string         `json:"status"`
	Data           map[string]any `json:"data"`
	TrackingNumber *string        `json:"tracking_number"`
	PermitNumber   *string        `json:"permit_number"`
	VerifyCode     *string        `json:"verify_code"`
	ValidUntil     *string        `json:"valid_until"`
	SubmittedAt    *time.Time     `json:"submitted_at"`
	SLADueAt       *time.Time     `json:"sla_due_at"`
	Overdue        bool           `json:"overdue"`
	Documents      []document     `json:"documents"`
	History        []historyEntry `json:"history"`
	TaxStatus      *struct {
		UnpaidBills  int   `json:"unpaid_bills"`
		UnpaidIDR    int64 `json:"unpaid_idr"`
		OverdueBills int   `json:"overdue_bills"`
	} `json:"tax_status"`
}

func (w *world) apply(t *testing.T, as apitest.Actor, typ string, data map[string]any) application {
	t.Helper()
	var a application
	w.api.Send(http.MethodPost, "/api/v1/permits/applications", map[string]any{"type": typ, "data": data}, as).
		Expect(http.StatusCreated).JSON(&a)
	return a
}

func (w *world) simple(t *testing.T, as apitest.Actor) application {
	t.Helper()
	return w.apply(t, as, "izin_uji", map[string]any{"holder_name": "Sari Wulandari", "count": 3})
}

func path(a application, suffix string) string {
	return "/api/v1/permits/applications/" + a.ID + suffix
}

func (w *world) move(t *testing.T, a application, to, note string, as apitest.Actor) *apitest.Response {
	t.Helper()
	return w.api.Send(http.MethodPost, path(a, "/transitions"), map[string]any{"to": to, "note": note}, as)
}

// reach brings a new simple application of owner to status.
func (w *world) reach(t *testing.T, owner apitest.Actor, status string) application {
	t.Helper()
	a := w.simple(t, owner)
	steps := map[string][]string{
		"draft":          {},
		"submitted":      {"submitted"},
		"in_review":      {"submitted", "in_review"},
		"needs_revision": {"submitted", "in_review", "needs_revision"},
		"approved":       {"submitted", "in_review", "approved"},
		"rejected":       {"submitted", "in_review", "rejected"},
	}[status]
	for _, s := range steps {
		as := w.licensing
		if s == "submitted" {
			as = owner
		}
		w.move(t, a, s, "Lengkapi denah.", as).Expect(http.StatusOK).JSON(&a)
	}
	return a
}
