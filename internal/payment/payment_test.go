package payment_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	paying "github.com/solodestination/api/internal/payment"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/internal/platform/jobs"
	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/ntpd"
	"github.com/solodestination/api/pkg/qris"
)

// Each channel's instructions: a virtual account of the bank's prefix and
// the NOP's last 13 digits for a day, a dynamic QRIS with a valid CRC and
// the exact amount for 15 minutes, a checkout URL; the amount is the total
// as of today; a new payment expires the pending one.
func TestStartPaymentByChannel(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Date(2026, 10, 15, 12, 0, 0, 0, wib)
	const total = 1250000 + 12500

	va := w.payOK(t, w.sari, "va_bri")
	if va.Status != "pending" || va.AmountIDR != total || va.VANumber != "88810"+plotNOP[5:] || va.QRString != "" ||
		!va.ExpiresAt.Equal(now.Add(24*time.Hour)) || va.BillID != w.billID || va.NOP != "33.72.010.001.002-0003.0" {
		t.Fatalf("VA payment %+v", va)
	}
	if p := w.payOK(t, w.sari, "virtual_account"); !strings.HasPrefix(p.VANumber, "39358") || len(p.VANumber) != 18 {
		t.Fatalf("virtual_account is BCA: %q", p.VANumber)
	}
	qr := w.payOK(t, w.sari, "qris")
	payload, err := qris.Parse(qr.QRString)
	if err != nil || !qr.ExpiresAt.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("QRIS %q: %v, expires %v", qr.QRString, err, qr.ExpiresAt)
	}
	amount := ""
	for _, f := range payload.Fields {
		if f.ID == qris.IDAmount {
			amount = f.Value
		}
	}
	if amount != "1262500" {
		t.Fatalf("QRIS amount %q", amount)
	}
	wallet := w.payOK(t, w.sari, "ewallet")
	if !strings.HasSuffix(wallet.CheckoutURL, "/checkout/"+wallet.ID) {
		t.Fatalf("checkout URL %q", wallet.CheckoutURL)
	}

	// Only the newest is pending; the older ones expired with each start.
	for _, p := range []payment{va, qr} {
		if got := w.payment(t, p.ID, w.sari); got.Status != "expired" {
			t.Errorf("payment %s: %s, want expired", p.ID, got.Status)
		}
	}
	if n := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'pending'"); n != 1 {
		t.Fatalf("%d pending payments", n)
	}

	// A month later the amount fixed at start stays; a new one costs more.
	w.at(now.AddDate(0, 1, 0))
	if got := w.payment(t, wallet.ID, w.sari); got.AmountIDR != total {
		t.Fatalf("amount moved to %d", got.AmountIDR)
	}
	if p := w.payOK(t, w.sari, "qris"); p.AmountIDR != 1250000+25000 {
		t.Fatalf("two months late: %d", p.AmountIDR)
	}
}

func TestStartPaymentRejects(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills/" + w.billID + "/payments",
		Body: map[string]any{"channel": "cash"}, As: w.sari, Invalid: true}).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	w.api.Send(http.MethodPost, "/api/v1/taxes/bills/0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60/payments",
		map[string]any{"channel": "qris"}, w.sari).ExpectProblem(http.StatusNotFound, "not_found")
	w.pay(apitest.Anonymous, "qris", "").ExpectProblem(http.StatusUnauthorized, "unauthorized")
	if n := count(t, w.api, "SELECT count(*) FROM payments"); n != 0 {
		t.Fatalf("%d payments after refusals", n)
	}
}

// Anyone signed in may pay a bill (a relative's, found by NOP); the payment
// and its receipt are the payer's alone.
func TestPaymentBelongsToPayer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	budi := w.api.User("Budi")
	p := w.payOK(t, budi, "qris")
	w.api.Get("/api/v1/me/payments/"+p.ID, w.sari).ExpectProblem(http.StatusNotFound, "not_found")
	w.api.Get("/api/v1/me/payments/"+p.ID, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	w.api.Get("/api/v1/me/payments/"+p.ID+"/receipt", budi).ExpectProblem(http.StatusNotFound, "not_found") // not paid yet

	// Settling is for revenue staff and admins.
	path := "/api/v1/sandbox/payments/" + p.ID + "/settle"
	w.api.Send(http.MethodPost, path, nil, budi).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Send(http.MethodPost, path, nil, w.api.Staff(identity.DeptTransport)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Send(http.MethodPost, path, nil, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	var settled payment
	w.api.Send(http.MethodPost, path, nil, w.api.Admin()).Expect(http.StatusOK).JSON(&settled)
	if settled.Status != "paid" || settled.Receipt == nil {
		t.Fatalf("settled %+v", settled)
	}
	var r receipt
	w.api.Get("/api/v1/me/payments/"+p.ID+"/receipt", budi).Expect(http.StatusOK).JSON(&r)
	w.api.Get("/api/v1/me/payments/"+p.ID+"/receipt", w.sari).ExpectProblem(http.StatusNotFound, "not_found")
	if r.NTPD != settled.Receipt.NTPD {
		t.Fatalf("receipt %+v vs %+v", r, settled.Receipt)
	}
}

// The sandbox settle: the payment paid, the bill paid, one receipt with a
// checkable NTPD of the payment's day, the payer notified, the settle
// audited; settling again changes nothing; a new payment → 409.
func TestSettleIssuesReceiptOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.payOK(t, w.sari, "va_bca")
	path := "/api/v1/sandbox/payments/" + p.ID + "/settle"
	var s payment
	w.api.Send(http.MethodPost, path, nil, w.revenue).Expect(http.StatusOK).JSON(&s)
	if s.Status != "paid" || s.PaidAt == nil || s.Receipt == nil {
		t.Fatalf("settled %+v", s)
	}
	n, err := ntpd.Parse(s.Receipt.NTPD)
	if err != nil || n.Region != ntpd.SurakartaRegion || n.Date.String() != "2026-10-15" {
		t.Fatalf("NTPD %q: %+v %v", s.Receipt.NTPD, n, err)
	}
	r := s.Receipt
	if r.BillID != w.billID || r.AmountIDR != p.AmountIDR || r.Channel != "va_bca" || r.Period != "2026" ||
		r.NOP != "33.72.010.001.002-0003.0" || r.PaymentID != p.ID {
		t.Fatalf("receipt %+v", r)
	}
	if b := w.bill(t); b.Status != "paid" {
		t.Fatalf("bill %s", b.Status)
	}
	var again payment
	w.api.Send(http.MethodPost, path, nil, w.revenue).Expect(http.StatusOK).JSON(&again)
	if again.Receipt == nil || again.Receipt.NTPD != r.NTPD {
		t.Fatalf("second settle %+v", again)
	}
	w.pay(w.sari, "qris", "").ExpectProblem(http.StatusConflict, "already_paid")
	if c := count(t, w.api, "SELECT count(*) FROM payment_receipts"); c != 1 {
		t.Fatalf("%d receipts", c)
	}
	if c := count(t, w.api, "SELECT count(*) FROM notifications WHERE kind = 'payment_paid' AND user_id = ?", w.sari.ID); c != 1 {
		t.Fatalf("%d paid notifications", c)
	}
	if c := count(t, w.api, "SELECT count(*) FROM audit_log WHERE action = 'payment.settle' AND entity_id = ?", p.ID); c != 2 {
		t.Fatalf("%d settle audit entries", c)
	}
}

// A bad signature → 401 and a wrong amount → 422 change nothing: no event
// stored, the payment pending, the bill unpaid.
func TestWebhookRefusalsChangeNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.payOK(t, w.sari, "qris")
	body := event("evt-1", p.ID, "paid", p.AmountIDR)
	webhook(w.api, body, sign(body, "another-secret-another-secret-0123")).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	webhook(w.api, body, "zz").ExpectProblem(http.StatusUnauthorized, "unauthorized")
	w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/payments/webhook", RawBody: body}).
		ExpectProblem(http.StatusUnauthorized, "unauthorized")
	// The signature covers the raw bytes: the same JSON re-spaced fails.
	webhook(w.api, []byte(" "+string(body)), sign(body, secret)).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	webhook(w.api, event("evt-2", p.ID, "paid", p.AmountIDR-1), "").ExpectProblem(http.StatusUnprocessableEntity, "amount_mismatch")

	if got := w.payment(t, p.ID, w.sari); got.Status != "pending" {
		t.Fatalf("payment %s", got.Status)
	}
	if b := w.bill(t); b.Status != "unpaid" {
		t.Fatalf("bill %s", b.Status)
	}
	if c := count(t, w.api, "SELECT count(*) FROM payment_events"); c != 0 {
		t.Fatalf("%d events stored", c)
	}
	// The refused event id is still free: the right amount goes through.
	webhook(w.api, event("evt-2", p.ID, "paid", p.AmountIDR), "").Expect(http.StatusOK)
	if b := w.bill(t); b.Status != "paid" {
		t.Fatalf("bill %s", b.Status)
	}
}

type ack struct {
	PaymentID string `json:"payment_id"`
	Status    string `json:"status"`
	Duplicate bool   `json:"duplicate"`
}

// Forward only: failed is not undone by a later paid, which is recorded as
// refund_due (audited, the payer told) and never pays the bill; a
// redelivered event is a no-op; paid is final.
func TestWebhookStateMachine(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	first := w.payOK(t, w.sari, "qris")
	var a ack
	webhook(w.api, event("e-fail", first.ID, "failed", first.AmountIDR), "").Expect(http.StatusOK).JSON(&a)
	if a.Status != "failed" || a.Duplicate {
		t.Fatalf("failed ack %+v", a)
	}
	webhook(w.api, event("e-late", first.ID, "paid", first.AmountIDR), "").Expect(http.StatusOK).JSON(&a)
	if a.Status != "refund_due" {
		t.Fatalf("late paid ack %+v", a)
	}
	webhook(w.api, event("e-late", first.ID, "paid", first.AmountIDR), "").Expect(http.StatusOK).JSON(&a)
	if a.Status != "refund_due" || !a.Duplicate {
		t.Fatalf("redelivery ack %+v", a)
	}
	if b := w.bill(t); b.Status != "unpaid" {
		t.Fatalf("bill %s after a refunded payment", b.Status)
	}
	if c := count(t, w.api, "SELECT count(*) FROM audit_log WHERE action = 'payment.refund_due' AND entity_id = ?", first.ID); c != 1 {
		t.Fatalf("%d refund audit entries", c)
	}
	if c := count(t, w.api, "SELECT count(*) FROM notifications WHERE kind = 'payment_refund_due'"); c != 1 {
		t.Fatalf("%d refund notifications", c)
	}
	// Revenue staff are told too (the desk, not other departments).
	if c := count(t, w.api, "SELECT count(*) FROM notifications WHERE kind = 'payment_refund_due_staff' AND user_id = ?", w.revenue.ID); c != 1 {
		t.Fatalf("%d staff refund notifications", c)
	}
	if c := count(t, w.api, "SELECT count(*) FROM notifications WHERE kind = 'payment_refund_due_staff'"); c != 1 {
		t.Fatalf("%d staff refund notifications in all", c)
	}

	second := w.payOK(t, w.sari, "va_mandiri")
	webhook(w.api, event("e-paid", second.ID, "paid", second.AmountIDR), "").Expect(http.StatusOK).JSON(&a)
	if a.Status != "paid" {
		t.Fatalf("paid ack %+v", a)
	}
	webhook(w.api, event("e-exp", second.ID, "expired", second.AmountIDR), "").Expect(http.StatusOK).JSON(&a)
	if a.Status != "paid" || a.Duplicate {
		t.Fatalf("expired after paid %+v", a)
	}
	if got := w.payment(t, second.ID, w.sari); got.Status != "paid" || got.Receipt == nil {
		t.Fatalf("paid payment %+v", got)
	}
	if c := count(t, w.api, "SELECT count(*) FROM payment_receipts"); c != 1 {
		t.Fatalf("%d receipts", c)
	}
	// An unknown payment is 404, stores nothing.
	webhook(w.api, event("e-x", "0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60", "paid", 1), "").ExpectProblem(http.StatusNotFound, "not_found")
}

// The same Idempotency-Key answers the first response and starts nothing
// new; another body with it → 422.
func TestStartPaymentIdempotent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r1 := w.pay(w.sari, "qris", "pay-1").Expect(http.StatusCreated)
	r2 := w.pay(w.sari, "qris", "pay-1").Expect(http.StatusCreated)
	if string(r1.Body) != string(r2.Body) || r2.Header.Get(idempotency.ReplayedHeader) != "true" {
		t.Fatalf("replay %s vs %s", r2.Body, r1.Body)
	}
	w.pay(w.sari, "ewallet", "pay-1").ExpectProblem(http.StatusUnprocessableEntity, "idempotency_conflict")
	if c := count(t, w.api, "SELECT count(*) FROM payments"); c != 1 {
		t.Fatalf("%d payments", c)
	}
}

// Without a gateway the payment routes answer 503 before their handlers.
func TestPaymentsDisabled(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, func(c *config.Config) { c.PaymentGateway = config.GatewayNone })
	body := event("e", "0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60", "paid", 1)
	webhook(api, body, "").ExpectProblem(http.StatusServiceUnavailable, "unavailable")
	api.Get("/api/v1/me/payments/0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60", api.User("Sari")).
		ExpectProblem(http.StatusServiceUnavailable, "unavailable")
}

// A paid payment's receipt as a PDF for its payer, and the public check of
// its NTPD showing only number, amount, day and masked NOP.
func TestReceiptPDFAndPublicCheck(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.payOK(t, w.sari, "qris")
	w.api.Get("/api/v1/me/payments/"+p.ID+"/receipt.pdf", w.sari).ExpectProblem(http.StatusNotFound, "not_found")
	var s payment
	w.api.Send(http.MethodPost, "/api/v1/sandbox/payments/"+p.ID+"/settle", nil, w.revenue).Expect(http.StatusOK).JSON(&s)
	number := s.Receipt.NTPD

	r := w.api.Get("/api/v1/me/payments/"+p.ID+"/receipt.pdf", w.sari).Expect(http.StatusOK)
	if r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF-") {
		t.Fatalf("PDF: %q, %q…", r.Header.Get("Content-Type"), r.Body[:min(len(r.Body), 8)])
	}
	w.api.Get("/api/v1/me/payments/"+p.ID+"/receipt.pdf", w.api.User("Budi")).ExpectProblem(http.StatusNotFound, "not_found")
	// The JSON receipt's path answers the PDF to Accept: application/pdf.
	neg := w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me/payments/" + p.ID + "/receipt", As: w.sari,
		Header: map[string]string{"Accept": "application/pdf"}}).Expect(http.StatusOK)
	if neg.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(neg.Body), "%PDF-") {
		t.Fatalf("negotiated receipt: %q", neg.Header.Get("Content-Type"))
	}
	var js receipt
	w.api.Get("/api/v1/me/payments/"+p.ID+"/receipt", w.sari).Expect(http.StatusOK).JSON(&js)
	if js.NTPD != number {
		t.Fatalf("JSON receipt %+v", js)
	}

	var check map[string]any
	w.api.Get("/api/v1/receipts/"+number, apitest.Anonymous).Expect(http.StatusOK).JSON(&check)
	want := map[string]any{"ntpd": number, "amount_idr": float64(p.AmountIDR), "paid_on": "2026-10-15",
		"nop_masked": "33.72.010.001.***-**03.0"}
	if len(check) != len(want) {
		t.Fatalf("check shows %v", check)
	}
	for k, v := range want {
		if check[k] != v {
			t.Errorf("%s = %v, want %v", k, check[k], v)
		}
	}
	// One digit off fails the check digits; a valid unknown number is 404.
	typo := []byte(number)
	typo[10] = '0' + (typo[10]-'0'+1)%10
	w.api.Get("/api/v1/receipts/"+string(typo), apitest.Anonymous).ExpectProblem(http.StatusBadRequest, "bad_request")
	other, _ := ntpd.New(ntpd.SurakartaRegion, civil.Date{Year: 2026, Month: 1, Day: 2}, 7)
	w.api.Get("/api/v1/receipts/"+other, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
}

// The expiry sweep (a job on the queue) expires payments still pending
// NotifyGrace after their expiry and leaves younger ones; a paid notice
// for a swept payment is a refund, and the bill can be paid anew.
func TestExpirySweep(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	start := time.Date(2026, 10, 15, 12, 0, 0, 0, wib)
	qr := w.payOK(t, w.sari, "qris") // expires 12:15
	sweep := func(at time.Time) {
		t.Helper()
		w.at(at)
		if err := jobs.RunNow(context.Background(), w.api.App.Jobs, paying.ExpirySweep{}); err != nil {
			t.Fatal(err)
		}
	}
	sweep(start.Add(29 * time.Minute)) // within the grace
	if got := w.payment(t, qr.ID, w.sari); got.Status != "pending" {
		t.Fatalf("swept within grace: %s", got.Status)
	}
	sweep(start.Add(31 * time.Minute))
	if got := w.payment(t, qr.ID, w.sari); got.Status != "expired" {
		t.Fatalf("after the grace: %s", got.Status)
	}
	var a ack
	webhook(w.api, event("late", qr.ID, "paid", qr.AmountIDR), "").Expect(http.StatusOK).JSON(&a)
	if a.Status != "refund_due" {
		t.Fatalf("late paid after sweep: %+v", a)
	}
	va := w.payOK(t, w.sari, "va_bca")
	sweep(start.Add(24*time.Hour + time.Hour))
	if got := w.payment(t, va.ID, w.sari); got.Status != "expired" {
		t.Fatalf("VA after a day: %s", got.Status)
	}
}

// Revenue staff's overview: refunds due found by status, every payment of a
// bill paged to the end; other users 403; a cursor of another filter 400.
func TestStaffPaymentList(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var ps []payment
	for _, ch := range []string{"qris", "va_bca", "ewallet", "va_bri", "qris"} {
		ps = append(ps, w.payOK(t, w.sari, ch))
	}
	webhook(w.api, event("late-0", ps[0].ID, "paid", ps[0].AmountIDR), "").Expect(http.StatusOK)
	webhook(w.api, event("late-1", ps[1].ID, "paid", ps[1].AmountIDR), "").Expect(http.StatusOK)

	all := w.api.All(apitest.PageLimit("/api/v1/staff/payments?bill_id="+w.billID, 2), w.revenue)
	if len(all) != len(ps) {
		t.Fatalf("%d payments listed, want %d", len(all), len(ps))
	}
	var first payment
	decodeJSON(t, all[0], &first)
	if first.ID != ps[len(ps)-1].ID || first.Status != "pending" {
		t.Fatalf("newest first: %+v", first)
	}
	var refunds struct {
		Data []payment `json:"data"`
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	w.api.Get("/api/v1/staff/payments?status=refund_due&limit=1", w.api.Admin()).Expect(http.StatusOK).JSON(&refunds)
	if len(refunds.Data) != 1 || refunds.Data[0].ID != ps[1].ID || refunds.Meta.NextCursor == nil {
		t.Fatalf("refunds page %+v", refunds)
	}
	w.api.Get("/api/v1/staff/payments?status=paid&cursor="+*refunds.Meta.NextCursor, w.revenue).ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Get("/api/v1/staff/payments", w.sari).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/staff/payments?status=owed", As: w.revenue, Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
}
