package tax_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// The demo: 300 objects in Surakarta's five districts, bills for last year
// and this one with some overdue, and the demo resident's verified NIK
// owning four objects. A second seeding adds nothing.
func TestDemoTax(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	w := &world{api: api}
	w.at(t, "2026-12-05")
	for range 2 {
		if err := api.App.Seed(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var objects, bills, overdue int64
	api.DB.Raw("SELECT count(*) FROM tax_objects").Scan(&objects)
	api.DB.Raw("SELECT count(*) FROM tax_bills").Scan(&bills)
	api.DB.Raw("SELECT count(*) FROM tax_bills WHERE status = 'unpaid' AND due_date < '2026-12-05'").Scan(&overdue)
	if objects != 300 || bills < 600 || overdue == 0 {
		t.Fatalf("demo: %d objects, %d bills, %d overdue", objects, bills, overdue)
	}
	var districts []string
	api.DB.Raw("SELECT DISTINCT substr(nop, 1, 7) FROM tax_objects ORDER BY 1").Scan(&districts)
	if strings.Join(districts, ",") != "3372010,3372020,3372030,3372040,3372050" {
		t.Fatalf("demo districts %v", districts)
	}

	sari := api.Login("user@example.com", identity.DemoPassword)
	var p profile
	api.Get("/api/v1/me/citizen-profile", sari).Expect(http.StatusOK).JSON(&p)
	if p.Status != "verified" || p.NIKMasked != "33720…0001" {
		t.Fatalf("demo citizen profile %+v", p)
	}
	if mine := api.All("/api/v1/me/tax-objects", sari); len(mine) != 4 {
		t.Fatalf("the demo citizen owns %d objects, want 4", len(mine))
	}
	var late int
	var first bill
	for i, raw := range api.All("/api/v1/me/tax-bills?status=unpaid", sari) {
		var b bill
		decode(t, raw, &b)
		if i == 0 {
			first = b
		}
		if b.PenaltyIDR > 0 {
			late++
		}
	}
	if late == 0 {
		t.Fatal("the demo citizen has no overdue bill")
	}
	var items []map[string]any
	api.Get("/api/v1/taxes/bills/lookup?nop="+first.NOP, api.User("Joko")).Expect(http.StatusOK).JSON(&items)
	if len(items) == 0 || items[0]["owner_name_masked"] != "S*** W********" {
		t.Fatalf("lookup of a demo NOP: %v", items)
	}
}
