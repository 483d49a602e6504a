package database_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// An effect registered in a transaction runs only after it commits: a
// rolled-back write purges nothing, a committed one purges once, and a
// savepoint inside the transaction waits for the outer commit.
func TestAfterCommitRunsOnlyOnCommit(t *testing.T) {
	db := testdb.New(t).DB
	ctx := context.Background()
	insert := func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO audit_log (id, actor_email, action, entity, entity_id, request_id, ip, at)
			VALUES (?, '', 'test', 'test', '', '', '', CURRENT_TIMESTAMP)`, uuid.Must(uuid.NewV7())).Error
	}

	var ran []string
	boom := errors.New("boom")
	err := db.InTx(ctx, func(tx *gorm.DB) error {
		if err := insert(tx); err != nil {
			return err
		}
		database.AfterCommit(tx, func() { ran = append(ran, "rolled back") })
		return boom
	})
	if !errors.Is(err, boom) || len(ran) != 0 {
		t.Fatalf("rolled-back transaction: err %v, effects %v", err, ran)
	}

	err = db.InTx(ctx, func(tx *gorm.DB) error {
		if err := insert(tx); err != nil {
			return err
		}
		database.AfterCommit(tx.WithContext(ctx), func() { ran = append(ran, "outer") })
		if err := tx.Transaction(func(sp *gorm.DB) error {
			database.AfterCommit(sp, func() { ran = append(ran, "savepoint") })
			return nil
		}); err != nil {
			return err
		}
		if len(ran) != 0 {
			t.Errorf("effects ran before the commit: %v", ran)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"outer", "savepoint"}; !slices.Equal(ran, want) {
		t.Fatalf("after commit ran %v, want %v", ran, want)
	}

	// Outside a transaction there is nothing to wait for.
	ran = nil
	database.AfterCommit(db.DB, func() { ran = append(ran, "now") })
	if !slices.Equal(ran, []string{"now"}) {
		t.Fatalf("without a transaction: %v", ran)
	}

	// A panic rolls back too, and leaves nothing registered behind.
	func() {
		defer func() { _ = recover() }()
		_ = db.InTx(ctx, func(tx *gorm.DB) error {
			database.AfterCommit(tx, func() { ran = append(ran, "panicked") })
			panic("boom")
		})
	}()
	if slices.Contains(ran, "panicked") {
		t.Fatal("an effect of a panicked transaction ran")
	}
}
