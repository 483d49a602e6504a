package database

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// afterCommit holds the effects registered inside one open transaction.
type afterCommit struct {
	mu  sync.Mutex
	fns []func()
}

// open maps the connection of every transaction InTx has open (its
// *sql.Tx, which survives tx.WithContext and nested tx.Transaction calls)
// to the effects waiting for its commit.
var open sync.Map // gorm.ConnPool -> *afterCommit

// AfterCommit runs fn once the transaction tx belongs to has committed, and
// never when it rolls back. It is for effects outside the database: cache
// purges, pub/sub, outgoing calls. Rows that describe a change
// (notifications, audit entries, jobs) are not effects: write them with tx,
// inside the transaction.
//
// Inside a nested tx.Transaction (a savepoint) fn waits for the outermost
// commit. Outside InTx, with no transaction open, fn runs at once.
func AfterCommit(tx *gorm.DB, fn func()) {
	if h, ok := open.Load(tx.Statement.ConnPool); ok {
		h := h.(*afterCommit)
		h.mu.Lock()
		h.fns = append(h.fns, fn)
		h.mu.Unlock()
		return
	}
	fn()
}

// InTx runs fn in one transaction bound to ctx; an error or panic rolls
// back. Effects registered with AfterCommit run after a successful commit,
// in the order they were registered. On a DB that wraps an open transaction
// (a service working inside its caller's), InTx is a savepoint of it and
// its effects join the outer transaction's, waiting for its commit.
func (d *DB) InTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var (
		h     *afterCommit
		owner bool
		mark  int // effects the outer transaction had registered before this savepoint
	)
	err := d.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		key := tx.Statement.ConnPool
		got, loaded := open.LoadOrStore(key, &afterCommit{})
		h, owner = got.(*afterCommit), !loaded
		if owner {
			defer open.Delete(key)
		} else {
			h.mu.Lock()
			mark = len(h.fns)
			h.mu.Unlock()
		}
		if err := d.limitStatements(ctx, tx); err != nil {
			return err
		}
		return fn(tx)
	})
	if !owner {
		if err != nil && h != nil {
			// The savepoint rolled back: so do the effects it registered.
			h.mu.Lock()
			h.fns = h.fns[:mark]
			h.mu.Unlock()
		}
		return err
	}
	if err != nil {
		return err
	}
	for _, f := range h.fns {
		f()
	}
	return nil
}
