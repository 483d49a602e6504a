package main

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/payment"
)

// The webhook workload signs sandbox notifications itself; the API's
// sandbox adapter must verify and parse them as its own.
func TestWebhookBodiesVerifyWithTheSandbox(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	id := uuid.New()
	paidAt := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	body := WebhookBody("bench-"+id.String(), id.String(), 150000, paidAt)
	h := http.Header{}
	h.Set(payment.SignatureHeader, SignSandbox(secret, body))
	e, err := payment.NewSandbox(secret).Verify(h, body)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if e.PaymentID != id || e.Status != payment.Paid || e.AmountIDR != 150000 || !e.PaidAt.Equal(paidAt) || e.EventID != "bench-"+id.String() {
		t.Fatalf("event = %+v", e)
	}
	h.Set(payment.SignatureHeader, SignSandbox([]byte("another secret"), body))
	if _, err := payment.NewSandbox(secret).Verify(h, body); err == nil {
		t.Fatal("a body signed with another secret verified")
	}
}

func TestTaxWorkloads(t *testing.T) {
	t.Parallel()
	tx := &fixture.Tax{Objects: 3, Bills: 6, CitizenIDs: []string{"a", "b"}, NOPs: []string{"337201000100010010", "337202000100010010"},
		Years: []int{2026, 2025}}
	if ws := TaxWorkloads(tx, []string{"only one"}); ws != nil {
		t.Fatal("workloads built without a token per citizen")
	}
	if ws := TaxWorkloads(nil, nil); ws != nil {
		t.Fatal("workloads built without tax data")
	}
	ws := TaxWorkloads(tx, []string{"tok-a", "tok-b"})
	if len(ws) != 2 || ws[0].ID != "X1" || ws[1].ID != "X2" || ws[0].TargetRPS != TargetTaxRPS {
		t.Fatalf("workloads = %+v", ws)
	}
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for range 50 {
		seen[ws[0].Token(r)] = true
		if p := ws[0].Next(r); p != "/api/v1/me/tax-bills" {
			t.Fatalf("X1 path %s", p)
		}
		p := ws[1].Next(r)
		if !strings.HasPrefix(p, "/api/v1/taxes/bills/lookup?nop=3372") || !(strings.HasSuffix(p, "&year=2026") || strings.HasSuffix(p, "&year=2025")) {
			t.Fatalf("X2 path %s", p)
		}
	}
	if !seen["tok-a"] || !seen["tok-b"] || len(seen) != 2 {
		t.Fatalf("tokens drawn: %v", seen)
	}
}

func TestRenderTax(t *testing.T) {
	t.Parallel()
	rf := RunFile{Results: []Result{{ID: "W1", RPS: 1500}, {ID: "X1", RPS: 2500, P99MS: 30}, {ID: "X2", RPS: 1800, P99MS: 40}},
		DB: &DBInfo{Counts: map[string]int64{"tax_bills": 100000, "tax_objects": 50000, "citizen_profiles": 2000}}}
	wh := &WebhookFile{Payments: 10, Deliveries: 20, Concurrency: 4, EventsPS: 800, Status: map[string]int64{"200": 20},
		Check: &WebhookCheck{EventsExpected: 10, PaidPayments: 10, PaidSubjects: 10, Events: 10, Receipts: 10, PaidBills: 10, ExactlyOnce: true}}
	var b strings.Builder
	renderTax(&b, ReportInput{Runs: []RunFile{rf}, Webhook: wh})
	out := b.String()
	for _, want := range []string{"## Local tax", "| 1500 | 2500 | 1.67 |", "X2 below 2000/s", "bills, one per object and year", "| 800 |", "**true**"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
