package database_test

import (
	"context"
	"sync"
	"testing"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// Two processes starting at the same moment both come up, and each
// migration is applied exactly once.
func TestConcurrentMigrationsApplyOnce(t *testing.T) {
	open := testdb.Unmigrated(t)
	a, b := open(), open()

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, db := range []*database.DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Migrate(context.Background(), nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("migrator %d: %v", i, err)
		}
	}
	var dup int64
	if err := a.Raw(`SELECT COUNT(*) FROM (SELECT version_id FROM goose_db_version WHERE version_id > 0
		GROUP BY version_id HAVING COUNT(*) > 1) d`).Scan(&dup).Error; err != nil {
		t.Fatal(err)
	}
	if dup != 0 {
		t.Fatalf("%d migrations applied more than once", dup)
	}
	var applied int64
	a.Raw("SELECT COUNT(*) FROM goose_db_version WHERE version_id > 0").Scan(&applied)
	if applied < 2 {
		t.Fatalf("only %d migrations recorded", applied)
	}
	// Starting again is a no-op.
	if err := open().Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	// The job queue's schema is there too, each of its versions once.
	var river []int64
	if err := a.Raw("SELECT version FROM river_migration ORDER BY version").Scan(&river).Error; err != nil {
		t.Fatal(err)
	}
	if len(river) != database.RiverSchemaVersion || river[len(river)-1] != database.RiverSchemaVersion {
		t.Fatalf("river_migration holds %v", river)
	}
	if err := a.Exec("SELECT COUNT(*) FROM river_job").Error; err != nil {
		t.Fatal(err)
	}
}
