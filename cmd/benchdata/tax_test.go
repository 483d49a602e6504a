package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/tax"
)

func TestTaxDataSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbArgs, open := target(t)
	dir := t.TempDir()
	fx := filepath.Join(dir, "fixtures.json")
	keyFile := filepath.Join(dir, "nik_key")
	if err := os.WriteFile(keyFile, []byte("0123456789abcdef0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := append([]string{"-per-kind", "5", "-fixtures", fx, "-categories", categoriesPath, "-transport-routes", "0",
		"-tax-citizens", "4", "-tax-objects", "20", "-tax-bills", "30", "-nik-key-file", keyFile}, dbArgs...)
	if err := run(ctx, base, noEnv, io.Discard); err != nil {
		t.Fatalf("load: %v", err)
	}
	db := open()
	set, err := fixture.Read(fx)
	if err != nil {
		t.Fatal(err)
	}
	tx := set.Tax
	if tx == nil || len(tx.CitizenIDs) != 4 || len(tx.NOPs) != 20 || len(tx.Years) != 2 {
		t.Fatalf("fixture tax = %+v", tx)
	}
	count := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM citizen_profiles WHERE status = 'verified'"); n != 4 {
		t.Fatalf("%d verified profiles", n)
	}
	if n := count("SELECT count(*) FROM tax_bills WHERE status = 'unpaid'"); n != 30 {
		t.Fatalf("%d unpaid bills", n)
	}
	// The API's Vault with the same key finds the first citizen's objects
	// (0, 8 and 16 of 20, owners cycling over 2 × 4 NIKs) through the blind index.
	v, err := tax.NewVault([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	n0, _, err := benchNIK(0)
	if err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count(*) FROM citizen_profiles WHERE nik_index = ?", v.Index(n0)); n != 1 {
		t.Fatal("the first citizen's blind index does not match")
	}
	if n := count("SELECT count(*) FROM tax_objects WHERE owner_nik_index = ?", v.Index(n0)); n != 3 {
		t.Fatalf("the first citizen owns %d objects, want 3", n)
	}
	// Every listed bill to pay is owned by its citizen.
	for _, pb := range tx.PayBills {
		q := `SELECT count(*) FROM tax_bills b JOIN tax_objects o ON o.id = b.object_id
			JOIN citizen_profiles p ON p.nik_index = o.owner_nik_index WHERE CAST(b.id AS text) = ? AND CAST(p.user_id AS text) = ?`
		if count(q, pb.BillID, pb.UserID) != 1 {
			t.Fatalf("bill %s is not %s's", pb.BillID, pb.UserID)
		}
	}
	if len(tx.PayBills) == 0 {
		t.Fatal("no bills to pay")
	}

	// -keep-existing keeps the set and makes paid bills unpaid again.
	if err := db.Exec("UPDATE tax_bills SET status = 'paid'").Error; err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append(base, "-keep-existing"), noEnv, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count(*) FROM tax_bills WHERE status = 'unpaid'"); n != 30 {
		t.Fatalf("after -keep-existing %d unpaid bills", n)
	}
	if n := count("SELECT count(*) FROM tax_bills WHERE CAST(id AS text) = ?", tx.PayBills[0].BillID); n != 1 {
		t.Fatal("-keep-existing replaced the tax data")
	}
}
