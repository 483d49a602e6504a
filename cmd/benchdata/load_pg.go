package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

var listingColumns = []string{
	"id", "kind", "slug", "status", "name_id", "name_en", "description_id", "description_en",
	"category", "tags", "address", "lat", "lng", "opening_hours", "contact", "ticket_prices",
	"specialties", "price_range", "halal", "starts_at", "ends_at", "venue", "organizer",
	"ticket_url", "rating_sum", "rating_count", "rating_avg", "published_at", "created_at", "updated_at",
}

func listingValues(l *Listing, id any) []any {
	return []any{
		id, l.Kind, l.Slug, l.Status, l.NameID, l.NameEN, l.DescID, l.DescEN,
		l.Category, l.TagsJSON, l.Address, l.Lat, l.Lng, l.HoursJSON, l.ContactJSON, l.TicketsJSON,
		l.SpecialJSON, l.PriceRange, l.Halal, l.StartsAt, l.EndsAt, l.Venue, l.Organizer,
		l.TicketURL, l.RatingSum, l.RatingCount, l.RatingAvg, l.PublishedAt, l.CreatedAt, l.UpdatedAt,
	}
}

// pendingTable records the definitions of indexes dropped for a load until
// they are rebuilt. It is written in the same transaction as the drops, so
// an interrupted load is repaired by the next run (RepairIndexes) rather than
// leaving the API without its search and geo indexes.
const pendingTable = "benchdata_pending_indexes"

// loadPostgres streams batches into PostgreSQL with COPY over jobs
// connections. Secondary indexes of the catalog tables (the search and geo
// indexes of later migrations included) are dropped first and rebuilt after
// the rows are in: building a GIN or GiST index in bulk is far faster than
// growing it row by row. Each connection keeps one transaction for all its
// batches and commits only when every connection finished without error.
func loadPostgres(ctx context.Context, dsn string, jobs int, batches <-chan []Listing, log *slog.Logger) (Counts, error) {
	defs, err := dropSecondaryIndexes(ctx, dsn)
	if err != nil {
		return Counts{}, err
	}
	counts, loadErr := copyParallel(ctx, dsn, jobs, batches)
	if ctx.Err() != nil {
		// Interrupted: do not hold the user up with index builds; the next
		// run restores them first (RepairIndexes).
		return counts, fmt.Errorf("%w (the dropped indexes are rebuilt by the next benchdata run)", ctx.Err())
	}
	start := time.Now()
	if err := rebuildIndexes(ctx, dsn, jobs, defs); err != nil {
		return counts, errors.Join(loadErr, err)
	}
	if log != nil && loadErr == nil {
		log.Info("indexes rebuilt", "count", len(defs), "took", time.Since(start).Round(time.Millisecond))
	}
	return counts, loadErr
}

func copyParallel(ctx context.Context, dsn string, jobs int, batches <-chan []Listing) (Counts, error) {
	type worker struct {
		conn   *pgx.Conn
		tx     pgx.Tx
		counts Counts
		err    error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := make([]*worker, jobs)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{}
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if w.err != nil {
					cancel()
				}
			}()
			if w.conn, w.err = pgx.Connect(ctx, dsn); w.err != nil {
				return
			}
			if w.tx, w.err = w.conn.Begin(ctx); w.err != nil {
				return
			}
			// Asynchronous commit is safe for a throw-away data set.
			if _, w.err = w.tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); w.err != nil {
				return
			}
			for batch := range batches {
				if w.err = copyBatch(ctx, w.tx, batch); w.err != nil {
					return
				}
				w.counts.add(batch)
			}
		}()
	}
	wg.Wait()

	var (
		total Counts
		errs  []error
	)
	for _, w := range workers {
		if w.err != nil && !errors.Is(w.err, context.Canceled) {
			errs = append(errs, w.err)
		}
	}
	if len(errs) == 0 && ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	bg := context.WithoutCancel(ctx)
	for _, w := range workers {
		if w.tx != nil {
			if len(errs) == 0 {
				if err := w.tx.Commit(bg); err != nil {
					errs = append(errs, fmt.Errorf("commit: %w", err))
				}
			} else {
				w.tx.Rollback(bg)
			}
		}
		if w.conn != nil {
			w.conn.Close(bg)
		}
		total.Listings += w.counts.Listings
		total.Hours += w.counts.Hours
		total.Tags += w.counts.Tags
	}
	return total, errors.Join(errs...)
}

// dropSecondaryIndexes drops the indexes of the catalog tables that back no
// constraint, recording their definitions in pendingTable in the same
// transaction, and returns the definitions.
func dropSecondaryIndexes(ctx context.Context, dsn string) ([]string, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	rows, err := tx.Query(ctx, `
		SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i
		WHERE i.indrelid IN ('listings'::regclass, 'listing_hours'::regclass, 'listing_tags'::regclass)
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
		ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	type index struct{ name, def string }
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
		var ix index
		return ix, r.Scan(&ix.name, &ix.def)
	})
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE "+pendingTable+" (def text NOT NULL)"); err != nil {
		return nil, err
	}
	defs := make([]string, 0, len(list))
	for _, ix := range list {
		// The name comes from regclass output, already quoted where needed.
		if _, err := tx.Exec(ctx, "DROP INDEX "+ix.name); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", ix.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+pendingTable+" (def) VALUES ($1)", ix.def); err != nil {
			return nil, err
		}
		defs = append(defs, ix.def)
	}
	return defs, tx.Commit(ctx)
}

// rebuildIndexes runs the index definitions over up to jobs connections
// (CREATE INDEX statements on one table do not block each other), then
// forgets them.
func rebuildIndexes(ctx context.Context, dsn string, jobs int, defs []string) error {
	work := make(chan string, len(defs))
	for _, d := range defs {
		work <- ifNotExists(d)
	}
	close(work)
	errs := make([]error, jobs)
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer conn.Close(context.WithoutCancel(ctx))
			if _, err := conn.Exec(ctx, "SET maintenance_work_mem = '512MB'"); err != nil {
				errs[i] = err
				return
			}
			for def := range work {
				if _, err := conn.Exec(ctx, def); err != nil {
					errs[i] = fmt.Errorf("rebuild index: %s: %w", def, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, "DROP TABLE "+pendingTable)
	return err
}

// RepairIndexes rebuilds indexes that an interrupted load dropped.
func RepairIndexes(ctx context.Context, dsn string, log *slog.Logger) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	var exists bool
	err = conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", pendingTable).Scan(&exists)
	if err != nil || !exists {
		conn.Close(ctx)
		return err
	}
	rows, err := conn.Query(ctx, "SELECT def FROM "+pendingTable)
	if err != nil {
		conn.Close(ctx)
		return err
	}
	defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	conn.Close(ctx)
	if err != nil {
		return err
	}
	if log != nil {
		log.Warn("an earlier load was interrupted; rebuilding its indexes", "count", len(defs))
	}
	return rebuildIndexes(ctx, dsn, 2, defs)
}

// ifNotExists makes a CREATE [UNIQUE] INDEX statement idempotent.
func ifNotExists(def string) string {
	if i := strings.Index(def, "INDEX "); i >= 0 && !strings.HasPrefix(def[i:], "INDEX IF NOT EXISTS ") {
		return def[:i] + "INDEX IF NOT EXISTS " + def[i+len("INDEX "):]
	}
	return def
}

func copyBatch(ctx context.Context, tx pgx.Tx, batch []Listing) error {
	rows := make([][]any, len(batch))
	var hours, tags [][]any
	for i := range batch {
		l := &batch[i]
		id := [16]byte(l.ID)
		rows[i] = listingValues(l, id)
		for _, s := range l.Spans {
			hours = append(hours, []any{id, s.Day, s.OpenMin, s.CloseMin})
		}
		for _, t := range l.Tags {
			tags = append(tags, []any{id, t, l.Kind})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"listings"}, listingColumns, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy listings: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"listing_hours"}, []string{"listing_id", "day", "open_min", "close_min"}, pgx.CopyFromRows(hours)); err != nil {
		return fmt.Errorf("copy listing_hours: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"listing_tags"}, []string{"listing_id", "tag", "kind"}, pgx.CopyFromRows(tags)); err != nil {
		return fmt.Errorf("copy listing_tags: %w", err)
	}
	return nil
}

// droppable guards -recreate-db against naming a database that is not a
// throw-away benchmark database.
func droppable(name string) error {
	if !strings.Contains(name, "bench") {
		return fmt.Errorf("refusing to drop database %q: -recreate-db only drops databases whose name contains \"bench\"", name)
	}
	return nil
}

// ensureDatabase creates the database named in dsn when it does not exist,
// connecting to the server's "postgres" database to do so. With recreate it
// drops the database first, which is how a data set is rebuilt after an
// already applied migration was edited; only databases whose name contains
// "bench" may be dropped this way.
func ensureDatabase(ctx context.Context, dsn string, recreate bool, log *slog.Logger) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("database URL: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return errors.New("database URL names no database")
	}
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return fmt.Errorf("connect to create database: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists && recreate {
		if err := droppable(name); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		log.Info("database dropped", "name", name)
		exists = false
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	log.Info("database created", "name", name)
	return nil
}
