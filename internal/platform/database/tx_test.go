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

// InTx on a DB that wraps an open transaction (a service working inside a
// caller's transaction) is a savepoint of it: its effects wait for the outer
// commit, and effects the outer transaction registers after it still wait
// too instead of running at once.
func TestInTxInsideATransactionWaitsForTheOuterCommit(t *testing.T) {
	db := testdb.New(t).DB
	ctx := context.Background()
	var ran []string
	err := db.InTx(ctx, func(tx *gorm.DB) error {
		inner := &database.DB{DB: tx, Dialect: db.Dialect, SQL: db.SQL}
		if err := inner.InTx(ctx, func(itx *gorm.DB) error {
			database.AfterCommit(itx, func() { ran = append(ran, "inner") })
			return nil
		}); err != nil {
			return err
		}
		database.AfterCommit(tx, func() { ran = append(ran, "outer") })
		if len(ran) != 0 {
			t.Errorf("effects ran before the outer commit: %v", ran)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ran, []string{"inner", "outer"}) {
		t.Fatalf("effects after the outer commit: %v, want [inner outer]", ran)
	}
}

// A savepoint that rolls back drops the effects it registered; the outer
// transaction's own still run after its commit.
func TestRolledBackSavepointDropsItsEffects(t *testing.T) {
	db := testdb.New(t).DB
	ctx := context.Background()
	var ran []string
	boom := errors.New("boom")
	err := db.InTx(ctx, func(tx *gorm.DB) error {
		database.AfterCommit(tx, func() { ran = append(ran, "before") })
		inner := &database.DB{DB: tx, Dialect: db.Dialect, SQL: db.SQL}
		if err := inner.InTx(ctx, func(itx *gorm.DB) error {
			database.AfterCommit(itx, func() { ran = append(ran, "rolled back") })
			return boom
		}); !errors.Is(err, boom) {
			t.Errorf("inner error %v", err)
		}
		database.AfterCommit(tx, func() { ran = append(ran, "after") })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ran, []string{"before", "after"}) {
		t.Fatalf("effects after the outer commit: %v, want [before after]", ran)
	}
}
