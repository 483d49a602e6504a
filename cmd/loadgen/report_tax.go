package main

import (
	"fmt"
	"slices"
	"strings"
)

// renderTax writes the local-tax section: the two reads against the issue's
// floor and against W1 of the same run, and the webhook workload.
func renderTax(b *strings.Builder, in ReportInput) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	var runs []RunFile
	for _, rf := range in.Runs {
		if slices.ContainsFunc(rf.Results, func(r Result) bool { return r.ID == "X1" || r.ID == "X2" }) {
			runs = append(runs, rf)
		}
	}
	if len(runs) == 0 && in.Webhook == nil {
		return
	}
	p("## Local tax\n\n")
	if last := lastDB(in.Runs); last != nil && last.Counts["tax_bills"] > 0 {
		c := last.Counts
		p("Data set (`benchdata`, tax part): %s accounts with verified citizen profiles (NIKs sealed with the API's key: AES-GCM ciphertext and "+
			"HMAC blind index, as `internal/tax`'s Vault writes them); %s tax objects in Surakarta's NOP range, half of them owned by those citizens "+
			"(the rest by NIKs no account claims); %s bills, one per object and year for this year and last, due 30 September. Loaded with COPY in one transaction.\n\n",
			thousands(c["citizen_profiles"]), thousands(c["tax_objects"]), thousands(c["tax_bills"]))
	}
	if len(runs) > 0 {
		p("### Reads\n\n")
		p("The issue's bar: `GET /me/tax-bills` (X1, as a random verified citizen) and `GET /taxes/bills/lookup?nop=&year=` (X2) at %d req/s or more on the database path; "+
			"W1 of the same run (same concurrency) for comparison.\n\n", TargetTaxRPS)
		p("| run | W1 req/s | X1 req/s | X1 ÷ W1 | X1 p99 ms | X2 req/s | X2 ÷ W1 | X2 p99 ms | verdict |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, rf := range runs {
			w1, x1, x2 := find(rf, "W1"), find(rf, "X1"), find(rf, "X2")
			var why []string
			cell := func(r *Result) (string, string, string) {
				if r == nil {
					return "–", "–", "–"
				}
				if r.RPS < TargetTaxRPS {
					why = append(why, fmt.Sprintf("%s below %d/s", r.ID, TargetTaxRPS))
				}
				if r.Errors > 0 {
					why = append(why, fmt.Sprintf("%s had %d errors", r.ID, r.Errors))
				}
				ratio := "–"
				if w1 != nil && w1.RPS > 0 {
					ratio = fmt.Sprintf("%.2f", r.RPS/w1.RPS)
				}
				return fmt.Sprintf("%.0f", r.RPS), ratio, fmt.Sprintf("%.1f", r.P99MS)
			}
			w := "–"
			if w1 != nil {
				w = fmt.Sprintf("%.0f", w1.RPS)
			}
			a1, a2, a3 := cell(x1)
			b1, b2, b3 := cell(x2)
			verdict := "met"
			if len(why) > 0 {
				verdict = "**not met** (" + strings.Join(why, "; ") + ")"
			}
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", runLabel(rf), w, a1, a2, a3, b1, b2, b3, verdict)
		}
		p("\n")
	}
	if wh := in.Webhook; wh != nil {
		p("### Webhooks\n\n")
		p("Setup: %s pending QRIS payments created through the API by the bills' owners (`POST /taxes/bills/{id}/payments`, %.0f/s). "+
			"Then a sandbox `paid` notification for each, signed with the API's `PAYMENT_WEBHOOK_SECRET` (`X-Signature`, HMAC-SHA256 over the raw body), "+
			"delivered twice with the same event id (%s deliveries, half of them duplicates), shuffled, %d at a time to `POST /payments/webhook`.\n\n",
			thousands(int64(wh.Payments)), wh.SetupPS, thousands(int64(wh.Deliveries)), wh.Concurrency)
		verdict := "met"
		if wh.EventsPS < TargetWebhooksPS || wh.Errors > 0 || (wh.Check != nil && !wh.Check.ExactlyOnce) {
			verdict = "**not met**"
		}
		p("| deliveries | events/s | p50 ms | p99 ms | max ms | statuses | errors | target | verdict |\n|---:|---:|---:|---:|---:|---|---:|---:|---|\n")
		p("| %s | %.0f | %.1f | %.1f | %.1f | %s | %d | %d/s | %s |\n\n", thousands(int64(wh.Deliveries)), wh.EventsPS, wh.P50MS, wh.P99MS, wh.MaxMS,
			countsText(wh.Status), wh.Errors, TargetWebhooksPS, verdict)
		if ch := wh.Check; ch != nil {
			p("Afterwards in the database, for the %s payments: %s paid (%s distinct bills), %s stored events, %s receipts, %s bills paid, "+
				"%d bills with more than one paid payment, %d still pending, %d due for refund — exactly one paid payment, event and receipt per payment: **%v**.\n\n",
				thousands(ch.EventsExpected), thousands(ch.PaidPayments), thousands(ch.PaidSubjects), thousands(ch.Events), thousands(ch.Receipts),
				thousands(ch.PaidBills), ch.SubjectsTwice, ch.PendingLeft, ch.RefundDue, ch.ExactlyOnce)
		}
		if wh.CPU != nil {
			p("CPU during the deliveries, in cores busy: API %.2f, PostgreSQL %.2f, load generator %.2f; machine %.0f %% busy.\n\n",
				wh.CPU.ServerCores, wh.CPU.PostgresCores, wh.CPU.LoadgenCores, wh.CPU.MachineBusy)
		}
	}
}
