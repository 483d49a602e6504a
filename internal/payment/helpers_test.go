package payment_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// Sari, born 14 July 1990 (a woman: day 14 + 40), owns the plot billed in
// these tests; Budi pays for her sometimes.
const (
	sariNIK  = "3372015407900001"
	sariBorn = "1990-07-14"
	plotNOP  = "337201000100200030"
	// secret is apitest's PAYMENT_WEBHOOK_SECRET.
	secret = "webhook-secret-webhook-secret-0123"
)

var wib = time.FixedZone("WIB", 7*3600)

type world struct {
	api     *apitest.API
	revenue apitest.Actor
	sari    apitest.Actor
	billID  string
}

type bill struct {
	ID       string `json:"id"`
	TotalIDR int64  `json:"total_idr"`
	Status   string `json:"status"`
}

type receipt struct {
	NTPD      string    `json:"ntpd"`
	PaymentID string    `json:"payment_id"`
	BillID    string    `json:"bill_id"`
	NOP       string    `json:"nop"`
	Period    string    `json:"period"`
	AmountIDR int64     `json:"amount_idr"`
	Channel   string    `json:"channel"`
	PaidAt    time.Time `json:"paid_at"`
}

type payment struct {
	ID          string     `json:"id"`
	BillID      string     `json:"bill_id"`
	Status      string     `json:"status"`
	Channel     string     `json:"channel"`
	AmountIDR   int64      `json:"amount_idr"`
	NOP         string     `json:"nop"`
	ExpiresAt   time.Time  `json:"expires_at"`
	VANumber    string     `json:"va_number"`
	QRString    string     `json:"qr_string"`
	CheckoutURL string     `json:"checkout_url"`
	PaidAt      *time.Time `json:"paid_at"`
	CreatedAt   time.Time  `json:"created_at"`
	Receipt     *receipt   `json:"receipt"`
}

// newWorld: Sari's verified profile, her plot and its 2026 PBB bill of
// Rp1.250.000 due 30 September; the clock on 15 October 2026 (one month
// late: Rp12.500 penalty).
func newWorld(t testing.TB, opts ...apitest.Option) *world {
	t.Helper()
	return newWorldOn(t, apitest.New(t, opts...))
}

func newWorldOn(t testing.TB, api *apitest.API) *world {
	t.Helper()
	w := &world{api: api, revenue: api.Staff(identity.DeptRevenue), sari: api.User("Sari")}
	w.at(time.Date(2026, 10, 15, 12, 0, 0, 0, wib))
	api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": sariNIK, "full_name": "Sari Wulandari", "birth_date": sariBorn}, w.sari).Expect(http.StatusOK)
	api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+w.sari.ID.String()+"/verify", nil, w.revenue).Expect(http.StatusOK)
	var o struct {
		ID string `json:"id"`
	}
	api.Send(http.MethodPost, "/api/v1/taxes/objects", map[string]any{"nop": plotNOP, "type": "pbb",
		"address": "Jl. Dr. Radjiman No. 12, Laweyan", "owner_name": "Sari Wulandari", "owner_nik": sariNIK}, w.revenue).
		Expect(http.StatusCreated).JSON(&o)
	var b bill
	api.Send(http.MethodPost, "/api/v1/taxes/bills", map[string]any{"object_id": o.ID, "period": "2026",
		"principal_idr": 1250000, "due_date": "2026-09-30"}, w.revenue).Expect(http.StatusCreated).JSON(&b)
	w.billID = b.ID
	return w
}

// at sets the clocks of tax and payments.
func (w *world) at(now time.Time) {
	w.api.App.Tax.SetClock(func() time.Time { return now })
	w.api.App.Payments.SetClock(func() time.Time { return now })
}

func (w *world) pay(as apitest.Actor, channel, key string) *apitest.Response {
	h := map[string]string{}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills/" + w.billID + "/payments",
		Body: map[string]any{"channel": channel}, As: as, Header: h})
}

func (w *world) payOK(t testing.TB, as apitest.Actor, channel string) payment {
	t.Helper()
	var p payment
	w.pay(as, channel, "").Expect(http.StatusCreated).JSON(&p)
	return p
}

func (w *world) payment(t testing.TB, id string, as apitest.Actor) payment {
	t.Helper()
	var p payment
	w.api.Get("/api/v1/me/payments/"+id, as).Expect(http.StatusOK).JSON(&p)
	return p
}

func (w *world) bill(t testing.TB) bill {
	t.Helper()
	var b bill
	w.api.Get("/api/v1/taxes/bills/"+w.billID, w.sari).Expect(http.StatusOK).JSON(&b)
	return b
}

// event is a sandbox notification body.
func event(id, paymentID, status string, amount int64) []byte {
	b, _ := json.Marshal(map[string]any{"event_id": id, "payment_id": paymentID, "status": status,
		"amount_idr": amount, "paid_at": time.Date(2026, 10, 15, 13, 0, 0, 0, wib).Format(time.RFC3339)})
	return b
}

func sign(body []byte, key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// webhook posts body signed with sig (sign(body, secret) when sig is "").
func webhook(api *apitest.API, body []byte, sig string) *apitest.Response {
	if sig == "" {
		sig = sign(body, secret)
	}
	return api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/payments/webhook", RawBody: body,
		Header: map[string]string{"X-Signature": sig}})
}

func count(t testing.TB, api *apitest.API, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := api.DB.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func decodeJSON(t testing.TB, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}
