package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// sqliteCommitEvery bounds a transaction, and with it the WAL, to this many
// listings.
const sqliteCommitEvery = 20000

// loadSQLite writes batches with multi-row INSERTs in large transactions,
// which is what makes bulk loading fast on SQLite.
func loadSQLite(ctx context.Context, db *sql.DB, batches <-chan []Listing) (Counts, error) {
	var (
		total   Counts
		tx      *sql.Tx
		pending int
		err     error
	)
	ins := newInserter()
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	for batch := range batches {
		if tx == nil {
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				return total, err
			}
			ins.reset(tx)
		}
		if err := insertBatch(ctx, ins, batch); err != nil {
			return total, err
		}
		total.add(batch)
		if pending += len(batch); pending >= sqliteCommitEvery {
			if err := tx.Commit(); err != nil {
				return total, err
			}
			tx, pending = nil, 0
		}
	}
	if err := ctx.Err(); err != nil {
		return total, err
	}
	if tx != nil {
		if err := tx.Commit(); err != nil {
			return total, err
		}
		tx = nil
	}
	return total, nil
}

func insertBatch(ctx context.Context, ins *inserter, batch []Listing) error {
	rows := make([][]any, len(batch))
	var hours, tags [][]any
	for i := range batch {
		l := &batch[i]
		id := l.ID.String()
		rows[i] = listingValues(l, id)
		for _, s := range l.Spans {
			hours = append(hours, []any{id, s.Day, s.OpenMin, s.CloseMin})
		}
		for _, t := range l.Tags {
			tags = append(tags, []any{id, t, l.Kind})
		}
	}
	if err := ins.insert(ctx, "listings", listingColumns, rows); err != nil {
		return err
	}
	if err := ins.insert(ctx, "listing_hours", []string{"listing_id", "day", "open_min", "close_min"}, hours); err != nil {
		return err
	}
	return ins.insert(ctx, "listing_tags", []string{"listing_id", "tag", "kind"}, tags)
}

// inserter caches one prepared multi-row INSERT per table and row count,
// within one transaction.
type inserter struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newInserter() *inserter { return &inserter{stmts: map[string]*sql.Stmt{}} }

func (in *inserter) reset(tx *sql.Tx) {
	in.tx = tx
	clear(in.stmts) // statements die with their transaction
}

// maxVars keeps statements small: the driver binds very long parameter
// lists much more slowly than several short statements.
const maxVars = 500

func (in *inserter) insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := max(1, maxVars/len(cols))
	for len(rows) > 0 {
		n := min(per, len(rows))
		key := fmt.Sprintf("%s/%d", table, n)
		stmt := in.stmts[key]
		if stmt == nil {
			var err error
			if stmt, err = in.tx.PrepareContext(ctx, insertSQL(table, cols, n)); err != nil {
				return fmt.Errorf("prepare insert into %s: %w", table, err)
			}
			in.stmts[key] = stmt
		}
		args := make([]any, 0, n*len(cols))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

func insertSQL(table string, cols []string, n int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}
