package permit_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// attach records the required documents of an application directly: the
// upload path is tested on its own.
func attach(t *testing.T, w *world, a application, owner apitest.Actor, codes ...string) {
	t.Helper()
	for _, code := range codes {
		err := w.api.DB.Exec(`INSERT INTO permit_documents (id, application_id, code, filename, content_type, size, sha256,
			storage_key, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, 'application/pdf', 1000, ?, ?, ?, ?)`,
			uuid.Must(uuid.NewV7()), a.ID, code, code+".pdf",
			"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "permits/"+uuid.NewString(), owner.ID,
			time.Now().UTC()).Error
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A reklame application shows the applicant's reklame tax standing, and
// its approval waits while a bill is overdue.
func TestReklameWaitsForTax(t *testing.T) {
	w := newWorld(t)
	w.at(t, "2026-12-07T10:00")
	w.api.App.Tax.SetClock(func() time.Time { return time.Date(2026, 12, 7, 10, 0, 0, 0, wib) })
	revenue := w.api.Staff(identity.DeptRevenue)
	owner := w.api.User("sari")
	w.api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": "3372015407900001", "full_name": "Sari Wulandari", "birth_date": "1990-07-14"}, owner).Expect(http.StatusOK)
	w.api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+owner.ID.String()+"/verify", nil, revenue).Expect(http.StatusOK)
	var obj struct{ ID string }
	w.api.Send(http.MethodPost, "/api/v1/taxes/objects", map[string]any{"nop": "33.72.010.001.002-0003.0", "type": "reklame",
		"address": "Jl. Slamet Riyadi No. 1", "owner_name": "Sari Wulandari", "owner_nik": "3372015407900001"}, revenue).
		Expect(http.StatusCreated).JSON(&obj)
	var bill struct{ ID string }
	w.api.Send(http.MethodPost, "/api/v1/taxes/bills", map[string]any{"object_id": obj.ID, "period": "2026-10",
		"principal_idr": 1500000, "due_date": "2026-11-30"}, revenue).Expect(http.StatusCreated).JSON(&bill)

	a := w.apply(t, owner, "reklame", map[string]any{"holder_name": "Sari Wulandari", "kind": "billboard",
		"location": "Jl. Slamet Riyadi No. 1, Laweyan", "width_m": 4, "height_m": 3, "content": "Batik Sari"})
	if a.TaxStatus == nil || a.TaxStatus.UnpaidBills != 1 || a.TaxStatus.OverdueBills != 1 || a.TaxStatus.UnpaidIDR < 1500000 {
		t.Fatalf("tax_status %+v", a.TaxStatus)
	}
	attach(t, w, a, owner, "ktp", "design", "location_photo", "land_consent")
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK)
	w.move(t, a, "in_review", "", w.licensing).Expect(http.StatusOK)
	w.move(t, a, "approved", "", w.licensing).ExpectProblem(http.StatusConflict, "unpaid_tax")
	// Paid (settled as the payment domain does), approval goes through.
	if err := w.api.DB.Exec("UPDATE tax_bills SET status = 'paid', paid_at = ? WHERE id = ?", time.Now().UTC(), bill.ID).Error; err != nil {
		t.Fatal(err)
	}
	var got application
	w.move(t, a, "approved", "", w.licensing).Expect(http.StatusOK).JSON(&got)
	if got.TaxStatus == nil || got.TaxStatus.UnpaidBills != 0 || got.PermitNumber == nil {
		t.Fatalf("after payment %+v", got)
	}
	// Other types carry no tax status.
	if s := w.simple(t, owner); s.TaxStatus != nil {
		t.Fatalf("tax_status on %s", s.Type)
	}
}

// A keramaian permit is valid to the end of its event: its end date, or
// its only day.
func TestKeramaianValidity(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	for _, c := range []struct{ end, want string }{{"2026-12-29", "2026-12-29"}, {"", "2026-12-28"}} {
		data := keramaian("local", "2026-12-28")
		if c.end != "" {
			data["event_end_date"] = c.end
		}
		a := w.apply(t, owner, "keramaian", data)
		attach(t, w, a, owner, "ktp", "proposal", "venue_consent", "site_layout")
		w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK)
		w.move(t, a, "in_review", "", w.licensing).Expect(http.StatusOK)
		w.move(t, a, "approved", "", w.licensing).Expect(http.StatusOK).JSON(&a)
		if a.ValidUntil == nil || *a.ValidUntil != c.want || a.PermitNumber == nil || !strings.HasPrefix(*a.PermitNumber, "503/KRM/2026/") {
			t.Fatalf("end %q: valid_until %v, permit %v", c.end, a.ValidUntil, a.PermitNumber)
		}
	}
}
