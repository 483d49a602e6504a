package database

import (
	"sync/atomic"

	"gorm.io/gorm"
)

// QueryCounter counts the statements a DB runs, so tests can put a ceiling on
// the queries of an endpoint and catch N+1 regressions.
type QueryCounter struct{ n atomic.Int64 }

// Count returns the statements run since the last Reset.
func (q *QueryCounter) Count() int64 { return q.n.Load() }

// Reset starts counting from zero.
func (q *QueryCounter) Reset() { q.n.Store(0) }

// queryCounterPlugin is the QueryCounter's name among db's plugins, where
// WithPgx finds it: statements run on a pgx connection directly pass no
// GORM callback.
const queryCounterPlugin = "database:querycount"

// Name makes a QueryCounter a GORM plugin.
func (q *QueryCounter) Name() string { return queryCounterPlugin }

// Initialize registers the counting callbacks (gorm.Plugin).
func (q *QueryCounter) Initialize(db *gorm.DB) error {
	inc := func(*gorm.DB) { q.n.Add(1) }
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("count:query", inc),
		cb.Create().After("gorm:create").Register("count:create", inc),
		cb.Update().After("gorm:update").Register("count:update", inc),
		cb.Delete().After("gorm:delete").Register("count:delete", inc),
		cb.Row().After("gorm:row").Register("count:row", inc),
		cb.Raw().After("gorm:raw").Register("count:raw", inc),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// CountQueries makes db count every statement it runs, through GORM or
// WithPgx.
func CountQueries(db *gorm.DB) (*QueryCounter, error) {
	q := &QueryCounter{}
	if err := db.Use(q); err != nil {
		return nil, err
	}
	return q, nil
}

// countPgx counts a statement WithPgx runs on db, when db counts them.
func countPgx(db *gorm.DB) {
	if p, ok := db.Config.Plugins[queryCounterPlugin]; ok {
		p.(*QueryCounter).n.Add(1)
	}
}
