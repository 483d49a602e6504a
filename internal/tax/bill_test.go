package tax_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
)

// The penalty is computed as of the service's today in Asia/Jakarta, by the
// rule in force for the due date: API.md's examples (due 2026-09-30: 10-01
// → 1 month, 10-30 → 1, 10-31 → 2), the older 2 % regime, the 24-month cap
// and rounding down to the rupiah.
func TestBillPenaltyAsOfToday(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at(t, "2026-09-01")
	sari := w.citizen(t, "Sari", sariNIK, sariBorn, true)
	o := w.object(t, "337201000100200030", "pbb", "Sari Wulandari", sariNIK)
	hkpd := w.bill(t, o.ID, "2026", 1_000_000, "2026-09-30")
	odd := w.bill(t, o.ID, "2025", 333_333, "2025-09-30")
	old := w.bill(t, o.ID, "2023", 1_000_000, "2023-09-30")
	if hkpd.PenaltyIDR != 0 || hkpd.TotalIDR != 1_000_000 || hkpd.MonthsLate != 0 || hkpd.Status != "unpaid" || hkpd.AsOf != "2026-09-01" {
		t.Fatalf("bill before its due date: %+v", hkpd)
	}
	cases := []struct {
		today   string
		id      string
		months  int
		penalty int64
	}{
		{"2026-09-30", hkpd.ID, 0, 0},
		{"2026-10-01", hkpd.ID, 1, 10_000},
		{"2026-10-30", hkpd.ID, 1, 10_000},
		{"2026-10-31", hkpd.ID, 2, 20_000},
		{"2029-01-01", hkpd.ID, 24, 240_000}, // 28 started months, capped at 24
		{"2025-10-01", odd.ID, 1, 3_333},     // 3 333.33 rounded down
		{"2026-10-01", odd.ID, 13, 43_333},   // 43 333.29
		{"2023-10-01", old.ID, 1, 20_000},    // due before 2024: 2 % a month
		{"2026-10-01", old.ID, 24, 480_000},  // 37 started months, capped at 24
	}
	for _, c := range cases {
		w.at(t, c.today)
		for _, as := range []apitest.Actor{sari, w.revenue} {
			var b bill
			w.api.Get("/api/v1/taxes/bills/"+c.id, as).Expect(http.StatusOK).JSON(&b)
			if b.MonthsLate != c.months || b.PenaltyIDR != c.penalty || b.TotalIDR != b.PrincipalIDR+c.penalty || b.AsOf != c.today {
				t.Errorf("as of %s: bill %s got %d months, penalty %d, total %d; want %d, %d", c.today, b.Period, b.MonthsLate,
					b.PenaltyIDR, b.TotalIDR, c.months, c.penalty)
			}
		}
	}
	// Today is the Jakarta day: 2026-10-30 at 17:30 UTC is already the
	// 31st in Surakarta.
	w.api.App.Tax.SetClock(func() time.Time { return time.Date(2026, 10, 30, 17, 30, 0, 0, time.UTC) })
	var b bill
	w.api.Get("/api/v1/taxes/bills/"+hkpd.ID, sari).Expect(http.StatusOK).JSON(&b)
	if b.MonthsLate != 2 || b.AsOf != "2026-10-31" {
		t.Fatalf("late evening UTC: %+v", b)
	}
}

// Staff bill input: one bill per object and period; amounts in whole rupiah
// within int64 (a fraction or an overflow is a 400, not a rounding); every
// bad input changes nothing.
func TestCreateBillInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at(t, "2026-10-15")
	o := w.object(t, "337201000100200030", "pbjt_restoran", "Sari Wulandari", sariNIK)
	w.bill(t, o.ID, "2026-08", 2_500_000, "2026-09-15")
	raw := func(body string) *apitest.Response {
		return w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills", RawBody: []byte(body), As: w.revenue, Invalid: true})
	}
	for _, body := range []string{
		`{"object_id":"` + o.ID + `","period":"2026-09","principal_idr":1500.5,"due_date":"2026-10-15"}`,
		`{"object_id":"` + o.ID + `","period":"2026-09","principal_idr":9223372036854775808,"due_date":"2026-10-15"}`,
		`{"object_id":"` + o.ID + `","period":"2026-09","principal_idr":1e400,"due_date":"2026-10-15"}`,
		`{"object_id":"` + o.ID + `","period":"2026-09","principal_idr":"1500","due_date":"2026-10-15"}`,
		`{"object_id":"` + o.ID + `","period":"2026-09","principal_idr":1500,"due_date":"2026-10-15"`,
	} {
		raw(body).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
	invalid := []struct {
		body        map[string]any
		field       string
		specForbids bool
	}{
		{map[string]any{"object_id": o.ID, "period": "2026-09", "principal_idr": 0, "due_date": "2026-10-15"}, "principal_idr", true},
		{map[string]any{"object_id": o.ID, "period": "2026-09", "principal_idr": -5, "due_date": "2026-10-15"}, "principal_idr", true},
		{map[string]any{"object_id": o.ID, "period": "2026-09", "principal_idr": int64(1) << 62, "due_date": "2026-10-15"}, "principal_idr", true},
		{map[string]any{"object_id": o.ID, "period": "2026-13", "principal_idr": 1000, "due_date": "2026-10-15"}, "period", false},
		{map[string]any{"object_id": o.ID, "period": "26", "principal_idr": 1000, "due_date": "2026-10-15"}, "period", true},
		{map[string]any{"object_id": o.ID, "period": "2026-09", "principal_idr": 1000, "due_date": "2026-02-30"}, "due_date", false},
		{map[string]any{"object_id": o.ID, "period": "2026-09", "principal_idr": 1000}, "due_date", false},
		{map[string]any{"object_id": "nope", "period": "2026-09", "principal_idr": 1000, "due_date": "2026-10-15"}, "object_id", true},
		{map[string]any{"object_id": uuid.NewString(), "period": "2026-09", "principal_idr": 1000, "due_date": "2026-10-15"}, "object_id", false},
	}
	for i, c := range invalid {
		pr := w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills", Body: c.body, As: w.revenue,
			Invalid: c.specForbids}).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		if len(pr.Errors) == 0 || pr.Errors[0].Field != c.field {
			t.Errorf("case %d: errors %+v, want %s", i, pr.Errors, c.field)
		}
	}
	w.api.Send(http.MethodPost, "/api/v1/taxes/bills", map[string]any{"object_id": o.ID, "period": "2026-08",
		"principal_idr": 1, "due_date": "2026-09-15"}, w.revenue).ExpectProblem(http.StatusConflict, "bill_exists")
	var n int64
	w.api.DB.Raw("SELECT count(*) FROM tax_bills").Scan(&n)
	if n != 1 {
		t.Fatalf("%d bills after bad input, want 1", n)
	}
	// Objects: bad NOPs and NIKs, a NOP outside the city, a taken NOP.
	for _, c := range []struct {
		body        map[string]any
		code        int
		field       string
		specForbids bool
	}{
		{map[string]any{"nop": "33.72.010.001.002-0003", "type": "pbb", "address": "A", "owner_name": "B", "owner_nik": budiNIK}, 422, "nop", false},
		{map[string]any{"nop": "330101000100200030", "type": "pbb", "address": "A", "owner_name": "B", "owner_nik": budiNIK}, 422, "nop", false},
		{map[string]any{"nop": "337201000100200040", "type": "pajak", "address": "A", "owner_name": "B", "owner_nik": budiNIK}, 422, "type", true},
		{map[string]any{"nop": "337201000100200040", "type": "pbb", "address": "A", "owner_name": "B", "owner_nik": "123"}, 422, "owner_nik", true},
		{map[string]any{"nop": "337201000100200040", "type": "pbb", "address": "", "owner_name": "B", "owner_nik": budiNIK}, 422, "address", true},
		{map[string]any{"nop": "337201000100200040", "type": "pbb", "owner_name": "B", "owner_nik": budiNIK}, 422, "address", false},
		{map[string]any{"nop": "33.72.010.001.002-0003.0", "type": "pbb", "address": "A", "owner_name": "B", "owner_nik": budiNIK}, 409, "", false},
	} {
		r := w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/objects", Body: c.body, As: w.revenue, Invalid: c.specForbids})
		if c.code == 409 {
			r.ExpectProblem(http.StatusConflict, "nop_taken")
			continue
		}
		pr := r.ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		if len(pr.Errors) == 0 || pr.Errors[0].Field != c.field {
			t.Errorf("object %v: errors %+v, want %s", c.body, pr.Errors, c.field)
		}
		noFullNIK(t, "object error", pr.Detail+pr.Title)
	}
	w.api.Send(http.MethodPatch, "/api/v1/taxes/objects/"+uuid.NewString(), map[string]any{"address": "X"}, w.revenue).
		ExpectProblem(http.StatusNotFound, "not_found")
	second := w.object(t, "337202000300400050", "pbb", "Budi Santoso", budiNIK)
	w.api.Send(http.MethodPatch, "/api/v1/taxes/objects/"+second.ID, map[string]any{"nop": "33.72.010.001.002-0003.0"}, w.revenue).
		ExpectProblem(http.StatusConflict, "nop_taken")
	w.api.Do(apitest.Req{Method: http.MethodPatch, Path: "/api/v1/taxes/objects/" + second.ID, As: w.revenue, Invalid: true,
		Body: map[string]any{"owner_nik": "33720254079", "address": "Elsewhere"}}).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	var after object
	w.api.Send(http.MethodPatch, "/api/v1/taxes/objects/"+second.ID, map[string]any{}, w.revenue).Expect(http.StatusOK).JSON(&after)
	if after.NOP != "33.72.020.003.004-0005.0" || after.Address != second.Address || after.OwnerNIKMasked != "33720…0002" {
		t.Fatalf("refused changes were applied: %+v", after)
	}
	w.api.DB.Exec("DELETE FROM tax_objects WHERE id = ?", second.ID)
	w.api.DB.Raw("SELECT count(*) FROM tax_objects").Scan(&n)
	if n != 1 {
		t.Fatalf("%d objects after bad input, want 1", n)
	}
}

// The caller's bills: only their objects', filtered by status and year,
// latest due first, paged to the end; a cursor of another filter is 400.
// MarkPaid (what payments will call) pays a bill once.
func TestMyBillsAndMarkPaid(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at(t, "2026-10-15")
	sari := w.citizen(t, "Sari", sariNIK, sariBorn, true)
	budi := w.citizen(t, "Budi", budiNIK, budiBorn, true)
	home := w.object(t, "337201000100200030", "pbb", "Sari Wulandari", sariNIK)
	shop := w.object(t, "337201000100200040", "pbjt_restoran", "Sari Wulandari", sariNIK)
	other := w.object(t, "337204000200100010", "pbb", "Budi Santoso", budiNIK)
	var sariBills []bill
	for y := 2020; y <= 2026; y++ {
		sariBills = append(sariBills, w.bill(t, home.ID, itoa(y), 500_000, itoa(y)+"-09-30"))
	}
	for m := 1; m <= 9; m++ {
		sariBills = append(sariBills, w.bill(t, shop.ID, "2026-0"+itoa(m), 100_000, "2026-"+pad(m+1)+"-15"))
	}
	budiBill := w.bill(t, other.ID, "2026", 750_000, "2026-09-30")

	all := w.api.All(apitest.PageLimit("/api/v1/me/tax-bills", 3), sari)
	if len(all) != len(sariBills) {
		t.Fatalf("%d bills, want %d", len(all), len(sariBills))
	}
	prev := "9999-12-31"
	for _, raw := range all {
		var b bill
		decode(t, raw, &b)
		if b.ID == budiBill.ID || b.DueDate > prev {
			t.Fatalf("bill %+v out of place (after due %s)", b, prev)
		}
		prev = b.DueDate
	}
	// A page costs the same few queries however many bills it holds: the
	// caller's token check and the page (which finds their verified NIK
	// itself); one bill also reads the caller's NIK to decide who may see it.
	for path, max := range map[string]int64{"/api/v1/me/tax-bills?limit=100": 2, "/api/v1/me/tax-objects?limit=100": 2,
		"/api/v1/taxes/bills/" + sariBills[0].ID: 3} {
		w.api.DB.Queries.Reset()
		w.api.Get(path, sari).Expect(http.StatusOK)
		if n := w.api.DB.Queries.Count(); n > max {
			t.Errorf("%s ran %d queries, want at most %d", path, n, max)
		}
	}
	if got := w.api.All(apitest.PageLimit("/api/v1/me/tax-bills?year=2026", 2), sari); len(got) != 10 {
		t.Fatalf("%d bills of 2026, want 10", len(got))
	}
	var page struct {
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	w.api.Get("/api/v1/me/tax-bills?limit=2", sari).Expect(http.StatusOK).JSON(&page)
	w.api.Get("/api/v1/me/tax-bills?year=2026&cursor="+*page.Meta.NextCursor, sari).ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Get("/api/v1/me/tax-bills?cursor="+*page.Meta.NextCursor, budi).ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me/tax-bills?status=overdue", As: sari, Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me/tax-bills?year=20x6", As: sari, Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Get("/api/v1/taxes/bills/"+budiBill.ID, sari).ExpectProblem(http.StatusNotFound, "not_found")

	// Paying: one conditional UPDATE; the same payment again is a no-op,
	// another payment of a paid bill a conflict.
	svc, db := w.api.App.Tax, w.api.App.DB
	target, payment := uuid.MustParse(sariBills[6].ID), uuid.Must(uuid.NewV7())
	paidAt := time.Date(2026, 10, 15, 3, 0, 0, 0, time.UTC)
	pay := func(id uuid.UUID) error {
		return db.InTx(context.Background(), func(tx *gorm.DB) error { return svc.MarkPaid(context.Background(), tx, target, id, paidAt) })
	}
	var due int64
	if err := db.InTx(context.Background(), func(tx *gorm.DB) error {
		b, err := svc.Payable(context.Background(), tx, target)
		due = b.TotalIDR
		return err
	}); err != nil || due != 505_000 {
		t.Fatalf("payable amount %d (%v), want 505000: one month late on 500000", due, err)
	}
	if err := pay(payment); err != nil {
		t.Fatal(err)
	}
	if err := pay(payment); err != nil {
		t.Fatalf("the same payment again: %v", err)
	}
	if err := pay(uuid.Must(uuid.NewV7())); err == nil || !strings.Contains(err.Error(), "paid") {
		t.Fatalf("a second payment of a paid bill: %v", err)
	}
	paid := w.api.All("/api/v1/me/tax-bills?status=paid", sari)
	if len(paid) != 1 {
		t.Fatalf("%d paid bills, want 1", len(paid))
	}
	var b bill
	decode(t, paid[0], &b)
	if b.ID != target.String() || b.Status != "paid" || b.PaidAt == nil || b.MonthsLate != 1 || b.AsOf != "2026-10-15" {
		t.Fatalf("paid bill %+v", b)
	}
	// A paid bill's penalty stays as of the day it was paid.
	w.at(t, "2027-03-01")
	w.api.Get("/api/v1/taxes/bills/"+target.String(), sari).Expect(http.StatusOK).JSON(&b)
	if b.MonthsLate != 1 || b.AsOf != "2026-10-15" {
		t.Fatalf("paid bill later: %+v", b)
	}
}

// The lookup lets anyone signed in find a bill by NOP, with the owner's
// name masked and nothing else about them.
func TestLookupByNOP(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.at(t, "2026-10-31")
	o := w.object(t, "33.72.010.001.002-0003.0", "pbb", "Sari Wulandari", sariNIK)
	w.bill(t, o.ID, "2025", 1_000_000, "2025-09-30")
	w.bill(t, o.ID, "2026", 1_000_000, "2026-09-30")
	stranger := w.api.User("Joko")
	var items []map[string]any
	r := w.api.Get("/api/v1/taxes/bills/lookup?nop=337201000100200030&year=2026", stranger).Expect(http.StatusOK)
	r.JSON(&items)
	if len(items) != 1 || items[0]["owner_name_masked"] != "S*** W********" || items[0]["nop"] != "33.72.010.001.002-0003.0" ||
		items[0]["penalty_idr"] != float64(20_000) || items[0]["total_idr"] != float64(1_020_000) || items[0]["status"] != "unpaid" {
		t.Fatalf("lookup %v", items)
	}
	body := string(r.Body)
	if strings.Contains(body, "Sari") || strings.Contains(body, "Wulandari") || strings.Contains(body, "33720") {
		t.Fatalf("the lookup shows the owner: %s", body)
	}
	w.api.Get("/api/v1/taxes/bills/lookup?nop=33.72.010.001.002-0003.0", stranger).Expect(http.StatusOK).JSON(&items)
	if len(items) != 2 || items[0]["period"] != "2026" {
		t.Fatalf("lookup of every year %v", items)
	}
	w.api.Get("/api/v1/taxes/bills/lookup?nop=337201000100200099", stranger).ExpectProblem(http.StatusNotFound, "not_found")
	for _, q := range []string{"nop=12345", "nop=337201000100200030&year=26", ""} {
		w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/taxes/bills/lookup?" + q, As: stranger, Invalid: true}).
			ExpectProblem(http.StatusBadRequest, "bad_request")
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func pad(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}
