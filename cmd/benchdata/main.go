// Command benchdata fills a database with a synthetic catalog for load tests:
// -per-kind listings of each kind (attraction, culinary, event) around
// Surakarta, with tags, opening hours, ratings and event dates.
//
//	DATABASE_URL=postgres://… benchdata -per-kind 100000   # PostgreSQL (COPY)
//	DATA_DIR=./data benchdata -per-kind 10000               # SQLite
//
// It applies the project's migrations first and writes rows through the
// columns of the listings schema only, so triggers and generated columns of
// later migrations (search data) fill themselves. It refuses a database that
// already holds listings unless -reset is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"sort"
	"syscall"
	"time"

	_ "time/tzdata" // event times are computed in Asia/Jakarta

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/platform/database"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchdata:", err)
		os.Exit(1)
	}
}

type options struct {
	perKind      int
	seed         uint64
	reset        bool
	keepExisting bool
	createDB     bool
	recreateDB   bool
	databaseURL  string
	dataDir      string
	categories   string
	fixtures     string
	batch        int
	jobs         int
	slugSample   int
	transport    transportOptions
	tax          taxOptions
	permits      permitOptions
}

func parseFlags(args []string, getenv func(string) string, out io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("benchdata", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&o.perKind, "per-kind", 100000, "listings to generate per kind (attraction, culinary, event)")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed gives the same content")
	fs.BoolVar(&o.reset, "reset", false, "empty the listings tables first when they hold rows")
	fs.BoolVar(&o.keepExisting, "keep-existing", false, "do nothing when the database already holds the data set described by -fixtures with the same -per-kind and -seed")
	fs.BoolVar(&o.createDB, "create-db", false, "PostgreSQL: create the database named in the URL when it is missing")
	fs.BoolVar(&o.recreateDB, "recreate-db", false, "PostgreSQL: drop and create the database first (its name must contain \"bench\")")
	fs.StringVar(&o.databaseURL, "database-url", getenv("DATABASE_URL"), "postgres:// URL; empty selects SQLite in -data-dir (env DATABASE_URL)")
	fs.StringVar(&o.dataDir, "data-dir", envOr(getenv, "DATA_DIR", "./data"), "SQLite data directory (env DATA_DIR)")
	fs.StringVar(&o.categories, "categories", "internal/catalog/demo/categories.json", "category codes per kind")
	fs.StringVar(&o.fixtures, "fixtures", "bench/results/fixtures.json", "where to write slugs and name words for the load generator")
	fs.IntVar(&o.batch, "batch", 2000, "listings per COPY/INSERT batch")
	fs.IntVar(&o.jobs, "jobs", 2, "PostgreSQL: parallel COPY connections and index builds")
	fs.IntVar(&o.slugSample, "slug-sample", 100000, "published slugs per kind kept for the load generator (a uniform sample when there are more)")
	fs.IntVar(&o.transport.Routes, "transport-routes", 60, "transport routes (an equal share per mode); 0 generates no transport data")
	fs.IntVar(&o.transport.Stops, "transport-stops", 1500, "transport stops, spread over Surakarta's bounding box")
	fs.IntVar(&o.transport.Days, "transport-days", 120, "days of trips for every route, from tomorrow (Asia/Jakarta)")
	fs.IntVar(&o.transport.Users, "transport-users", 2000, "accounts the load generator books as (plus one transport staff account)")
	fs.IntVar(&o.tax.Citizens, "tax-citizens", 0, "accounts with verified citizen profiles; 0 generates no tax data")
	fs.IntVar(&o.tax.Objects, "tax-objects", 50000, "tax objects (half owned by the citizens)")
	fs.IntVar(&o.tax.Bills, "tax-bills", 100000, "tax bills, spread over the objects, this year first")
	fs.StringVar(&o.tax.KeyFile, "nik-key-file", "", "file holding the API's NIK_ENCRYPTION_KEY (required with -tax-citizens)")
	fs.IntVar(&o.permits.Applications, "permit-applications", 0, "permit applications over the standard types (with their applicants); 0 generates none")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.permits.Seed = o.seed
	if o.permits.Applications < 0 {
		return o, errors.New("-permit-applications must not be negative")
	}
	o.transport.Seed = o.seed
	o.tax.Seed = o.seed
	if o.tax.Citizens < 0 || o.tax.Objects < 0 || o.tax.Bills < 0 {
		return o, errors.New("-tax-* must not be negative")
	}
	if o.tax.Citizens > 0 && (o.tax.KeyFile == "" || o.tax.Objects < 1) {
		return o, errors.New("tax data needs -nik-key-file and -tax-objects ≥ 1")
	}
	switch {
	case o.transport.Routes < 0 || o.transport.Days < 0 || o.transport.Users < 0:
		return o, errors.New("-transport-* must not be negative")
	case o.transport.Routes > 0 && (o.transport.Stops < 2*o.transport.Routes || o.transport.Days < 1 || o.transport.Users < 1):
		return o, errors.New("transport data needs -transport-stops ≥ 2 × routes, -transport-days ≥ 1 and -transport-users ≥ 1")
	case o.perKind < 1:
		return o, errors.New("-per-kind must be at least 1")
	case o.batch < 1 || o.jobs < 1 || o.slugSample < 1:
		return o, errors.New("-batch, -jobs and -slug-sample must be at least 1")
	}
	return o, nil
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, args []string, getenv func(string) string, logOut io.Writer) error {
	o, err := parseFlags(args, getenv, logOut)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cats, err := LoadCategories(o.categories)
	if err != nil {
		return err
	}
	if (o.createDB || o.recreateDB) && o.databaseURL != "" {
		if err := ensureDatabase(ctx, o.databaseURL, o.recreateDB, log); err != nil {
			return err
		}
	}
	db, err := database.Open(ctx, database.Options{URL: o.databaseURL, DataDir: o.dataDir, Logger: log, MaxConns: 4})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx, log); err != nil {
		return err
	}
	if db.Dialect == database.Postgres {
		if err := RepairIndexes(ctx, o.databaseURL, log); err != nil {
			return fmt.Errorf("repair indexes: %w", err)
		}
	}

	existing, err := countByKind(ctx, db)
	if err != nil {
		return err
	}
	previous, _ := fixture.Read(o.fixtures)
	if total := sum(existing); total > 0 {
		if o.keepExisting && matchesFixture(o, string(db.Dialect), existing) {
			log.Info("database already holds this data set; keeping it", "per_kind", o.perKind, "fixtures", o.fixtures)
			return keepListings(ctx, db, o, previous, log)
		}
		if !o.reset {
			return fmt.Errorf("the database already holds %d listings; pass -reset to replace them", total)
		}
		log.Info("emptying listings tables", "listings", total)
		if err := resetTables(ctx, db); err != nil {
			return err
		}
	}
	gen, err := NewGenerator(o.seed, time.Now(), cats)
	if err != nil {
		return err
	}
	set := &fixture.Set{
		PerKind: o.perKind, Seed: o.seed, Dialect: string(db.Dialect), GeneratedAt: time.Now().UTC(),
		Centre: fixture.Point{Lat: centreLat, Lng: centreLng}, Categories: cats,
		Counts: map[string]int64{},
	}
	coll := newCollector(o.slugSample, o.seed)

	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []Listing, 2*o.jobs)
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		genErr <- produce(ctx, gen, o.perKind, o.batch, coll, batches, log)
	}()

	var loaded Counts
	if db.Dialect == database.Postgres {
		loaded, err = loadPostgres(ctx, o.databaseURL, o.jobs, batches, log)
	} else {
		loaded, err = loadSQLite(ctx, db.SQL, batches)
	}
	if err != nil {
		cancel()
		for range batches { // let the producer finish so it does not leak
		}
		return err
	}
	if err := <-genErr; err != nil {
		return err
	}
	took := time.Since(start)
	log.Info("rows loaded", "listings", loaded.Listings, "listing_hours", loaded.Hours, "listing_tags", loaded.Tags,
		"took", took.Round(time.Millisecond), "listings_per_s", int(float64(loaded.Listings)/took.Seconds()))

	if o.transport.Routes > 0 {
		var prev *fixture.Transport
		if previous != nil {
			prev = previous.Transport
		}
		if err := transportPhase(ctx, db, o.databaseURL, o.transport, o.keepExisting, set, prev, log); err != nil {
			return err
		}
	}

	if o.tax.Citizens > 0 {
		var prev *fixture.Tax
		if previous != nil {
			prev = previous.Tax
		}
		if err := taxPhase(ctx, db, o.databaseURL, o.tax, o.keepExisting, set, prev, log); err != nil {
			return err
		}
	}

	if o.permits.Applications > 0 {
		var prev *fixture.Permits
		if previous != nil {
			prev = previous.Permits
		}
		if err := permitPhase(ctx, db, o.databaseURL, o.permits, o.keepExisting, set, prev, log); err != nil {
			return err
		}
	}

	analyzeStart := time.Now()
	if err := analyze(ctx, db); err != nil {
		return err
	}
	log.Info("statistics updated", "took", time.Since(analyzeStart).Round(time.Millisecond))

	set.Slugs, set.NameWords = coll.result()
	set.Counts["listings"] = loaded.Listings
	set.Counts["listing_hours"] = loaded.Hours
	set.Counts["listing_tags"] = loaded.Tags
	for k, n := range coll.byKindStatus {
		set.Counts[k] = n
	}
	if err := fixture.Write(o.fixtures, set); err != nil {
		return fmt.Errorf("write fixtures: %w", err)
	}
	log.Info("fixtures written", "path", o.fixtures)
	return nil
}

// keepListings finishes a run whose listings are already in place: only
// the transport and tax data sets may need generating.
func keepListings(ctx context.Context, db *database.DB, o options, set *fixture.Set, log *slog.Logger) error {
	transportOK := o.transport.Routes == 0 || transportMatches(ctx, db, set.Transport, o.transport)
	if !transportOK {
		if err := transportPhase(ctx, db, o.databaseURL, o.transport, false, set, nil, log); err != nil {
			return err
		}
	}
	// The permits data set is independent of the others: kept when it
	// matches, made again otherwise.
	permitsOK := o.permits.Applications == 0 || permitsMatch(ctx, db, set.Permits, o.permits)
	if o.permits.Applications > 0 {
		if err := permitPhase(ctx, db, o.databaseURL, o.permits, permitsOK, set, set.Permits, log); err != nil {
			return err
		}
	}
	if o.tax.Citizens > 0 {
		key, err := readKey(o.tax.KeyFile)
		if err != nil {
			return err
		}
		if transportOK && taxMatches(ctx, db, set.Tax, o.tax, key) {
			if err := resetPayments(ctx, db); err != nil || permitsOK {
				return err
			}
		} else if err := taxPhase(ctx, db, o.databaseURL, o.tax, false, set, nil, log); err != nil {
			return err
		}
	} else if transportOK && permitsOK {
		return nil
	}
	if err := analyze(ctx, db); err != nil {
		return err
	}
	return fixture.Write(o.fixtures, set)
}

// produce generates listings round-robin over the kinds, so ids (UUIDv7,
// time ordered) interleave the kinds as real inserts would.
func produce(ctx context.Context, gen *Generator, perKind, batchSize int, coll *collector, out chan<- []Listing, log *slog.Logger) error {
	batch := make([]Listing, 0, batchSize)
	total := perKind * len(Kinds)
	done := 0
	next := total / 10
	for n := 1; n <= perKind; n++ {
		for _, k := range Kinds {
			l := gen.Listing(k, n)
			coll.add(&l)
			batch = append(batch, l)
			if len(batch) == batchSize {
				select {
				case out <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = make([]Listing, 0, batchSize)
			}
			done++
			if done == next && log != nil {
				log.Info("generating", "listings", done, "of", total)
				next += total / 10
			}
		}
	}
	if len(batch) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Counts are rows written per table.
type Counts struct {
	Listings, Hours, Tags int64
}

func (c *Counts) add(batch []Listing) {
	c.Listings += int64(len(batch))
	for i := range batch {
		c.Hours += int64(len(batch[i].Spans))
		c.Tags += int64(len(batch[i].Tags))
	}
}

// collector keeps what the load generator needs: a uniform sample of
// published slugs per kind (reservoir sampling) and the words of names.
type collector struct {
	size         int
	rng          *rand.Rand
	seen         map[string]int
	slugs        map[string][]string
	words        map[string]map[string]struct{}
	byKindStatus map[string]int64
}

func newCollector(size int, seed uint64) *collector {
	return &collector{
		size: size, rng: rand.New(rand.NewPCG(seed, 77)),
		seen: map[string]int{}, slugs: map[string][]string{},
		words: map[string]map[string]struct{}{}, byKindStatus: map[string]int64{},
	}
}

func (c *collector) add(l *Listing) {
	c.byKindStatus[l.Kind+"/"+l.Status]++
	if c.words[l.Kind] == nil {
		c.words[l.Kind] = map[string]struct{}{}
	}
	for _, w := range NameWords(l.NameID + " " + l.NameEN) {
		c.words[l.Kind][w] = struct{}{}
	}
	if l.Status != "published" {
		return
	}
	c.seen[l.Kind]++
	if n := c.seen[l.Kind]; n <= c.size {
		c.slugs[l.Kind] = append(c.slugs[l.Kind], l.Slug)
	} else if j := c.rng.IntN(n); j < c.size {
		c.slugs[l.Kind][j] = l.Slug
	}
}

func (c *collector) result() (map[string][]string, map[string][]string) {
	words := map[string][]string{}
	for k, set := range c.words {
		for w := range set {
			words[k] = append(words[k], w)
		}
		sort.Strings(words[k])
	}
	return c.slugs, words
}

func countByKind(ctx context.Context, db *database.DB) (map[string]int64, error) {
	rows, err := db.SQL.QueryContext(ctx, "SELECT kind, count(*) FROM listings GROUP BY kind")
	if err != nil {
		return nil, fmt.Errorf("count listings: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

func sum(m map[string]int64) int64 {
	var t int64
	for _, v := range m {
		t += v
	}
	return t
}

// matchesFixture reports whether the database holds exactly the data set the
// fixtures file describes, so a repeated benchmark can skip regeneration.
func matchesFixture(o options, dialect string, existing map[string]int64) bool {
	f, err := fixture.Read(o.fixtures)
	if err != nil || f.PerKind != o.perKind || f.Seed != o.seed || f.Dialect != dialect {
		return false
	}
	keys := make([]string, 0, len(existing))
	for k, n := range existing {
		if n != int64(o.perKind) {
			return false
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return slices.Equal(keys, []string{"attraction", "culinary", "event"})
}

func resetTables(ctx context.Context, db *database.DB) error {
	if db.Dialect == database.Postgres {
		// CASCADE also empties tables that point at listings (reviews,
		// favourites, …): they would be dangling otherwise.
		_, err := db.SQL.ExecContext(ctx, "TRUNCATE listings, listing_hours, listing_tags, listing_images CASCADE")
		return err
	}
	for _, t := range []string{"listing_tags", "listing_hours", "listing_images", "listings"} {
		if _, err := db.SQL.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return fmt.Errorf("empty %s: %w", t, err)
		}
	}
	return nil
}

// analyze refreshes planner statistics; on PostgreSQL VACUUM also sets the
// visibility map so index-only scans work as they would on a settled table.
// It covers the whole database, so tables that triggers of later migrations
// fill from listings (search words and the like) are included.
func analyze(ctx context.Context, db *database.DB) error {
	if db.Dialect == database.Postgres {
		if _, err := db.SQL.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
			return fmt.Errorf("vacuum analyze: %w", err)
		}
		return nil
	}
	if _, err := db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	_, err := db.SQL.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
