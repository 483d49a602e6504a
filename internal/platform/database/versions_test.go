package database_test

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// releasedSequential is the last version released under sequential numbers.
const releasedSequential = 4

var timestampName = regexp.MustCompile(`^(\d{14})_[a-z0-9]+(_[a-z0-9]+)*\.sql$`)
var sequentialName = regexp.MustCompile(`^(\d{5})_[a-z0-9_]+\.sql$`)

// Every new migration is named by its UTC timestamp and exists for both
// engines, so parallel branches cannot collide on a version.
func TestMigrationNames(t *testing.T) {
	t.Parallel()
	names := map[string][]string{}
	for _, dialect := range []string{"postgres", "sqlite"} {
		entries, err := fs.ReadDir(database.MigrationFiles, "migrations/"+dialect)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			names[dialect] = append(names[dialect], name)
			if m := sequentialName.FindStringSubmatch(name); m != nil {
				var v int
				fmt.Sscan(m[1], &v)
				if v > releasedSequential {
					t.Errorf("%s/%s: new migrations are named YYYYMMDDHHMMSS_<domain>_<change>.sql, not by sequence", dialect, name)
				}
				continue
			}
			m := timestampName.FindStringSubmatch(name)
			if m == nil {
				t.Errorf("%s/%s: name it YYYYMMDDHHMMSS_<domain>_<change>.sql", dialect, name)
				continue
			}
			if _, err := time.Parse("20060102150405", m[1]); err != nil {
				t.Errorf("%s/%s: %s is not a timestamp", dialect, name, m[1])
			}
		}
	}
	if !slices.Equal(names["postgres"], names["sqlite"]) {
		t.Errorf("postgres and sqlite migrations differ:\n postgres %v\n sqlite   %v", names["postgres"], names["sqlite"])
	}
}

// A database created by the released sequential migrations upgrades to the
// latest schema.
func TestUpgradeFromReleasedSchema(t *testing.T) {
	t.Parallel()
	db := testdb.Unmigrated(t)()
	ctx := context.Background()
	dir, err := db.MigrationDirForTest()
	if err != nil {
		t.Fatal(err)
	}
	lock := rand.Int64()
	if err := db.MigrateFSForTest(ctx, lock, dir, releasedSequential); err != nil {
		t.Fatal(err)
	}
	if got := appliedVersions(t, db); slices.Max(got) != releasedSequential {
		t.Fatalf("released schema has versions %v", got)
	}
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	want := sourceVersions(t, dir)
	if got := appliedVersions(t, db); !slices.Equal(got, want) {
		t.Fatalf("after upgrade applied %v, want %v", got, want)
	}
	// The schema is usable: the newest tables of the released schema exist.
	if err := db.Exec("SELECT COUNT(*) FROM favorites").Error; err != nil {
		t.Fatal(err)
	}
}

// A migration merged later than one with a newer timestamp is still applied.
func TestOutOfOrderMigrationIsApplied(t *testing.T) {
	t.Parallel()
	db := testdb.Unmigrated(t)()
	ctx := context.Background()
	dir, err := db.MigrationDirForTest()
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{}
	if err := fs.WalkDir(dir, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(dir, path)
		files[path] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	migration := func(table string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("-- +goose Up\nCREATE TABLE " + table + " (id integer PRIMARY KEY);\n" +
			"-- +goose Down\nDROP TABLE " + table + ";\n")}
	}
	lock := rand.Int64()
	files["29990102000000_permit_later.sql"] = migration("permit_later")
	if err := db.MigrateFSForTest(ctx, lock, files, 0); err != nil {
		t.Fatal(err)
	}
	// Another branch, written earlier, merges afterwards.
	files["29990101000000_transport_earlier.sql"] = migration("transport_earlier")
	if err := db.MigrateFSForTest(ctx, lock, files, 0); err != nil {
		t.Fatalf("out-of-order migration refused: %v", err)
	}
	if err := db.Exec("SELECT COUNT(*) FROM transport_earlier").Error; err != nil {
		t.Fatalf("out-of-order migration not applied: %v", err)
	}
}

func appliedVersions(t *testing.T, db *database.DB) []int64 {
	t.Helper()
	var v []int64
	if err := db.Raw("SELECT version_id FROM goose_db_version WHERE version_id > 0 AND is_applied ORDER BY version_id").
		Scan(&v).Error; err != nil {
		t.Fatal(err)
	}
	return v
}

func sourceVersions(t *testing.T, dir fs.FS) []int64 {
	t.Helper()
	entries, err := fs.ReadDir(dir, ".")
	if err != nil {
		t.Fatal(err)
	}
	var v []int64
	for _, e := range entries {
		if n, _, ok := strings.Cut(e.Name(), "_"); ok && strings.HasSuffix(e.Name(), ".sql") {
			var version int64
			fmt.Sscan(n, &version)
			v = append(v, version)
		}
	}
	slices.Sort(v)
	return v
}
