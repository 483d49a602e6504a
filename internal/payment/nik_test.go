package payment_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// Paying, settling, a refund due, the receipt (JSON and PDF) and its public
// check: no answer, log line, audit entry, notification or payment row
// carries the owner's full NIK.
func TestNoFullNIKInPayments(t *testing.T) {
	t.Parallel()
	api, logs := apitest.NewLogged(t)
	w := newWorldOn(t, api)
	var bodies []string
	keep := func(r *apitest.Response) *apitest.Response { bodies = append(bodies, string(r.Body)); return r }

	var first, second payment
	keep(w.pay(w.sari, "qris", "k1").Expect(http.StatusCreated)).JSON(&first)
	keep(w.pay(w.sari, "va_bri", "k2").Expect(http.StatusCreated)).JSON(&second)
	keep(webhook(api, event("late", first.ID, "paid", first.AmountIDR), "").Expect(http.StatusOK))
	var settled payment
	keep(api.Send(http.MethodPost, "/api/v1/sandbox/payments/"+second.ID+"/settle", nil, w.revenue).Expect(http.StatusOK)).JSON(&settled)
	keep(api.Get("/api/v1/me/payments/"+second.ID, w.sari).Expect(http.StatusOK))
	keep(api.Get("/api/v1/me/payments/"+second.ID+"/receipt", w.sari).Expect(http.StatusOK))
	keep(api.Get("/api/v1/me/payments/"+second.ID+"/receipt.pdf", w.sari).Expect(http.StatusOK))
	keep(api.Get("/api/v1/receipts/"+settled.Receipt.NTPD, apitest.Anonymous).Expect(http.StatusOK))
	keep(api.Get("/api/v1/me/notifications", w.sari).Expect(http.StatusOK))
	keep(api.Get("/api/v1/me/notifications", w.revenue).Expect(http.StatusOK))

	for _, q := range []string{"SELECT * FROM payments", "SELECT * FROM payment_receipts", "SELECT * FROM payment_events",
		"SELECT * FROM audit_log", "SELECT * FROM notifications"} {
		var rows []map[string]any
		if err := api.DB.Raw(q).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, fmt.Sprint(rows))
	}
	bodies = append(bodies, logs.String())
	for i, b := range bodies {
		if strings.Contains(b, sariNIK) {
			t.Fatalf("text %d contains the full NIK", i)
		}
	}
	// The rows were read: the audit entry and the receipt's number are there.
	all := strings.Join(bodies, "")
	if !strings.Contains(all, "payment.refund_due") || strings.Count(all, settled.Receipt.NTPD) < 4 {
		t.Fatal("the rows searched do not hold the refund audit entry and the receipt")
	}
}
