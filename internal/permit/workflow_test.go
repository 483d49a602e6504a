package permit_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/testdb"
)

var statuses = []string{"draft", "submitted", "in_review", "needs_revision", "approved", "rejected"}

// allowedMoves is the table of the issue, written out again here so that
// the code's table is checked against it rather than against itself.
var allowedMoves = map[[2]string]string{
	{"draft", "submitted"}:          "owner",
	{"submitted", "in_review"}:      "staff",
	{"in_review", "needs_revision"}: "staff",
	{"needs_revision", "submitted"}: "owner",
	{"in_review", "approved"}:       "staff",
	{"in_review", "rejected"}:       "staff",
}

// Every pair of statuses, by the owner and by licensing staff: a target
// the caller may never set is 403, a move not in the table 409, the
// others 200.
func TestEveryTransition(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	for _, from := range statuses {
		for _, to := range statuses {
			for _, who := range []string{"owner", "staff"} {
				t.Run(fmt.Sprintf("%s→%s by %s", from, to, who), func(t *testing.T) {
					a := w.reach(t, owner, from)
					as := owner
					if who == "staff" {
						as = w.licensing
					}
					mayEver := false
					for k, v := range allowedMoves {
						if k[1] == to && v == who {
							mayEver = true
						}
					}
					res := w.move(t, a, to, "Catatan.", as)
					switch {
					case !mayEver:
						res.ExpectProblem(http.StatusForbidden, "forbidden")
					case allowedMoves[[2]string{from, to}] == who:
						var got application
						res.Expect(http.StatusOK).JSON(&got)
						if got.Status != to {
							t.Fatalf("status %s, want %s", got.Status, to)
						}
						last := got.History[len(got.History)-1]
						if last.From != from || last.To != to || last.By != map[string]string{"owner": "applicant", "staff": "licensing"}[who] {
							t.Fatalf("history %+v", last)
						}
					default:
						res.ExpectProblem(http.StatusConflict, "invalid_transition")
					}
				})
			}
		}
	}
}

func TestTransitionInputAndAccess(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	a := w.reach(t, owner, "in_review")
	// An unknown status is 400 for anyone.
	w.api.Do(apitest.Req{Method: http.MethodPost, Path: path(a, "/transitions"), Body: map[string]any{"to": "archived"},
		As: w.licensing, Invalid: true}).ExpectProblem(http.StatusBadRequest, "bad_request")
	// needs_revision needs a note.
	w.move(t, a, "needs_revision", "  ", w.licensing).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	// Staff of another department: 403; another citizen: 404; anonymous: 401.
	w.move(t, a, "approved", "", w.api.Staff(identity.DeptTourism)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.move(t, a, "approved", "", w.api.User("budi")).ExpectProblem(http.StatusNotFound, "not_found")
	w.move(t, a, "approved", "", apitest.Anonymous).Expect(http.StatusUnauthorized)
	// An admin acts as licensing staff.
	var got application
	w.move(t, a, "approved", "", w.api.Admin()).Expect(http.StatusOK).JSON(&got)
	if got.PermitNumber == nil || !regexp.MustCompile(`^503/UJI/2026/\d{6}$`).MatchString(*got.PermitNumber) {
		t.Fatalf("permit number %v", got.PermitNumber)
	}
	if got.ValidUntil == nil || *got.ValidUntil != "2027-12-06" {
		t.Fatalf("valid_until %v", got.ValidUntil)
	}
	// The decision letter: a PDF for the applicant and licensing staff.
	for _, as := range []apitest.Actor{owner, w.licensing} {
		res := w.api.Get(path(a, "/letter"), as).Expect(http.StatusOK)
		if !bytes.HasPrefix(res.Body, []byte("%PDF-")) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("letter: %d bytes, %v", len(res.Body), res.Header)
		}
		if _, err := storage.CheckDocument(context.Background(), res.Body, storage.PDF); err != nil {
			t.Fatalf("the letter is not a sound PDF: %v", err)
		}
	}
	w.api.Get(path(a, "/letter"), w.api.User("budi")).ExpectProblem(http.StatusNotFound, "not_found")
	w.api.Get(path(a, "/letter"), w.api.Staff(identity.DeptRevenue)).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Get(path(w.reach(t, owner, "in_review"), "/letter"), owner).ExpectProblem(http.StatusNotFound, "not_found")
	// The owner was told of every move, in both languages.
	var n int64
	if err := w.api.DB.Raw("SELECT count(*) FROM notifications WHERE user_id = ? AND entity = 'permit_application' AND entity_id = ?",
		owner.ID, a.ID).
		Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d notifications, want 3", n)
	}
	if err := w.api.DB.Raw("SELECT count(*) FROM audit_log WHERE entity = 'permit_application' AND entity_id = ?", a.ID).
		Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d audit entries, want 3", n)
	}
	// The public verification finds it by its URL-safe code.
	var v struct {
		PermitNumber string `json:"permit_number"`
		HolderMasked string `json:"holder_masked"`
		Status       string `json:"status"`
	}
	w.api.Get("/api/v1/permits/verify/"+*got.VerifyCode, apitest.Anonymous).Expect(http.StatusOK).JSON(&v)
	if v.PermitNumber != *got.PermitNumber || v.HolderMasked != "S*** W********" || v.Status != "valid" {
		t.Fatalf("verification %+v", v)
	}
	w.api.Get("/api/v1/permits/verify/503-UJI-2026-999999", apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	w.at(t, "2027-12-07T08:00")
	w.api.Get("/api/v1/permits/verify/"+*got.VerifyCode, apitest.Anonymous).Expect(http.StatusOK).JSON(&v)
	if v.Status != "expired" {
		t.Fatalf("status %s, want expired", v.Status)
	}
}

func TestSubmitGivesTrackingNumbers(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	re := regexp.MustCompile(`^SKT-2026-(\d{6})$`)
	seen := map[string]bool{}
	for range 3 {
		a := w.simple(t, owner)
		if a.TrackingNumber != nil {
			t.Fatal("a draft has a tracking number")
		}
		w.api.Send(http.MethodPost, path(a, "/submit"), nil, owner).Expect(http.StatusOK).JSON(&a)
		if a.TrackingNumber == nil || !re.MatchString(*a.TrackingNumber) || seen[*a.TrackingNumber] {
			t.Fatalf("tracking number %v", a.TrackingNumber)
		}
		seen[*a.TrackingNumber] = true
	}
	// Licensing staff and others may not submit someone's application.
	a := w.simple(t, owner)
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, w.licensing).ExpectProblem(http.StatusForbidden, "forbidden")
	w.api.Send(http.MethodPost, path(a, "/submit"), nil, w.api.User("budi")).ExpectProblem(http.StatusNotFound, "not_found")
	// The keramaian type needs documents: submitting without them lists them.
	k := w.apply(t, owner, "keramaian", keramaian("local", "2026-12-28"))
	p := w.api.Send(http.MethodPost, path(k, "/submit"), nil, owner).ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	want := map[string]bool{"documents.ktp": true, "documents.proposal": true, "documents.venue_consent": true, "documents.site_layout": true}
	if len(p.Errors) != len(want) {
		t.Fatalf("errors %+v", p.Errors)
	}
	for _, e := range p.Errors {
		if !want[e.Field] {
			t.Fatalf("unexpected error %+v", e)
		}
	}
}

// Two licensing officers approve the same application at once: one wins,
// the other gets 409, and exactly one permit number is issued.
func TestConcurrentApproval(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	crowd := 4
	if testdb.IsPostgres() {
		crowd = 12
	}
	staff := make([]apitest.Actor, crowd)
	for i := range staff {
		staff[i] = w.api.Staff(identity.DeptLicensing)
	}
	a := w.reach(t, owner, "in_review")
	var wg sync.WaitGroup
	codes := make([]int, crowd)
	for i := range crowd {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = w.api.Send(http.MethodPost, path(a, "/transitions"), map[string]any{"to": "approved"}, staff[i]).Code
		}()
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			won++
		case http.StatusConflict:
		default:
			t.Fatalf("answer %d", c)
		}
	}
	if won != 1 {
		t.Fatalf("%d approvals won, want 1 (%v)", won, codes)
	}
	var n int64
	if err := w.api.DB.Raw("SELECT count(*) FROM permit_history WHERE application_id = ? AND to_status = 'approved'", a.ID).
		Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d approvals in history", n)
	}
	if err := w.api.DB.Raw("SELECT value FROM permit_counters WHERE kind = 'permit:UJI'").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("permit counter at %d, want 1", n)
	}
}

func keramaian(scale, date string) map[string]any {
	return map[string]any{"holder_name": "Sanggar Seni Laweyan", "event_name": "Festival Batik Laweyan", "scale": scale,
		"event_date": date, "venue": "Kampung Batik Laweyan, Jl. Sidoluhur", "expected_attendance": 800}
}

// Applications submitted at once get distinct tracking numbers, one after
// another, from the year's counter.
func TestConcurrentSubmissionsNumberUniquely(t *testing.T) {
	w := newWorld(t)
	crowd := 5
	if testdb.IsPostgres() {
		crowd = 20
	}
	apps := make([]application, crowd)
	owners := make([]apitest.Actor, crowd)
	for i := range crowd {
		owners[i] = w.api.User(fmt.Sprintf("warga%d", i))
		apps[i] = w.simple(t, owners[i])
	}
	var wg sync.WaitGroup
	numbers := make([]string, crowd)
	for i := range crowd {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a application
			res := w.api.Send(http.MethodPost, path(apps[i], "/submit"), nil, owners[i])
			if res.Code != http.StatusOK {
				t.Errorf("submit: %d %s", res.Code, res.Body)
				return
			}
			res.JSON(&a)
			numbers[i] = *a.TrackingNumber
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, n := range numbers {
		if seen[n] {
			t.Fatalf("tracking number %s given twice", n)
		}
		seen[n] = true
	}
	want := fmt.Sprintf("SKT-2026-%06d", crowd)
	if !seen[want] {
		t.Fatalf("numbers %v: want 1..%d", numbers, crowd)
	}
}
