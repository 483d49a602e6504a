package payment_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

type revenueSummary struct {
	Month   string `json:"month"`
	Gateway string `json:"gateway"`
	Days    []struct {
		Date      string `json:"date"`
		Payments  int64  `json:"payments"`
		AmountIDR int64  `json:"amount_idr"`
	} `json:"days"`
	PaidIDR    int64 `json:"paid_idr"`
	Unpaid     int64 `json:"unpaid_bills"`
	UnpaidIDR  int64 `json:"unpaid_idr"`
	Overdue    int64 `json:"overdue_bills"`
	OverdueIDR int64 `json:"overdue_idr"`
}

// The revenue dashboard: each day of this month with what was paid on it,
// and the unpaid and overdue bills, all summed by the database.
func TestRevenueSummary(t *testing.T) {
	t.Parallel()
	w := newWorld(t) // 15 October 2026; Sari's 2026 bill of Rp1.250.000 was due 30 September
	var o struct {
		ID string `json:"id"`
	}
	w.api.Send(http.MethodPost, "/api/v1/taxes/objects", map[string]any{"nop": "337201000100200040", "type": "pbb",
		"address": "Jl. Dr. Radjiman No. 14, Laweyan", "owner_name": "Sari Wulandari", "owner_nik": sariNIK}, w.revenue).
		Expect(http.StatusCreated).JSON(&o)
	w.api.Send(http.MethodPost, "/api/v1/taxes/bills", map[string]any{"object_id": o.ID, "period": "2026",
		"principal_idr": 300000, "due_date": "2026-12-31"}, w.revenue).Expect(http.StatusCreated)

	path := "/api/v1/staff/summary/revenue"
	var got revenueSummary
	w.api.Get(path, w.revenue).Expect(http.StatusOK).JSON(&got)
	if got.Month != "2026-10" || got.Gateway != "sandbox" || len(got.Days) != 15 || got.Days[0].Date != "2026-10-01" || got.Days[14].Date != "2026-10-15" {
		t.Fatalf("month: %+v", got)
	}
	if got.PaidIDR != 0 || got.Unpaid != 2 || got.UnpaidIDR != 1550000 || got.Overdue != 1 || got.OverdueIDR != 1250000 {
		t.Errorf("before paying: %+v", got)
	}

	// A pending payment is still owed; once settled it is paid on the 15th.
	p := w.payOK(t, w.sari, "va_bca")
	w.api.Get(path, w.revenue).Expect(http.StatusOK).JSON(&got)
	if got.Unpaid != 2 || got.PaidIDR != 0 {
		t.Errorf("pending: %+v", got)
	}
	w.api.Send(http.MethodPost, "/api/v1/sandbox/payments/"+p.ID+"/settle", nil, w.revenue).Expect(http.StatusOK)
	w.api.Get(path, w.revenue).Expect(http.StatusOK).JSON(&got)
	if d := got.Days[14]; d.Payments != 1 || d.AmountIDR != p.AmountIDR || p.AmountIDR != 1262500 {
		t.Errorf("the 15th: %+v (payment %d)", d, p.AmountIDR)
	}
	if got.Days[13].Payments != 0 || got.PaidIDR != 1262500 || got.Unpaid != 1 || got.UnpaidIDR != 300000 || got.Overdue != 0 || got.OverdueIDR != 0 {
		t.Errorf("after paying: %+v", got)
	}

	// A new month starts empty; the bill not paid yet is overdue from January.
	w.at(time.Date(2027, 1, 2, 9, 0, 0, 0, wib))
	w.api.Get(path, w.revenue).Expect(http.StatusOK).JSON(&got)
	if got.Month != "2027-01" || len(got.Days) != 2 || got.PaidIDR != 0 || got.Overdue != 1 || got.OverdueIDR != 300000 {
		t.Errorf("January: %+v", got)
	}

	w.api.Get(path, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	w.api.Get(path, w.sari).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get(path, w.api.Staff(identity.DeptTourism)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get(path, w.api.Admin()).Expect(http.StatusOK)
}
