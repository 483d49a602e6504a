package tax_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// Well-formed NIKs of invented people (Surakarta districts): Sari, born
// 14 July 1990 (a woman: day 14 + 40), and Budi, born 3 February 1985.
const (
	sariNIK  = "3372015407900001"
	sariBorn = "1990-07-14"
	budiNIK  = "3372040302850002"
	budiBorn = "1985-02-03"
)

type world struct {
	api     *apitest.API
	revenue apitest.Actor
}

func newWorld(t *testing.T, opts ...apitest.Option) *world {
	t.Helper()
	api := apitest.New(t, opts...)
	return &world{api: api, revenue: api.Staff(identity.DeptRevenue)}
}

// at sets the service clock to noon WIB on day (YYYY-MM-DD).
func (w *world) at(t *testing.T, day string) {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("WIB", 7*3600))
	if err != nil {
		t.Fatal(err)
	}
	now := d.Add(12 * time.Hour)
	w.api.App.Tax.SetClock(func() time.Time { return now })
}

type profile struct {
	UserID       string  `json:"user_id"`
	NIKMasked    string  `json:"nik_masked"`
	FullName     string  `json:"full_name"`
	BirthDate    string  `json:"birth_date"`
	Status       string  `json:"status"`
	RejectReason string  `json:"reject_reason"`
	ReviewedAt   *string `json:"reviewed_at"`
}

type object struct {
	ID             string `json:"id"`
	NOP            string `json:"nop"`
	Type           string `json:"type"`
	Address        string `json:"address"`
	OwnerName      string `json:"owner_name"`
	OwnerNIKMasked string `json:"owner_nik_masked"`
	Linked         bool   `json:"linked"`
}

type bill struct {
	ID           string  `json:"id"`
	ObjectID     string  `json:"object_id"`
	NOP          string  `json:"nop"`
	Period       string  `json:"period"`
	PrincipalIDR int64   `json:"principal_idr"`
	PenaltyIDR   int64   `json:"penalty_idr"`
	TotalIDR     int64   `json:"total_idr"`
	MonthsLate   int     `json:"months_late"`
	DueDate      string  `json:"due_date"`
	AsOf         string  `json:"as_of"`
	Status       string  `json:"status"`
	PaidAt       *string `json:"paid_at"`
}

// citizen registers a user and submits their profile; verified when asked.
func (w *world) citizen(t *testing.T, name, nikNum, born string, verify bool) apitest.Actor {
	t.Helper()
	u := w.api.User(name)
	w.api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": nikNum, "full_name": name, "birth_date": born}, u).Expect(http.StatusOK)
	if verify {
		w.api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+u.ID.String()+"/verify", nil, w.revenue).Expect(http.StatusOK)
	}
	return u
}

func (w *world) object(t *testing.T, nopNum, typ, owner, ownerNIK string) object {
	t.Helper()
	var o object
	w.api.Send(http.MethodPost, "/api/v1/taxes/objects", map[string]any{"nop": nopNum, "type": typ,
		"address": "Jl. Dr. Radjiman No. 12, Laweyan", "owner_name": owner, "owner_nik": ownerNIK}, w.revenue).
		Expect(http.StatusCreated).JSON(&o)
	return o
}

func (w *world) bill(t *testing.T, objectID, period string, principal int64, due string) bill {
	t.Helper()
	var b bill
	w.api.Send(http.MethodPost, "/api/v1/taxes/bills", map[string]any{"object_id": objectID, "period": period,
		"principal_idr": principal, "due_date": due}, w.revenue).Expect(http.StatusCreated).JSON(&b)
	return b
}

func decode(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}
