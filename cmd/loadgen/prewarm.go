package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
)

// prewarmShare is the part of shared_buffers the catalog may fill: the rest
// stays for the other tables' pages (transport, tax). The page cache beside
// a large shared_buffers is small, so what is read there (the opening hours
// at first) was soon pushed out by the next relation read.
const prewarmShare = 0.95

// catalogRelations lists what the catalog's reads touch, most needed first:
// the listings' indexes (every plan starts in one), the listings' rows, the
// words' statistics, the opening hours and tags (open_now, tag), then the
// index suggest reads. The suggest table's rows are never read: its scans
// are index-only.
const catalogRelations = `
SELECT c.oid::regclass::text, pg_relation_size(c.oid)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
LEFT JOIN pg_index i ON i.indexrelid = c.oid
JOIN pg_class t ON t.oid = COALESCE(i.indrelid, c.oid)
WHERE c.relkind IN ('r', 'i')
  AND (t.relname IN ('listings', 'catalog_lexemes', 'listing_hours', 'listing_tags')
       OR (t.relname = 'listing_name_words' AND i.indisprimary))
ORDER BY CASE
           WHEN t.relname = 'listings' AND c.relkind = 'i' THEN 0
           WHEN t.relname = 'listings' THEN 1
           WHEN t.relname = 'catalog_lexemes' THEN 2
           WHEN t.relname <> 'listing_name_words' AND c.relkind = 'i' THEN 3
           WHEN t.relname <> 'listing_name_words' THEN 4
           ELSE 5
         END,
         t.relname = 'listing_tags', -- open_now reads the hours' rows; tag filters the tags' index
         pg_relation_size(c.oid)`

// prewarmed is one relation of catalogRelations and where it is read to:
// shared buffers, or the page cache once they are full (pageCache).
type prewarmed struct {
	name      string
	bytes     int64
	pageCache bool
}

// Prewarm reads the catalog's relations into PostgreSQL's shared buffers,
// as many as fit in prewarmShare of them, and the rest into the page cache.
// A run right after a load otherwise measures the disk: a database larger
// than the page cache the machine leaves it (and a host that reclaims that
// cache between runs) turns single requests into reads from disk, which
// says nothing about the plans.
func Prewarm(ctx context.Context, dsn string, stderr io.Writer) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_prewarm"); err != nil {
		return fmt.Errorf("pg_prewarm is not available: %w", err)
	}
	var buffers int64
	err = conn.QueryRow(ctx,
		"SELECT setting::bigint * current_setting('block_size')::bigint FROM pg_settings WHERE name = 'shared_buffers'").Scan(&buffers)
	if err != nil {
		return err
	}
	rows, _ := conn.Query(ctx, catalogRelations)
	rels, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (prewarmed, error) {
		var r prewarmed
		return r, row.Scan(&r.name, &r.bytes)
	})
	if err != nil {
		return err
	}
	fitInBuffers(rels, int64(float64(buffers)*prewarmShare))
	var loaded int64
	start := time.Now()
	for _, r := range rels {
		mode := "buffer"
		if r.pageCache {
			// The page cache may be reclaimed under the run; better than disk.
			mode = "read"
			fmt.Fprintf(stderr, "prewarm: %s (%d MiB) does not fit in shared_buffers; read into the page cache\n", r.name, r.bytes>>20)
		}
		if _, err := conn.Exec(ctx, "SELECT pg_prewarm($1::regclass, $2)", r.name, mode); err != nil {
			return fmt.Errorf("prewarm %s: %w", r.name, err)
		}
		if !r.pageCache {
			loaded += r.bytes
		}
	}
	fmt.Fprintf(stderr, "prewarm: %d MiB of the catalog read into %d MiB of shared buffers in %s\n",
		loaded>>20, buffers>>20, time.Since(start).Round(time.Second))
	return nil
}

func cmdPrewarm(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen prewarm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "PostgreSQL URL of the API's database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return errors.New("usage: loadgen prewarm -db URL")
	}
	return Prewarm(ctx, *db, stderr)
}

// fitInBuffers sends to the page cache the relations that do not fit in
// budget bytes, taken in order: one that does not fit is passed over, and a
// smaller one after it may still fit.
func fitInBuffers(rels []prewarmed, budget int64) {
	var used int64
	for i := range rels {
		if used+rels[i].bytes > budget {
			rels[i].pageCache = true
			continue
		}
		used += rels[i].bytes
	}
}
