package payment_test

import (
	"net/http"
	"testing"
)

// Payments are counted by status as they commit and the webhook's
// notifications by outcome; a refused notification changes no status count.
func TestPaymentMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.payOK(t, w.sari, "qris")
	if n := w.api.Metric(`payments_total{status="pending"}`); n != 1 {
		t.Fatalf("pending after opening one payment: %v", n)
	}
	// A wrong signature and a wrong amount are refused and counted so.
	webhook(w.api, event("ev-forged", p.ID, "paid", p.AmountIDR), "00").ExpectProblem(http.StatusUnauthorized, "unauthorized")
	webhook(w.api, event("ev-short", p.ID, "paid", p.AmountIDR-1), "").ExpectProblem(http.StatusUnprocessableEntity, "amount_mismatch")
	if n := w.api.Metric(`payments_total{status="paid"}`); n != 0 {
		t.Fatalf("paid after refused notifications: %v", n)
	}

	w.api.Send(http.MethodPost, "/api/v1/sandbox/payments/"+p.ID+"/settle", nil, w.revenue).Expect(http.StatusOK)
	if n := w.api.Metric(`payments_total{status="paid"}`); n != 1 {
		t.Fatalf("paid after settling: %v", n)
	}
	// A late failure notice changes nothing; its redelivery is a duplicate.
	late := event("ev-late", p.ID, "failed", p.AmountIDR)
	webhook(w.api, late, "").Expect(http.StatusOK)
	webhook(w.api, late, "").Expect(http.StatusOK)
	for series, want := range map[string]float64{
		`payment_webhooks_total{outcome="bad_signature"}`:   1,
		`payment_webhooks_total{outcome="amount_mismatch"}`: 1,
		`payment_webhooks_total{outcome="ignored"}`:         1,
		`payment_webhooks_total{outcome="duplicate"}`:       1,
		`payment_webhooks_total{outcome="paid"}`:            0, // the sandbox settle is not a webhook
		`payments_total{status="failed"}`:                   0,
		`payments_total{status="paid"}`:                     1,
	} {
		if n := w.api.Metric(series); n != want {
			t.Errorf("%s = %v, want %v", series, n, want)
		}
	}
}
