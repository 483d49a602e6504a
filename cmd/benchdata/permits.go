package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/permit"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
)

// The permits data set: applicants' accounts, one licensing staff account,
// and applications spread over the standard permit types (seeded by the
// API's own code, each at two versions so older applications keep the first)
// with the mix a licensing office has after two years: most decided, a few
// thousand waiting (submitted, in review, sent back) on an SLA clock counted
// over the API's holiday table, some of them overdue. Each application has
// the history rows its status implies, tracking and permit numbers, and the
// number counters are set past them so the API's next numbers are new.

// permitEmailDomain marks the applicants' and the licensing account; it is
// not matched by the other data sets' reset patterns.
const permitEmailDomain = "@permit.bench.invalid"

// appsPerApplicant is how many applications an applicant has on average.
const appsPerApplicant = 20

// permitOptions size the permits data set; Applications 0 generates none.
type permitOptions struct {
	Applications int
	Seed         uint64
}

// permitShare is the status mix: the waiting statuses are a few per cent.
var permitShare = []struct {
	status permit.Status
	per10k int
}{
	{permit.Submitted, 200}, {permit.InReview, 150}, {permit.NeedsRevision, 50},
	{permit.Rejected, 2600}, {permit.Approved, 7000},
}

// permitStatus is application i's status: the waiting ones are spread
// through the id range so every applicant may have one.
func permitStatus(i int) permit.Status {
	r := (i * 7919) % 10000
	for _, s := range permitShare {
		if r < s.per10k {
			return s.status
		}
		r -= s.per10k
	}
	return permit.Approved
}

// permitData is plausible form data of an application of a type.
func permitData(code string, i int, rng *rand.Rand, event civil.Date) map[string]any {
	holder := taxNames[i%len(taxNames)] + " " + taxSurnames[(i/len(taxNames))%len(taxSurnames)]
	street := stopStreets[rng.IntN(len(stopStreets))]
	addr := fmt.Sprintf("Jl. %s No. %d, Surakarta", street, 1+rng.IntN(200))
	switch code {
	case "keramaian":
		return map[string]any{permit.HolderField: holder, "event_name": fmt.Sprintf("Pentas Seni %s %d", street, i),
			"scale": []string{"local", "local", "national", "international"}[i%4], "event_date": event.String(),
			"event_end_date": event.AddDays(1).String(), "venue": addr, "expected_attendance": 100 + rng.IntN(5000)}
	case "reklame":
		return map[string]any{permit.HolderField: holder, "kind": []string{"billboard", "neon_box", "banner", "videotron"}[i%4],
			"location": addr, "width_m": 1 + rng.IntN(8), "height_m": 1 + rng.IntN(5),
			"content": "Promo " + holder, "illuminated": i%2 == 0}
	case "pbg":
		return map[string]any{permit.HolderField: holder, "site_address": addr, "function": "residential",
			"floor_area_m2": 36 + rng.IntN(300), "floors": 1 + rng.IntN(3), "land_certificate_no": fmt.Sprintf("SHM 11.02.01.03.1.%05d", i%100000)}
	case "usaha_mikro":
		return map[string]any{permit.HolderField: holder, "business_name": "Usaha " + holder, "nib": fmt.Sprintf("912%010d", i),
			"kbli": "56103", "business_address": addr, "employees": rng.IntN(10), "home_based": i%3 == 0}
	default: // syuting
		return map[string]any{permit.HolderField: holder, "production_title": fmt.Sprintf("Dokumenter %s %d", street, i),
			"production_kind": "documentary", "locations": addr, "shoot_start_date": event.String(),
			"shoot_end_date": event.AddDays(2).String(), "crew_size": 3 + rng.IntN(30), "road_closure": false}
	}
}

// permitVersion is a type version applications can be made under.
type permitVersion struct {
	id         uuid.UUID
	version    int
	slaDays    int
	numberCode string
}

// permitTypes seeds the standard types with the API's code when missing,
// gives each a second version (the same definition), and returns every
// type's versions, oldest first.
func permitTypes(ctx context.Context, db *database.DB, svc *permit.Service) (map[string][]permitVersion, error) {
	if err := svc.SeedTypes(ctx, db.DB); err != nil {
		return nil, err
	}
	drafts := permit.StandardTypes()
	for _, code := range permit.StandardCodes {
		var current int
		if err := db.SQL.QueryRowContext(ctx, rebind(db, "SELECT current_version FROM permit_types WHERE code = ?"), code).Scan(&current); err != nil {
			return nil, err
		}
		if current < 2 {
			if _, err := svc.UpdateType(ctx, identity.Actor{}, code, drafts[code]); err != nil {
				return nil, fmt.Errorf("second version of %s: %w", code, err)
			}
		}
	}
	rows, err := db.SQL.QueryContext(ctx, "SELECT id, type_code, version, sla_days FROM permit_type_versions ORDER BY type_code, version")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]permitVersion{}
	for rows.Next() {
		var v permitVersion
		var id, code string
		if err := rows.Scan(&id, &code, &v.version, &v.slaDays); err != nil {
			return nil, err
		}
		if v.id, err = uuid.Parse(id); err != nil {
			return nil, err
		}
		v.numberCode = drafts[code].NumberCode
		out[code] = append(out[code], v)
	}
	return out, rows.Err()
}

func rebind(db *database.DB, q string) string {
	if db.Dialect != database.Postgres {
		return q
	}
	out := []byte{}
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

type permitSet struct {
	tables []table
	fx     *fixture.Permits
}

// genPermits builds the applications over the types' versions, with SLA
// due times counted on days (the holiday calendar from two years back).
func genPermits(o permitOptions, versions map[string][]permitVersion, days holiday.Days, now time.Time) (*permitSet, error) {
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3))
	now = now.UTC()
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	fx := &fixture.Permits{Seed: o.Seed, Applications: o.Applications, Counts: map[string]int64{}}
	const noLogin = "!benchmark-account"

	users := table{name: "users", cols: []string{"id", "email", "password_hash", "name", "role", "department", "created_at", "updated_at"}}
	owners := max(1, o.Applications/appsPerApplicant)
	ownerIDs := make([]uuid.UUID, owners)
	for i := range owners {
		u := id()
		ownerIDs[i] = u
		fx.ApplicantIDs = append(fx.ApplicantIDs, u.String())
		users.rows = append(users.rows, []any{u, fmt.Sprintf("bench-applicant-%05d%s", i+1, permitEmailDomain), noLogin,
			taxNames[i%len(taxNames)] + " " + taxSurnames[(i/len(taxNames))%len(taxSurnames)], "user", nil, now, now})
	}
	staff := id()
	fx.StaffID = staff.String()
	users.rows = append(users.rows, []any{staff, "bench-licensing" + permitEmailDomain, noLogin, "Petugas DPMPTSP", "staff",
		string(identity.DeptLicensing), now, now})

	apps := table{name: "permit_applications", cols: []string{"id", "user_id", "type_code", "type_version_id", "status", "data",
		"tracking_number", "permit_number", "valid_until", "submitted_at", "sla_started_at", "sla_used_days", "sla_due_at",
		"decided_at", "created_at", "updated_at"}}
	hist := table{name: "permit_history", cols: []string{"id", "application_id", "from_status", "to_status", "actor_id",
		"actor_role", "note", "at"}}
	type counter struct {
		kind string
		year int
	}
	counters := map[counter]int64{} // last number per kind and year

	dueAfter := func(start time.Time, n int) (time.Time, error) {
		d, ok := days.AddWorkingDays(holiday.DateIn(start), n)
		if !ok {
			return time.Time{}, fmt.Errorf("no %d working days after %s in the loaded calendar", n, start)
		}
		return d.At(23, 59, holiday.WIB).UTC(), nil
	}
	span := 2 * 365 * 24 * time.Hour
	for i := range o.Applications {
		st := permitStatus(i)
		code := permit.StandardCodes[i%len(permit.StandardCodes)]
		vs := versions[code]
		// Creation times rise with i (UUIDv7 ids are time ordered as well):
		// decided applications over two years, waiting ones in the last
		// five weeks so some are past their due time.
		var created time.Time
		if st == permit.Approved || st == permit.Rejected {
			created = now.Add(-span + time.Duration(float64(span-40*24*time.Hour)*float64(i)/float64(o.Applications)))
		} else {
			created = now.Add(-time.Duration(rng.Int64N(int64(35 * 24 * time.Hour))))
		}
		v := vs[len(vs)-1]
		if created.Before(now.Add(-365*24*time.Hour)) && len(vs) > 1 {
			v = vs[0]
		}
		data, err := json.Marshal(permitData(code, i, rng, holiday.DateIn(created).AddDays(45)))
		if err != nil {
			return nil, err
		}
		owner := ownerIDs[i%owners]
		appID := id()
		submitted := created.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
		year := holiday.DateIn(submitted).Year
		counters[counter{"tracking", year}]++
		tracking := permit.TrackingNumber(year, counters[counter{"tracking", year}])
		var permitNo, validUntil, slaStarted, slaDue, decided any
		usedDays := 0
		h := [][4]any{{permit.Draft, permit.Submitted, owner, submitted}}
		last := submitted
		step := func(to permit.Status, after time.Duration, by any) time.Time {
			at := last.Add(after)
			if at.After(now) {
				at = now.Add(-time.Minute)
			}
			h = append(h, [4]any{h[len(h)-1][1], to, by, at})
			last = at
			return at
		}
		due, err := dueAfter(submitted, v.slaDays)
		if err != nil {
			return nil, err
		}
		slaStarted, slaDue = submitted, due
		switch st {
		case permit.InReview:
			step(permit.InReview, time.Duration(1+rng.IntN(72))*time.Hour, staff)
		case permit.NeedsRevision:
			step(permit.InReview, time.Duration(1+rng.IntN(48))*time.Hour, staff)
			back := step(permit.NeedsRevision, time.Duration(1+rng.IntN(48))*time.Hour, staff)
			usedDays = days.WorkingDaysBetween(holiday.DateIn(submitted), holiday.DateIn(back))
			slaStarted, slaDue = nil, nil
		case permit.Approved, permit.Rejected:
			step(permit.InReview, time.Duration(1+rng.IntN(48))*time.Hour, staff)
			at := step(st, time.Duration(1+rng.IntN(24*v.slaDays))*time.Hour, staff)
			decided = at
			if st == permit.Approved {
				day := holiday.DateIn(at)
				k := counter{"permit:" + v.numberCode, day.Year}
				counters[k]++
				permitNo = permit.PermitNumber(v.numberCode, day.Year, counters[k])
				validUntil = dateOnly(day.AddMonthsClamped(12).AddDays(-1).At(0, 0, time.UTC))
			}
		}
		if st != permit.Submitted && st != permit.InReview && st != permit.NeedsRevision {
			fx.Counts["decided"]++
		} else {
			fx.Counts[string(st)]++
			if due, ok := slaDue.(time.Time); ok && due.Before(now) {
				fx.Counts["overdue"]++
			}
		}
		apps.rows = append(apps.rows, []any{appID, owner, code, v.id, string(st), string(data), tracking, permitNo, validUntil,
			submitted, slaStarted, usedDays, slaDue, decided, created, last})
		for _, e := range h {
			role, note := string(permit.Licensing), ""
			if e[2] == owner {
				role = string(permit.Applicant)
			}
			if e[1] == permit.NeedsRevision {
				note = "Lengkapi dokumen yang kurang jelas dan unggah ulang."
			}
			hist.rows = append(hist.rows, []any{id(), appID, string(e[0].(permit.Status)), string(e[1].(permit.Status)), e[2], role, note, e[3]})
		}
	}
	ctrs := table{name: "permit_counters", cols: []string{"kind", "year", "value"}}
	for k, n := range counters {
		ctrs.rows = append(ctrs.rows, []any{k.kind, k.year, n})
	}
	set := &permitSet{tables: []table{users, apps, hist, ctrs}, fx: fx}
	for _, t := range set.tables {
		fx.Counts[t.name] = int64(len(t.rows))
	}
	return set, nil
}

// permitsMatch reports whether the database holds the permits data set the
// fixture describes.
func permitsMatch(ctx context.Context, db *database.DB, fx *fixture.Permits, o permitOptions) bool {
	if fx == nil || fx.Seed != o.Seed || fx.Applications != o.Applications {
		return false
	}
	var n int64
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM permit_applications WHERE status <> 'draft'").Scan(&n); err != nil {
		return false
	}
	return n == int64(o.Applications)
}

// resetPermitDrafts removes the drafts (and their documents' rows) the
// upload workload made, so a kept data set starts the same every run.
func resetPermitDrafts(ctx context.Context, db *database.DB) error {
	for _, s := range []string{
		"DELETE FROM permit_documents WHERE application_id IN (SELECT id FROM permit_applications WHERE status = 'draft')",
		"DELETE FROM permit_history WHERE application_id IN (SELECT id FROM permit_applications WHERE status = 'draft')",
		"DELETE FROM permit_applications WHERE status = 'draft'",
	} {
		if _, err := db.SQL.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("reset permit drafts: %s: %w", s, err)
		}
	}
	return nil
}

func resetPermits(ctx context.Context, db *database.DB) error {
	for _, s := range []string{"DELETE FROM permit_documents", "DELETE FROM permit_history", "DELETE FROM permit_applications",
		"DELETE FROM permit_counters",
		"DELETE FROM notifications WHERE user_id IN (SELECT id FROM users WHERE email LIKE '%" + permitEmailDomain + "')",
		"DELETE FROM users WHERE email LIKE '%" + permitEmailDomain + "'"} {
		if _, err := db.SQL.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("reset permits: %s: %w", s, err)
		}
	}
	return nil
}

func loadPermits(ctx context.Context, db *database.DB, dsn string, set *permitSet) error {
	if db.Dialect == database.Postgres {
		return inCopyTx(ctx, dsn, func(tx pgx.Tx) error {
			for _, t := range set.tables {
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(taxValues(t.rows, true))); err != nil {
					return fmt.Errorf("copy %s: %w", t.name, err)
				}
			}
			return nil
		})
	}
	return loadPermitsSQLite(ctx, db.SQL, set)
}

func loadPermitsSQLite(ctx context.Context, db *sql.DB, set *permitSet) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins := newInserter()
	ins.reset(tx)
	for _, t := range set.tables {
		if err := ins.insert(ctx, t.name, t.cols, taxValues(t.rows, false)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// permitPhase keeps or regenerates the permits data set and records it in
// set. A kept set loses the drafts a previous upload workload made.
func permitPhase(ctx context.Context, db *database.DB, dsn string, o permitOptions, keep bool, set *fixture.Set,
	previous *fixture.Permits, log *slog.Logger) error {
	if keep && permitsMatch(ctx, db, previous, o) {
		log.Info("database already holds this permits data set; keeping it (drafts removed)", "applications", o.Applications)
		set.Permits = previous
		return resetPermitDrafts(ctx, db)
	}
	if err := resetPermits(ctx, db); err != nil {
		return err
	}
	start := time.Now()
	hol := holiday.NewService(db)
	if _, err := hol.LoadReference(ctx); err != nil {
		return err
	}
	svc := permit.NewService(db, nil, hol, nil, nil, time.Now)
	versions, err := permitTypes(ctx, db, svc)
	if err != nil {
		return err
	}
	now := time.Now()
	today := holiday.DateIn(now)
	days, err := hol.Days(ctx, today.AddDays(-2*366), today.AddDays(120))
	if err != nil {
		return err
	}
	ps, err := genPermits(o, versions, days, now)
	if err != nil {
		return err
	}
	if err := loadPermits(ctx, db, dsn, ps); err != nil {
		return err
	}
	log.Info("permit rows loaded", "applications", o.Applications, "history", ps.fx.Counts["permit_history"],
		"took", time.Since(start).Round(time.Millisecond))
	set.Permits = ps.fx
	return nil
}
