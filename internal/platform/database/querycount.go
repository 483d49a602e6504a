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

// CountQueries registers callbacks on db that count every statement it runs.
func CountQueries(db *gorm.DB) (*QueryCounter, error) {
	q := &QueryCounter{}
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
			return nil, err
		}
	}
	return q, nil
}
