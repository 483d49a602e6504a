package permit_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/identity"
)

// The demo resident has an application in every status, each with its
// documents; a second seeding adds nothing.
func TestDemoPermits(t *testing.T) {
	w := newWorld(t)
	for range 2 {
		if err := w.api.App.Seed(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	sari := w.api.Login("user@example.com", identity.DemoPassword)
	seen := map[string]bool{}
	for _, raw := range w.api.All("/api/v1/me/permit-applications", sari) {
		var s application
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		var a application
		w.api.Get(path(s, ""), sari).Expect(http.StatusOK).JSON(&a)
		if len(a.Documents) == 0 || len(a.History) != map[string]int{"draft": 0, "submitted": 1, "in_review": 2,
			"needs_revision": 3, "approved": 3, "rejected": 3}[a.Status] {
			t.Fatalf("demo %s application: %d documents, %d history", a.Status, len(a.Documents), len(a.History))
		}
		if a.Status != "draft" && a.TrackingNumber == nil {
			t.Fatalf("demo %s application without tracking number", a.Status)
		}
		if a.Status == "approved" {
			if a.PermitNumber == nil || a.ValidUntil == nil {
				t.Fatalf("approved demo application %+v", a)
			}
			w.api.Get(path(a, "/letter"), sari).Expect(http.StatusOK)
		}
		for _, d := range a.Documents {
			w.api.Get(path(a, "/documents/"+d.ID), sari).Expect(http.StatusOK)
		}
		seen[a.Status] = true
	}
	for _, st := range statuses {
		if !seen[st] {
			t.Errorf("no demo application in %s", st)
		}
	}
	var n int64
	w.api.DB.Raw("SELECT count(*) FROM permit_applications").Scan(&n)
	if n != 6 {
		t.Fatalf("%d demo applications after two seedings", n)
	}
}
