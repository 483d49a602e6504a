package payment_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
)

// BenchmarkWebhook measures notifications handled per second through the
// whole router, half of them redeliveries, spread over 20 bills' pending
// payments (each event after a payment's first changes nothing but is
// stored once). Run on PostgreSQL:
//
//	TEST_DATABASE_URL=… go test -run '^$' -bench Webhook -benchtime 5s ./internal/payment/
func BenchmarkWebhook(b *testing.B) {
	w := newWorld(b)
	var payments []payment
	for i := range 20 {
		var o struct {
			ID string `json:"id"`
		}
		w.api.Send(http.MethodPost, "/api/v1/taxes/objects", map[string]any{"nop": fmt.Sprintf("33720100010030%04d", i), "type": "pbb",
			"address": "Jl. Slamet Riyadi", "owner_name": "Sari Wulandari", "owner_nik": sariNIK}, w.revenue).Expect(http.StatusCreated).JSON(&o)
		var bl bill
		w.api.Send(http.MethodPost, "/api/v1/taxes/bills", map[string]any{"object_id": o.ID, "period": "2026",
			"principal_idr": 1000000, "due_date": "2026-09-30"}, w.revenue).Expect(http.StatusCreated).JSON(&bl)
		w.billID = bl.ID
		payments = append(payments, w.payOK(b, w.sari, "va_bca"))
	}
	var seq atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			p := payments[(i/2)%int64(len(payments))]
			// Every event twice (i = 2k and 2k+1), the same body both times.
			body := event(fmt.Sprintf("bench-%d", i/2), p.ID, "failed", p.AmountIDR)
			if r := webhook(w.api, body, ""); r.Code != http.StatusOK {
				b.Fatalf("webhook: %d %s", r.Code, r.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
