package tax_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// fullNIKs are the numbers no response, log line, audit entry or column may
// hold in full.
var fullNIKs = []string{sariNIK, budiNIK}

func noFullNIK(t *testing.T, where string, s string) {
	t.Helper()
	for _, n := range fullNIKs {
		if strings.Contains(s, n) {
			t.Fatalf("%s contains the full NIK %s…: %s", where, n[:5], s)
		}
	}
}

// A citizen submits a profile (pending, masked), may replace it while
// pending or rejected, and not after verification. Revenue staff review
// the queue; verifying links the objects the NIK already owns and those
// added later. No answer, log line, audit entry or column shows a full NIK.
func TestCitizenProfileLifecycle(t *testing.T) {
	t.Parallel()
	api, logs := apitest.NewLogged(t)
	w := &world{api: api}
	w.revenue = api.Staff("revenue")
	w.at(t, "2026-10-15")
	seen := func(r *apitest.Response) *apitest.Response {
		t.Helper()
		noFullNIK(t, "response", string(r.Body))
		return r
	}

	// Objects of Sari's NIK exist before she has an account.
	before := w.object(t, "337201000100200030", "pbb", "Sari Wulandari", sariNIK)
	if before.Linked || before.OwnerNIKMasked != "33720…0001" {
		t.Fatalf("object before verification: %+v", before)
	}
	w.object(t, "33.72.040.002.001-0001.0", "pbb", "Budi Santoso", budiNIK)

	sari := api.User("Sari")
	var p profile
	seen(api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": sariNIK, "full_name": "Sari W", "birth_date": sariBorn}, sari)).Expect(http.StatusOK).JSON(&p)
	if p.Status != "pending" || p.NIKMasked != "33720…0001" || p.FullName != "Sari W" || p.BirthDate != sariBorn || p.ReviewedAt != nil {
		t.Fatalf("submitted profile %+v", p)
	}
	// Bad inputs: each a clear 422 on its field, and nothing changes.
	bad := []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"nik": "337201540790001", "full_name": "Sari", "birth_date": sariBorn}, "nik"},  // 15 digits
		{map[string]any{"nik": "9972015407900001", "full_name": "Sari", "birth_date": sariBorn}, "nik"}, // no province 99
		{map[string]any{"nik": "3372017307900001", "full_name": "Sari", "birth_date": sariBorn}, "nik"}, // day 33: no such day
		{map[string]any{"nik": "3372015407900000", "full_name": "Sari", "birth_date": sariBorn}, "nik"}, // serial 0000
		{map[string]any{"nik": sariNIK, "full_name": "Sari", "birth_date": "1990-07-15"}, "birth_date"}, // not the encoded day
		{map[string]any{"nik": sariNIK, "full_name": "Sari", "birth_date": "1991-07-14"}, "birth_date"}, // nor year
		{map[string]any{"nik": sariNIK, "full_name": "Sari", "birth_date": "14-07-1990"}, "birth_date"}, // not YYYY-MM-DD
		{map[string]any{"nik": sariNIK, "full_name": "  ", "birth_date": sariBorn}, "full_name"},        // blank
	}
	for i, c := range bad {
		pr := seen(api.Do(apitest.Req{Method: http.MethodPut, Path: "/api/v1/me/citizen-profile", Body: c.body, As: sari})).
			ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		found := false
		for _, e := range pr.Errors {
			found = found || e.Field == c.field
		}
		if !found {
			t.Fatalf("case %d: errors %+v, want one on %s", i, pr.Errors, c.field)
		}
	}
	seen(api.Get("/api/v1/me/citizen-profile", sari)).Expect(http.StatusOK).JSON(&p)
	if p.FullName != "Sari W" || p.Status != "pending" {
		t.Fatalf("a bad submission changed the profile: %+v", p)
	}
	// Resubmitting while pending replaces.
	seen(api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": sariNIK, "full_name": "Sari Wulandari", "birth_date": sariBorn}, sari)).Expect(http.StatusOK).JSON(&p)
	if p.FullName != "Sari Wulandari" {
		t.Fatalf("resubmitted profile %+v", p)
	}
	// Nothing is linked before verification.
	if got := api.All("/api/v1/me/tax-objects", sari); len(got) != 0 {
		t.Fatalf("%d objects before verification", len(got))
	}

	// The review queue, paged to the end; a cursor of another status is 400.
	budi := w.citizen(t, "Budi", budiNIK, budiBorn, false)
	joko := api.User("Joko")
	api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": "3372050101800003", "full_name": "Joko", "birth_date": "1980-01-01"}, joko).Expect(http.StatusOK)
	queue := api.All(apitest.PageLimit("/api/v1/staff/citizen-profiles?status=pending", 2), w.revenue)
	if len(queue) != 3 {
		t.Fatalf("%d pending profiles, want 3", len(queue))
	}
	noFullNIK(t, "queue", string(seen(api.Get("/api/v1/staff/citizen-profiles?limit=1", w.revenue)).Body))
	var page struct {
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	api.Get("/api/v1/staff/citizen-profiles?limit=1", w.revenue).Expect(http.StatusOK).JSON(&page)
	api.Get("/api/v1/staff/citizen-profiles?status=verified&cursor="+*page.Meta.NextCursor, w.revenue).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Get("/api/v1/staff/citizen-profiles?status=everything", w.revenue).ExpectProblem(http.StatusBadRequest, "bad_request")

	// Verify: the existing object is linked at once…
	var v struct {
		Profile       profile `json:"profile"`
		LinkedObjects int64   `json:"linked_objects"`
	}
	seen(api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+sari.ID.String()+"/verify", nil, w.revenue)).
		Expect(http.StatusOK).JSON(&v)
	if v.Profile.Status != "verified" || v.LinkedObjects != 1 || v.Profile.ReviewedAt == nil {
		t.Fatalf("verification %+v", v)
	}
	api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+sari.ID.String()+"/verify", nil, w.revenue).Expect(http.StatusOK)
	// …and one created later, and one whose owner NIK is changed to hers.
	later := w.object(t, "337201000100200050", "reklame", "Sari Wulandari", sariNIK)
	if !later.Linked {
		t.Fatalf("object created after verification not linked: %+v", later)
	}
	moved := w.object(t, "337201000100200060", "pbb", "Budi Santoso", budiNIK)
	var changed object
	seen(api.Send(http.MethodPatch, "/api/v1/taxes/objects/"+moved.ID, map[string]any{"owner_nik": sariNIK, "owner_name": "Sari Wulandari"},
		w.revenue)).Expect(http.StatusOK).JSON(&changed)
	if !changed.Linked || changed.OwnerNIKMasked != "33720…0001" {
		t.Fatalf("changed object %+v", changed)
	}
	var mine []object
	for _, raw := range api.All(apitest.PageLimit("/api/v1/me/tax-objects", 2), sari) {
		noFullNIK(t, "my objects", string(raw))
		var o object
		decode(t, raw, &o)
		mine = append(mine, o)
	}
	if len(mine) != 3 {
		t.Fatalf("Sari owns %d objects, want 3: %+v", len(mine), mine)
	}
	api.Get("/api/v1/me/tax-objects?cursor=x", sari).ExpectProblem(http.StatusBadRequest, "bad_request")

	// A verified profile is final.
	api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": sariNIK, "full_name": "Someone Else", "birth_date": sariBorn}, sari).
		ExpectProblem(http.StatusConflict, "profile_verified")
	// Another account claiming a verified NIK cannot be verified.
	impostor := w.citizen(t, "Impostor", sariNIK, sariBorn, false)
	api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+impostor.ID.String()+"/verify", nil, w.revenue).
		ExpectProblem(http.StatusConflict, "nik_taken")

	// Reject, then resubmit: pending again.
	api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+budi.ID.String()+"/reject", map[string]any{"reason": ""}, w.revenue).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	seen(api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+budi.ID.String()+"/reject",
		map[string]any{"reason": "The photo is blurred."}, w.revenue)).Expect(http.StatusOK).JSON(&p)
	if p.Status != "rejected" || p.RejectReason != "The photo is blurred." {
		t.Fatalf("rejected profile %+v", p)
	}
	api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+budi.ID.String()+"/reject",
		map[string]any{"reason": "Again"}, w.revenue).ExpectProblem(http.StatusConflict, "invalid_transition")
	api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+budi.ID.String()+"/verify", nil, w.revenue).
		ExpectProblem(http.StatusConflict, "invalid_transition")
	p = profile{}
	api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
		map[string]any{"nik": budiNIK, "full_name": "Budi Santoso", "birth_date": budiBorn}, budi).Expect(http.StatusOK).JSON(&p)
	if p.Status != "pending" || p.RejectReason != "" {
		t.Fatalf("resubmitted after rejection: %+v", p)
	}
	api.Send(http.MethodPost, "/api/v1/staff/citizen-profiles/"+apitest.Anonymous.ID.String()+"/verify", nil, w.revenue).
		ExpectProblem(http.StatusNotFound, "not_found")

	// The full number is nowhere: not in the log, the audit log or any
	// column of the tax tables.
	noFullNIK(t, "server log", logs.String())
	var audits []string
	api.DB.Raw("SELECT action || ' ' || entity_id || ' ' || coalesce(details, '') FROM audit_log").Scan(&audits)
	var sawVerify bool
	for _, a := range audits {
		noFullNIK(t, "audit entry", a)
		sawVerify = sawVerify || strings.Contains(a, "citizen_profile.verify") && strings.Contains(a, "33720…0001")
	}
	if !sawVerify {
		t.Fatalf("no verify audit entry with the masked NIK: %v", audits)
	}
	var rows []string
	api.DB.Raw("SELECT nik_cipher || nik_index || nik_masked || full_name FROM citizen_profiles").Scan(&rows)
	var objRows []string
	api.DB.Raw("SELECT owner_nik_cipher || owner_nik_index || owner_nik_masked || nop FROM tax_objects").Scan(&objRows)
	for _, r := range append(rows, objRows...) {
		noFullNIK(t, "stored row", r)
	}
}
