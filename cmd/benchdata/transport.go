package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/platform/database"
)

// The transport data set: the five modes of the demo, stops spread over
// Surakarta's bounding box, routes through them (an equal share of routes
// per mode), a season of dated trips for every route, and accounts that the
// load generator books as. Rows go straight into the transport_* tables with
// the columns of the current schema; later columns keep their defaults.

// Surakarta's bounding box, roughly the city limits.
const (
	boxMinLat, boxMaxLat = -7.600, -7.535
	boxMinLng, boxMaxLng = 110.755, 110.870
)

// benchEmailDomain marks generated accounts, so a reset removes only them.
const benchEmailDomain = "@bench.invalid"

// modeSpec is a mode with the timetable its generated routes get.
type modeSpec struct {
	code, nameID, nameEN string
	bookable             bool
	fare                 int64
	capacity             int
	firstMin, lastMin    int // first and last departure, minutes after midnight WIB
	everyMin             int
	rideMin              int
}

// transportModes follow the demo: codes, fares and seat counts as the
// operators run them; timetables denser than the real ones where the
// benchmark wants rows.
var transportModes = []modeSpec{
	{"andong", "Andong", "Andong (horse carriage)", false, 100000, 5, 8 * 60, 17*60 + 40, 20, 45},
	{"steam_train", "Sepur Kluthuk Jaladara", "Jaladara steam train", true, 50000, 72, 9 * 60, 13 * 60, 240, 180},
	{"electric_car", "Mobil listrik wisata", "Electric tourist car", true, 20000, 7, 9 * 60, 16*60 + 30, 30, 40},
	{"double_decker_bus", "Bus Tingkat Werkudara", "Werkudara double-decker bus", true, 20000, 43, 9 * 60, 15 * 60, 180, 120},
	{"city_bus", "Batik Solo Trans", "Batik Solo Trans city bus", false, 3700, 60, 5 * 60, 21*60 + 50, 10, 60},
}

var stopStreets = []string{
	"Slamet Riyadi", "Adi Sucipto", "Ahmad Yani", "Veteran", "Honggowongso", "Gatot Subroto", "Diponegoro",
	"Urip Sumoharjo", "Kapten Mulyadi", "Sutan Syahrir", "Yos Sudarso", "Dr Radjiman", "Kolonel Sutarto",
	"Ir Juanda", "Letjen Suprapto", "Monginsidi", "Kyai Mojo", "Sam Ratulangi", "Hasanudin", "Bhayangkara",
}

// transportOptions size the transport data set; Routes 0 generates none.
type transportOptions struct {
	Routes, Stops, Days, Users int
	Seed                       uint64
}

// table is rows for one table, in the order of cols.
type table struct {
	name string
	cols []string
	rows [][]any
}

// transportSet is the generated data before loading.
type transportSet struct {
	tables []table   // everything but trips
	trips  [][][]any // one slice per route: each route's trips
	fx     *fixture.Transport
}

var tripColumns = []string{"id", "route_id", "departs_at", "arrives_at", "capacity", "seats_available", "fare_idr",
	"status", "created_at", "updated_at"}

// genTransport builds the data set; today is the day before the season.
func genTransport(o transportOptions, now time.Time) *transportSet {
	rng := rand.New(rand.NewPCG(o.Seed, 0x7a5))
	now = now.UTC()
	wibZone := time.FixedZone("WIB", 7*3600)
	first := now.In(wibZone).AddDate(0, 0, 1)
	first = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, wibZone)
	fx := &fixture.Transport{Seed: o.Seed, Routes: o.Routes, Stops: o.Stops, Days: o.Days,
		FirstDay: first.Format(time.DateOnly), Counts: map[string]int64{}}
	fx.Box.MinLat, fx.Box.MaxLat, fx.Box.MinLng, fx.Box.MaxLng = boxMinLat, boxMaxLat, boxMinLng, boxMaxLng
	set := &transportSet{fx: fx}
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }

	modes := table{name: "transport_modes", cols: []string{"code", "name_id", "name_en", "description_id", "description_en",
		"bookable", "fares", "operating_hours", "created_at", "updated_at"}}
	for _, m := range transportModes {
		fares := fmt.Sprintf(`[{"category":"adult","label":"Umum / General","amount_idr":%d}]`, m.fare)
		modes.rows = append(modes.rows, []any{m.code, m.nameID, m.nameEN, "Data uji beban.", "Load-test data.",
			m.bookable, fares, "[]", now, now})
	}

	type pt struct {
		id       uuid.UUID
		lat, lng float64
	}
	stops := table{name: "transport_stops", cols: []string{"id", "name_id", "name_en", "lat", "lng", "created_at", "updated_at"}}
	points := make([]pt, o.Stops)
	for i := range points {
		p := pt{id: id(), lat: boxMinLat + rng.Float64()*(boxMaxLat-boxMinLat), lng: boxMinLng + rng.Float64()*(boxMaxLng-boxMinLng)}
		points[i] = p
		st := stopStreets[rng.IntN(len(stopStreets))]
		stops.rows = append(stops.rows, []any{p.id, fmt.Sprintf("Halte %s %d", st, i+1), fmt.Sprintf("%s stop %d", st, i+1),
			p.lat, p.lng, now, now})
	}

	// Every stop is on one route (the shuffled stops are dealt out in equal
	// shares) and each route also passes two stops dealt to others, so some
	// stops are served by several modes.
	routes := table{name: "transport_routes", cols: []string{"id", "mode_code", "name_id", "name_en", "description_id",
		"description_en", "path", "created_at", "updated_at"}}
	routeStops := table{name: "transport_route_stops", cols: []string{"route_id", "position", "stop_id"}}
	order := rng.Perm(len(points))
	share := max(2, len(points)/max(1, o.Routes))
	for r := range o.Routes {
		m := transportModes[r%len(transportModes)]
		rid := id()
		fx.RouteIDs = append(fx.RouteIDs, rid.String())
		if m.bookable {
			fx.BookableRouteIDs = append(fx.BookableRouteIDs, rid.String())
		}
		routes.rows = append(routes.rows, []any{rid, m.code, fmt.Sprintf("%s rute %d", m.nameID, r+1),
			fmt.Sprintf("%s route %d", m.nameEN, r+1), "", "", "", now, now})
		var mine []pt
		for k := range share {
			mine = append(mine, points[order[(r*share+k)%len(order)]])
		}
		mine = append(mine, points[rng.IntN(len(points))], points[rng.IntN(len(points))])
		theta := rng.Float64() * 2 * math.Pi
		dx, dy := math.Cos(theta), math.Sin(theta)
		slices.SortFunc(mine, func(a, b pt) int {
			return cmpFloat(a.lng*dx+a.lat*dy, b.lng*dx+b.lat*dy)
		})
		seen := map[uuid.UUID]bool{}
		pos := 0
		for _, p := range mine {
			if seen[p.id] {
				continue
			}
			seen[p.id] = true
			pos++
			routeStops.rows = append(routeStops.rows, []any{rid, pos, p.id})
		}

		var trips [][]any
		for d := range o.Days {
			day := first.AddDate(0, 0, d)
			for t := m.firstMin; t <= m.lastMin; t += m.everyMin {
				dep := day.Add(time.Duration(t) * time.Minute).UTC()
				tid := id()
				trips = append(trips, []any{tid, rid, dep, dep.Add(time.Duration(m.rideMin) * time.Minute),
					m.capacity, m.capacity, m.fare, "scheduled", now, now})
				if m.capacity >= 40 && m.bookable {
					fx.BookableTrips = append(fx.BookableTrips, fixture.Trip{ID: tid.String(), DepartsAt: dep, Capacity: m.capacity})
				}
			}
		}
		set.trips = append(set.trips, trips)
		fx.Counts["transport_trips"] += int64(len(trips))
	}

	users := table{name: "users", cols: []string{"id", "email", "password_hash", "name", "role", "department",
		"created_at", "updated_at"}}
	// The password hash matches no password: these accounts never log in.
	const noLogin = "!benchmark-account"
	for i := range o.Users {
		u := id()
		fx.UserIDs = append(fx.UserIDs, u.String())
		users.rows = append(users.rows, []any{u, fmt.Sprintf("bench-user-%05d%s", i+1, benchEmailDomain), noLogin,
			fmt.Sprintf("Penumpang %d", i+1), "user", nil, now, now})
	}
	staff := id()
	fx.StaffID = staff.String()
	users.rows = append(users.rows, []any{staff, "bench-staff" + benchEmailDomain, noLogin, "Petugas Dishub", "staff",
		"transport", now, now})

	set.tables = []table{users, modes, stops, routes, routeStops}
	for _, t := range set.tables {
		fx.Counts[t.name] = int64(len(t.rows))
	}
	return set
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// transportMatches reports whether the database holds the transport data
// set the fixture describes with these options.
func transportMatches(ctx context.Context, db *database.DB, fx *fixture.Transport, o transportOptions) bool {
	if fx == nil || fx.Seed != o.Seed || fx.Routes != o.Routes || fx.Stops != o.Stops || fx.Days != o.Days ||
		len(fx.UserIDs) != o.Users {
		return false
	}
	var n int64
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM transport_trips").Scan(&n); err != nil {
		return false
	}
	return n >= fx.Counts["transport_trips"] && n > 0
}

// resetTransport empties the transport tables and removes generated
// accounts (their notifications go with them).
func resetTransport(ctx context.Context, db *database.DB) error {
	stmts := []string{
		"TRUNCATE transport_modes, transport_stops, transport_routes, transport_route_stops, transport_trips, transport_bookings CASCADE",
		"DELETE FROM users WHERE email LIKE '%" + benchEmailDomain + "'",
	}
	if db.Dialect != database.Postgres {
		stmts = []string{
			"DELETE FROM transport_bookings", "DELETE FROM transport_trips", "DELETE FROM transport_route_stops",
			"DELETE FROM transport_routes", "DELETE FROM transport_stops", "DELETE FROM transport_modes",
			"DELETE FROM notifications WHERE user_id IN (SELECT id FROM users WHERE email LIKE '%" + benchEmailDomain + "')",
			"DELETE FROM users WHERE email LIKE '%" + benchEmailDomain + "'",
		}
	}
	for _, s := range stmts {
		if _, err := db.SQL.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("reset transport: %s: %w", s, err)
		}
	}
	return nil
}

// loadTransport writes the set in one transaction: COPY on PostgreSQL,
// multi-row INSERTs on SQLite.
func loadTransport(ctx context.Context, db *database.DB, dsn string, set *transportSet) error {
	if db.Dialect == database.Postgres {
		return loadTransportPG(ctx, dsn, set)
	}
	return loadTransportSQLite(ctx, db.SQL, set)
}

func pgValues(rows [][]any) [][]any {
	for _, r := range rows {
		for i, v := range r {
			if u, ok := v.(uuid.UUID); ok {
				r[i] = [16]byte(u)
			}
		}
	}
	return rows
}

func sqliteValues(rows [][]any) [][]any {
	for _, r := range rows {
		for i, v := range r {
			if u, ok := v.(uuid.UUID); ok {
				r[i] = u.String()
			}
		}
	}
	return rows
}

func loadTransportPG(ctx context.Context, dsn string, set *transportSet) error {
	return inCopyTx(ctx, dsn, func(tx pgx.Tx) error {
		for _, t := range set.tables {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(pgValues(t.rows))); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
		}
		for _, trips := range set.trips {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"transport_trips"}, tripColumns, pgx.CopyFromRows(pgValues(trips))); err != nil {
				return fmt.Errorf("copy transport_trips: %w", err)
			}
		}
		return nil
	})
}

// inCopyTx runs load in one transaction on its own connection, without
// waiting for the WAL flush at commit (a generated data set is redone, not
// recovered), and commits when load succeeds.
func inCopyTx(ctx context.Context, dsn string, load func(tx pgx.Tx) error) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
		return err
	}
	if err := load(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func loadTransportSQLite(ctx context.Context, db *sql.DB, set *transportSet) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins := newInserter()
	ins.reset(tx)
	for _, t := range set.tables {
		if err := ins.insert(ctx, t.name, t.cols, sqliteValues(t.rows)); err != nil {
			return err
		}
	}
	for _, trips := range set.trips {
		if err := ins.insert(ctx, "transport_trips", tripColumns, sqliteValues(trips)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// transportPhase keeps or regenerates the transport data set and records
// it in set.
func transportPhase(ctx context.Context, db *database.DB, dsn string, o transportOptions, keep bool, set *fixture.Set,
	previous *fixture.Transport, log *slog.Logger) error {
	if keep && transportMatches(ctx, db, previous, o) {
		log.Info("database already holds this transport data set; keeping it", "routes", o.Routes, "days", o.Days)
		set.Transport = previous
		return nil
	}
	if err := resetTransport(ctx, db); err != nil {
		return err
	}
	start := time.Now()
	ts := genTransport(o, time.Now())
	if err := loadTransport(ctx, db, dsn, ts); err != nil {
		return err
	}
	log.Info("transport rows loaded", "routes", o.Routes, "stops", o.Stops, "trips", ts.fx.Counts["transport_trips"],
		"users", o.Users+1, "took", time.Since(start).Round(time.Millisecond))
	set.Transport = ts.fx
	return nil
}
