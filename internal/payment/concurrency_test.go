package payment_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/testdb"
)

// The money rules across two API processes over one database. Racing
// payment starts with distinct keys all succeed and leave one pending
// payment; then, all at once: five deliveries of one paid event and five
// new paid events for various payments, the sandbox settle on both
// processes, and a late paid for every superseded payment; then expired,
// failed and the first paid again out of order. Exactly one payment is
// paid, exactly one receipt exists, the bill is paid on both processes, a
// new payment → 409, every superseded payment paid late is refund_due, and
// nothing answers 5xx. PostgreSQL gets the full crowd of 50; SQLite, one
// writer at a time, a smaller one.
func TestMoneyRulesUnderConcurrency(t *testing.T) {
	t.Parallel()
	starts := 10
	if testdb.IsPostgres() {
		starts = 50
	}
	w := newWorld(t)
	other := w.api.Replica()
	now := time.Date(2026, 10, 15, 12, 0, 0, 0, wib)
	other.App.Tax.SetClock(func() time.Time { return now })
	other.App.Payments.SetClock(func() time.Time { return now })
	procs := []*apitest.API{w.api, other}
	payers := []apitest.Actor{w.sari, w.api.User("Budi"), w.api.User("Dewi")}
	channels := []string{"va_bca", "va_bri", "va_mandiri", "qris", "ewallet", "virtual_account"}

	var mu sync.Mutex
	var ids []string
	byID := map[string]payment{}
	payerOf := map[string]apitest.Actor{}
	var wg sync.WaitGroup
	for i := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			as := payers[i%len(payers)]
			r := procs[i%2].Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills/" + w.billID + "/payments",
				Body: map[string]any{"channel": channels[i%len(channels)]}, As: as,
				Header: map[string]string{"Idempotency-Key": fmt.Sprintf("start-%d", i)}})
			if r.Code != http.StatusCreated {
				t.Errorf("start %d: %d %s", i, r.Code, r.Body)
				return
			}
			var p payment
			r.JSON(&p)
			mu.Lock()
			ids = append(ids, p.ID)
			byID[p.ID] = p
			payerOf[p.ID] = as
			mu.Unlock()
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	var pendingID string
	if err := w.api.DB.Raw("SELECT id FROM payments WHERE status = 'pending'").Scan(&pendingID).Error; err != nil {
		t.Fatal(err)
	}
	if c := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'pending'"); c != 1 || byID[pendingID].ID == "" {
		t.Fatalf("%d pending payments (%q), want 1 of %d", c, pendingID, len(ids))
	}
	if c := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'expired'"); c != int64(starts-1) {
		t.Fatalf("%d expired payments, want %d", c, starts-1)
	}
	superseded := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != pendingID {
			superseded = append(superseded, id)
		}
	}
	amount := byID[pendingID].AmountIDR

	// The storm: each request a function, fired at once on alternating
	// processes.
	var storm []func(api *apitest.API) *apitest.Response
	final := event("final", pendingID, "paid", amount)
	for range 5 {
		storm = append(storm, func(api *apitest.API) *apitest.Response { return webhook(api, final, "") })
	}
	for i := range 5 {
		target := pendingID
		if i > 0 {
			target = superseded[i%len(superseded)]
		}
		body := event(fmt.Sprintf("new-%d", i), target, "paid", amount)
		storm = append(storm, func(api *apitest.API) *apitest.Response { return webhook(api, body, "") })
	}
	for range 2 {
		storm = append(storm, func(api *apitest.API) *apitest.Response {
			return api.Send(http.MethodPost, "/api/v1/sandbox/payments/"+pendingID+"/settle", nil, w.revenue)
		})
	}
	for _, id := range superseded {
		body := event("late-"+id, id, "paid", amount)
		storm = append(storm, func(api *apitest.API) *apitest.Response { return webhook(api, body, "") })
	}
	codes := make([]int, len(storm))
	for i, f := range storm {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := f(procs[i%2])
			codes[i] = r.Code
			if r.Code >= 500 {
				t.Errorf("storm request %d: %d %s", i, r.Code, r.Body)
			}
		}()
	}
	wg.Wait()
	for i, c := range codes {
		// A settle that finds its payment already paid answers 200; a settle
		// cannot meet a non-pending payment here, so every answer is 200.
		if c != http.StatusOK {
			t.Errorf("storm request %d: %d", i, c)
		}
	}

	// Then out of order: expired, failed and the first paid again.
	for i, st := range []string{"expired", "failed", "paid"} {
		id := "final"
		if st != "paid" {
			id = fmt.Sprintf("after-%d", i)
		}
		webhook(procs[i%2], event(id, pendingID, st, amount), "").Expect(http.StatusOK)
	}

	if c := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'paid'"); c != 1 {
		t.Fatalf("%d paid payments", c)
	}
	if c := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'paid' AND id = ?", pendingID); c != 1 {
		t.Fatal("the paid payment is not the pending one")
	}
	if c := count(t, w.api, "SELECT count(*) FROM payment_receipts"); c != 1 {
		t.Fatalf("%d receipts", c)
	}
	if c := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'refund_due'"); c != int64(len(superseded)) {
		t.Fatalf("%d refund_due, want %d", c, len(superseded))
	}
	if c := count(t, w.api, "SELECT count(*) FROM audit_log WHERE action = 'payment.refund_due'"); c != int64(len(superseded)) {
		t.Fatalf("%d refund audit entries, want %d", c, len(superseded))
	}
	if c := count(t, w.api, "SELECT count(*) FROM notifications WHERE kind = 'payment_paid'"); c != 1 {
		t.Fatalf("%d paid notifications", c)
	}
	for _, api := range procs {
		var b bill
		api.Get("/api/v1/taxes/bills/"+w.billID, w.sari).Expect(http.StatusOK).JSON(&b)
		if b.Status != "paid" {
			t.Fatalf("bill %s", b.Status)
		}
		api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills/" + w.billID + "/payments",
			Body: map[string]any{"channel": "qris"}, As: w.sari}).ExpectProblem(http.StatusConflict, "already_paid")
	}
	var p payment
	w.api.Get("/api/v1/me/payments/"+pendingID, payerOf[pendingID]).Expect(http.StatusOK).JSON(&p)
	if p.Status != "paid" || p.Receipt == nil {
		t.Fatalf("paid payment %+v", p)
	}

	// A replayed start with a key used above answers its first response
	// (pending, or expired if a newer start overlapped it).
	r := w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills/" + w.billID + "/payments",
		Body: map[string]any{"channel": channels[0]}, As: payers[0], Header: map[string]string{"Idempotency-Key": "start-0"}})
	r.Expect(http.StatusCreated)
	var replay payment
	r.JSON(&replay)
	if first, ok := byID[replay.ID]; !ok || replay.Status != first.Status || replay.Status != "pending" && replay.Status != "expired" {
		t.Fatalf("replay %+v", replay)
	}
}
