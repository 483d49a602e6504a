package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

func TestPermitDataSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbArgs, open := target(t)
	fx := filepath.Join(t.TempDir(), "fixtures.json")
	const apps = 400
	base := append([]string{"-per-kind", "5", "-fixtures", fx, "-categories", categoriesPath, "-transport-routes", "0",
		"-permit-applications", "400"}, dbArgs...)
	if err := run(ctx, base, noEnv, io.Discard); err != nil {
		t.Fatalf("load: %v", err)
	}
	db := open()
	set, err := fixture.Read(fx)
	if err != nil {
		t.Fatal(err)
	}
	p := set.Permits
	if p == nil || p.Applications != apps || len(p.ApplicantIDs) != apps/appsPerApplicant || p.StaffID == "" {
		t.Fatalf("fixture permits = %+v", p)
	}
	count := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM permit_applications"); n != apps {
		t.Fatalf("%d applications", n)
	}
	// Every standard type is there at two versions, and both are used.
	if n := count("SELECT count(*) FROM permit_types WHERE current_version = 2"); n != 5 {
		t.Fatalf("%d types at version 2", n)
	}
	if n := count("SELECT count(DISTINCT type_version_id) FROM permit_applications"); n != 10 {
		t.Fatalf("applications use %d type versions, want 10", n)
	}
	// The mix: mostly decided, a few per cent waiting in each open status.
	waiting := int64(0)
	for _, st := range []string{"submitted", "in_review", "needs_revision"} {
		n := count("SELECT count(*) FROM permit_applications WHERE status = ?", st)
		if n == 0 || n != p.Counts[st] {
			t.Fatalf("%d %s applications, fixture says %d", n, st, p.Counts[st])
		}
		waiting += n
	}
	if waiting*10 > apps || count("SELECT count(*) FROM permit_applications WHERE status IN ('approved', 'rejected')") != apps-waiting {
		t.Fatalf("%d of %d waiting", waiting, apps)
	}
	// Waiting ones on the clock have a due time, paused ones none but
	// days used; every decided one has decided_at, approved ones a number.
	checks := map[string]string{
		"running clock without due time": "status IN ('submitted', 'in_review') AND (sla_due_at IS NULL OR sla_started_at IS NULL)",
		"paused clock with a due time":   "status = 'needs_revision' AND (sla_due_at IS NOT NULL OR sla_used_days < 0)",
		"undecided decision":             "status IN ('approved', 'rejected') AND decided_at IS NULL",
		"approval without a number":      "status = 'approved' AND (permit_number IS NULL OR valid_until IS NULL)",
		"submission without tracking":    "tracking_number IS NULL OR submitted_at IS NULL",
		"due before submission":          "sla_due_at < submitted_at",
	}
	for what, cond := range checks {
		if n := count("SELECT count(*) FROM permit_applications WHERE " + cond); n != 0 {
			t.Errorf("%d applications with a %s", n, what)
		}
	}
	if p.Counts["overdue"] == 0 {
		t.Error("no overdue applications")
	}
	// History: draft → submitted for each, then the steps its status implies.
	if n := count("SELECT count(*) FROM permit_history WHERE from_status = 'draft' AND to_status = 'submitted' AND actor_role = 'applicant'"); n != apps {
		t.Fatalf("%d submissions in history", n)
	}
	if n := count(`SELECT count(*) FROM permit_applications a WHERE a.status <> (SELECT h.to_status FROM permit_history h
		WHERE h.application_id = a.id ORDER BY h.at DESC, h.id DESC LIMIT 1)`); n != 0 {
		t.Fatalf("%d applications whose last history step is not their status", n)
	}
	// The counters are past every generated number.
	if n := count(`SELECT count(*) FROM permit_counters WHERE kind = 'tracking'`); n == 0 {
		t.Fatal("no tracking counter")
	}
	if n := count("SELECT max(value) FROM permit_counters WHERE kind = 'tracking'"); n < apps/3 {
		t.Fatalf("tracking counter at %d", n)
	}
	if n := count("SELECT count(*) FROM users WHERE role = 'staff' AND department = 'licensing' AND CAST(id AS text) = ?", p.StaffID); n != 1 {
		t.Fatal("no licensing staff account")
	}

	// -keep-existing keeps the set and removes drafts made since.
	var anyApp struct {
		ID, UserID, TypeCode, TypeVersionID string
	}
	if err := db.Raw("SELECT CAST(id AS text) AS id, CAST(user_id AS text) AS user_id, type_code, CAST(type_version_id AS text) AS type_version_id FROM permit_applications LIMIT 1").Scan(&anyApp).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO permit_applications (id, user_id, type_code, type_version_id, status, data, sla_used_days, created_at, updated_at)
		VALUES ('018f0000-0000-7000-8000-000000000001', ?, ?, ?, 'draft', '{}', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		anyApp.UserID, anyApp.TypeCode, anyApp.TypeVersionID).Error; err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append(base, "-keep-existing"), noEnv, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count(*) FROM permit_applications"); n != apps {
		t.Fatalf("after -keep-existing %d applications", n)
	}
	if n := count("SELECT count(*) FROM permit_applications WHERE CAST(id AS text) = ?", anyApp.ID); n != 1 {
		t.Fatal("-keep-existing replaced the permits data")
	}
}
