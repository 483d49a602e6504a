package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o644) }

func noEnv(string) string { return "" }

// target is a database for one test: an SQLite directory, or a fresh
// PostgreSQL schema when TEST_DATABASE_URL is set.
func target(t *testing.T) (args []string, open func() *database.DB) {
	t.Helper()
	if !testdb.IsPostgres() {
		dir := t.TempDir()
		return []string{"-data-dir", dir}, func() *database.DB {
			db, err := database.Open(context.Background(), database.Options{DataDir: dir, MaxConns: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
	}
	testdb.New(t) // creates the shared extensions once, under a lock
	raw := os.Getenv(testdb.EnvURL)
	admin, err := database.Open(context.Background(), database.Options{URL: raw, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bd_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	dsn := u.String()
	return []string{"-database-url", dsn}, func() *database.DB {
		db, err := database.Open(context.Background(), database.Options{URL: dsn, MaxConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

func TestRunLoadsRefusesAndResets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbArgs, open := target(t)
	fx := filepath.Join(t.TempDir(), "fixtures.json")
	// No transport network here: TestTransportDataSet covers it, at a size
	// the race detector can afford.
	base := append([]string{"-per-kind", "120", "-batch", "50", "-fixtures", fx, "-categories", categoriesPath, "-transport-routes", "0"}, dbArgs...)

	if err := run(ctx, base, noEnv, io.Discard); err != nil {
		t.Fatalf("first load: %v", err)
	}
	db := open()
	counts, err := countByKind(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds {
		if counts[k] != 120 {
			t.Fatalf("%s: %d rows, want 120 (all: %v)", k, counts[k], counts)
		}
	}
	var hours, tags int64
	db.Raw("SELECT count(*) FROM listing_hours").Scan(&hours)
	db.Raw("SELECT count(*) FROM listing_tags").Scan(&tags)
	set, err := fixture.Read(fx)
	if err != nil {
		t.Fatal(err)
	}
	if hours == 0 || hours != set.Counts["listing_hours"] || tags != set.Counts["listing_tags"] || set.Counts["listings"] != 360 {
		t.Fatalf("hours %d tags %d, fixture counts %v", hours, tags, set.Counts)
	}
	if set.PerKind != 120 || set.Dialect != string(db.Dialect) || len(set.NameWords["attraction"]) == 0 {
		t.Fatalf("fixture %+v", set)
	}
	// Every sampled slug is a published listing of its kind.
	for _, k := range Kinds {
		if len(set.Slugs[k]) == 0 {
			t.Fatalf("no slugs sampled for %s", k)
		}
		var n int64
		db.Raw("SELECT count(*) FROM listings WHERE kind = ? AND status = 'published' AND slug IN ?", k, set.Slugs[k]).Scan(&n)
		if n != int64(len(set.Slugs[k])) {
			t.Fatalf("%s: %d of %d sampled slugs are published listings", k, n, len(set.Slugs[k]))
		}
	}
	var firstID string
	db.Raw("SELECT CAST(id AS text) FROM listings ORDER BY slug LIMIT 1").Scan(&firstID)

	// A second load without -reset must not touch the data.
	err = run(ctx, base, noEnv, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-reset") {
		t.Fatalf("second load: err = %v, want a refusal naming -reset", err)
	}
	// -keep-existing accepts the matching data set as it is.
	if err := run(ctx, append(base, "-keep-existing"), noEnv, io.Discard); err != nil {
		t.Fatalf("keep existing: %v", err)
	}
	var sameID string
	db.Raw("SELECT CAST(id AS text) FROM listings ORDER BY slug LIMIT 1").Scan(&sameID)
	if sameID != firstID {
		t.Fatalf("-keep-existing replaced the data (%s -> %s)", firstID, sameID)
	}
	// A different size with -reset replaces everything.
	reset := append([]string{"-per-kind", "30", "-reset"}, base[2:]...)
	if err := run(ctx, append(reset, "-keep-existing"), noEnv, io.Discard); err != nil {
		t.Fatalf("reset: %v", err)
	}
	counts, _ = countByKind(ctx, db)
	var total int64
	db.Raw("SELECT count(*) FROM listing_hours").Scan(&hours)
	for _, k := range Kinds {
		total += counts[k]
	}
	if total != 90 || counts["event"] != 30 {
		t.Fatalf("after reset: %v", counts)
	}
	var orphans int64
	db.Raw("SELECT count(*) FROM listing_hours h WHERE NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = h.listing_id)").Scan(&orphans)
	if orphans != 0 {
		t.Fatalf("%d listing_hours rows outlived the reset", orphans)
	}
}

func TestFlagsValidate(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-per-kind", "0"}, {"-jobs", "0"}, {"-slug-sample", "0"}, {"-batch", "-1"}} {
		if _, err := parseFlags(args, noEnv, io.Discard); err == nil {
			t.Errorf("parseFlags(%v) accepted", args)
		}
	}
	o, err := parseFlags(nil, func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://x/y", "DATA_DIR": "/d"}[k]
	}, io.Discard)
	if err != nil || o.databaseURL != "postgres://x/y" || o.dataDir != "/d" || o.perKind != 100000 {
		t.Errorf("defaults from the environment: %+v, %v", o, err)
	}
}

// An interrupted PostgreSQL load leaves its dropped indexes recorded; the
// next run puts them back before anything else.
func TestInterruptedLoadIndexesAreRepaired(t *testing.T) {
	t.Parallel()
	if !testdb.IsPostgres() {
		t.Skip("PostgreSQL only: SQLite loads keep their indexes")
	}
	ctx := context.Background()
	dbArgs, open := target(t)
	fx := filepath.Join(t.TempDir(), "fixtures.json")
	if err := run(ctx, append([]string{"-per-kind", "10", "-fixtures", fx, "-categories", categoriesPath, "-transport-routes", "0"}, dbArgs...), noEnv, io.Discard); err != nil {
		t.Fatal(err)
	}
	db := open()
	indexes := func() (names []string) {
		db.Raw("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'listing%' ORDER BY 1").Scan(&names)
		return names
	}
	before := indexes()
	if len(before) < 6 {
		t.Fatalf("indexes after a load: %v", before)
	}
	dsn := dbArgs[1]
	defs, err := dropSecondaryIndexes(ctx, dsn)
	if err != nil || len(defs) == 0 {
		t.Fatalf("drop: %v %v", defs, err)
	}
	if len(indexes()) >= len(before) {
		t.Fatal("no index was dropped")
	}
	// The next run, even one that keeps the data, restores them.
	if err := run(ctx, append([]string{"-per-kind", "10", "-fixtures", fx, "-categories", categoriesPath, "-transport-routes", "0", "-keep-existing"}, dbArgs...), noEnv, io.Discard); err != nil {
		t.Fatal(err)
	}
	if after := indexes(); !slices.Equal(after, before) {
		t.Fatalf("indexes after repair %v, want %v", after, before)
	}
	var pending bool
	db.Raw("SELECT to_regclass(?) IS NOT NULL", pendingTable).Scan(&pending)
	if pending {
		t.Fatal("the pending-index record outlived the repair")
	}
}

func TestIfNotExists(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"CREATE INDEX a ON t (x)":                  "CREATE INDEX IF NOT EXISTS a ON t (x)",
		"CREATE UNIQUE INDEX b ON t USING gin (y)": "CREATE UNIQUE INDEX IF NOT EXISTS b ON t USING gin (y)",
		"CREATE INDEX IF NOT EXISTS c ON t (z)":    "CREATE INDEX IF NOT EXISTS c ON t (z)",
	} {
		if got := ifNotExists(in); got != want {
			t.Errorf("ifNotExists(%q) = %q", in, got)
		}
	}
}

func TestOnlyBenchDatabasesAreDropped(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"bench", "catalog_bench", "bench_10k"} {
		if err := droppable(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"test", "solo", "postgres", ""} {
		if err := droppable(name); err == nil {
			t.Errorf("%q may be dropped", name)
		}
	}
}
