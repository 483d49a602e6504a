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

// PrewarmedRelation is one relation read into shared buffers, or into the
// operating system's page cache when it no longer fit (Skipped).
type PrewarmedRelation struct {
	Name    string `json:"name"`
	Bytes   int64  `json:"bytes"`
	Skipped bool   `json:"skipped,omitempty"`
}

// Prewarm reads the catalog's relations into PostgreSQL's shared buffers, as
// many as fit in prewarmShare of them, and the rest into the page cache. A run right after a load otherwise
// measures the disk: a database larger than the page cache the machine
// leaves it (and a host that reclaims that cache between runs) turns single
// requests into reads from disk, which says nothing about the plans.
func Prewarm(ctx context.Context, dsn string, stderr io.Writer) ([]PrewarmedRelation, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_prewarm"); err != nil {
		return nil, fmt.Errorf("pg_prewarm is not available: %w", err)
	}
	var buffers int64
	err = conn.QueryRow(ctx,
		"SELECT setting::bigint * current_setting('block_size')::bigint FROM pg_settings WHERE name = 'shared_buffers'").Scan(&buffers)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, catalogRelations)
	if err != nil {
		return nil, err
	}
	var rels []PrewarmedRelation
	for rows.Next() {
		var r PrewarmedRelation
		if err := rows.Scan(&r.Name, &r.Bytes); err != nil {
			return nil, err
		}
		rels = append(rels, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fitInBuffers(rels, int64(float64(buffers)*prewarmShare))
	var loaded int64
	start := time.Now()
	for _, r := range rels {
		mode := "buffer"
		if r.Skipped {
			// The page cache may be reclaimed under the run; better than disk.
			mode = "read"
			fmt.Fprintf(stderr, "prewarm: %s (%d MiB) does not fit in shared_buffers; read into the page cache\n", r.Name, r.Bytes>>20)
		}
		if _, err := conn.Exec(ctx, "SELECT pg_prewarm($1::regclass, $2)", r.Name, mode); err != nil {
			return nil, fmt.Errorf("prewarm %s: %w", r.Name, err)
		}
		if !r.Skipped {
			loaded += r.Bytes
		}
	}
	fmt.Fprintf(stderr, "prewarm: %d MiB of the catalog read into %d MiB of shared buffers in %s\n",
		loaded>>20, buffers>>20, time.Since(start).Round(time.Second))
	return rels, nil
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
	_, err := Prewarm(ctx, *db, stderr)
	return err
}

// fitInBuffers marks the relations that do not fit in budget bytes, taken in
// order: one that does not fit is skipped, and a smaller one after it may
// still fit.
func fitInBuffers(rels []PrewarmedRelation, budget int64) {
	var used int64
	for i := range rels {
		if used+rels[i].Bytes > budget {
			rels[i].Skipped = true
			continue
		}
		used += rels[i].Bytes
	}
}
