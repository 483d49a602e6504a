package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/tax"
	"github.com/solodestination/api/pkg/nik"
	"github.com/solodestination/api/pkg/nop"
)

// The tax data set: accounts with verified citizen profiles, tax objects in
// Surakarta's NOP range (half of them owned by those citizens, the rest by
// NIKs no account claims) and bills for this year and the ones before. NIKs
// are sealed with the same Vault and key the API runs with, so its blind
// index finds a citizen's objects.

// taxEmailDomain marks the citizens' accounts; it is not matched by the
// transport reset's pattern, so either data set can be replaced alone.
const taxEmailDomain = "@tax.bench.invalid"

// taxOptions size the tax data set; Citizens 0 generates none.
type taxOptions struct {
	Citizens, Objects, Bills int
	KeyFile                  string
	Seed                     uint64
}

// dateOnly is a calendar date column value.
type dateOnly time.Time

var taxTypes = []string{"pbb", "pbb", "pbb", "pbb", "pbjt_restoran", "pbjt_hotel", "reklame", "parkir", "hiburan"}

var taxNames = []string{"Budi", "Sri", "Agus", "Siti", "Joko", "Wahyu", "Dewi", "Slamet", "Rini", "Bambang", "Endang", "Hadi"}
var taxSurnames = []string{"Santoso", "Wulandari", "Prasetyo", "Rahayu", "Nugroho", "Lestari", "Susanto", "Purnomo"}

// benchNIK is the i-th generated NIK: Surakarta (33 72), one of its five
// districts, a birth date and serial derived from i, unique for i below
// 9000 × 28 × 12 × 20.
func benchNIK(i int) (nik.NIK, time.Time, error) {
	serial := 1 + i%9000
	q := i / 9000
	day, month, year := 1+q%28, 1+(q/28)%12, 1960+(q/336)%20
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	s := fmt.Sprintf("3372%02d%02d%02d%02d%04d", 1+i%5, day, month, year%100, serial)
	n, err := nik.Parse(s)
	return n, birth, err
}

// benchNOP is the j-th generated NOP: 33 72, district, village, block, number.
func benchNOP(j int) (nop.NOP, error) {
	rest := j / 5
	village := 1 + rest%20
	rest /= 20
	block := 1 + rest%500
	number := 1 + rest/500
	return nop.Parse(fmt.Sprintf("3372%03d%03d%03d%04d0", 10*(1+j%5), village, block, number))
}

// keyFingerprint names a key without revealing it, so a kept data set is
// known to be sealed with the key the API will use.
func keyFingerprint(key []byte) string {
	s := sha256.Sum256(append([]byte("benchdata key fingerprint "), key...))
	return hex.EncodeToString(s[:8])
}

func readKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("NIK key: %w", err)
	}
	// The API trims the same way when it reads NIK_ENCRYPTION_KEY_FILE.
	key := []byte(strings.TrimRight(string(b), "\r\n"))
	if len(key) == 0 {
		return nil, fmt.Errorf("NIK key file %s is empty", path)
	}
	return key, nil
}

type taxSet struct {
	tables []table
	fx     *fixture.Tax
}

// maxPayBills bounds the bills the fixture lists for the webhook workload.
const maxPayBills = 20000

func genTax(o taxOptions, key []byte, now time.Time) (*taxSet, error) {
	vault, err := tax.NewVault(key)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x7a8))
	now = now.UTC()
	wib := time.FixedZone("WIB", 7*3600)
	thisYear := now.In(wib).Year()
	fx := &fixture.Tax{Seed: o.Seed, Citizens: o.Citizens, Objects: o.Objects, Bills: o.Bills,
		KeyFingerprint: keyFingerprint(key), Counts: map[string]int64{}}
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }

	users := table{name: "users", cols: []string{"id", "email", "password_hash", "name", "role", "created_at", "updated_at"}}
	profiles := table{name: "citizen_profiles", cols: []string{"user_id", "nik_cipher", "nik_index", "nik_masked", "full_name",
		"birth_date", "status", "submitted_at", "reviewed_at", "created_at", "updated_at"}}
	const noLogin = "!benchmark-account"
	citizens := make([]uuid.UUID, o.Citizens)
	for i := range o.Citizens {
		n, birth, err := benchNIK(i)
		if err != nil {
			return nil, fmt.Errorf("generated NIK %d: %w", i, err)
		}
		sealed, err := vault.Seal(n)
		if err != nil {
			return nil, err
		}
		u := id()
		citizens[i] = u
		fx.CitizenIDs = append(fx.CitizenIDs, u.String())
		name := taxNames[i%len(taxNames)] + " " + taxSurnames[(i/len(taxNames))%len(taxSurnames)]
		users.rows = append(users.rows, []any{u, fmt.Sprintf("bench-citizen-%05d%s", i+1, taxEmailDomain), noLogin, name, "user", now, now})
		profiles.rows = append(profiles.rows, []any{u, sealed.Cipher, sealed.Index, sealed.Masked, name, dateOnly(birth),
			"verified", now, now, now, now})
	}

	// Object j's owner is NIK j mod 2C: the first C are the citizens', the
	// others nobody's account (owners who never registered).
	owners := max(1, 2*o.Citizens)
	objects := table{name: "tax_objects", cols: []string{"id", "nop", "tax_type", "address", "owner_name", "owner_nik_cipher",
		"owner_nik_index", "owner_nik_masked", "created_at", "updated_at"}}
	objIDs := make([]uuid.UUID, o.Objects)
	objOwner := make([]int, o.Objects)
	sealedOf := map[int][3]string{}
	for j := range o.Objects {
		n, err := benchNOP(j)
		if err != nil {
			return nil, fmt.Errorf("generated NOP %d: %w", j, err)
		}
		ow := j % owners
		s, ok := sealedOf[ow]
		if !ok {
			k, _, err := benchNIK(ow)
			if err != nil {
				return nil, err
			}
			sl, err := vault.Seal(k)
			if err != nil {
				return nil, err
			}
			s = [3]string{sl.Cipher, sl.Index, sl.Masked}
			sealedOf[ow] = s
		}
		oid := id()
		objIDs[j], objOwner[j] = oid, ow
		fx.NOPs = append(fx.NOPs, n.Digits())
		st := stopStreets[rng.IntN(len(stopStreets))]
		objects.rows = append(objects.rows, []any{oid, n.Digits(), taxTypes[j%len(taxTypes)],
			fmt.Sprintf("Jl. %s No. %d, Surakarta", st, 1+rng.IntN(200)),
			taxNames[ow%len(taxNames)] + " " + taxSurnames[(ow/len(taxNames))%len(taxSurnames)], s[0], s[1], s[2], now, now})
	}

	// Bill k belongs to object k mod N for the year k / N years back: this
	// year's and last year's PBB-style annual bills, due on 30 September.
	bills := table{name: "tax_bills", cols: []string{"id", "object_id", "period", "year", "principal_idr", "due_date",
		"status", "created_at", "updated_at"}}
	years := map[int]bool{}
	if o.Objects > 0 {
		for k := range o.Bills {
			j := k % o.Objects
			year := thisYear - k/o.Objects
			years[year] = true
			bid := id()
			bills.rows = append(bills.rows, []any{bid, objIDs[j], fmt.Sprint(year), year, int64(100000 + 1000*rng.IntN(5000)),
				dateOnly(time.Date(year, time.September, 30, 0, 0, 0, 0, time.UTC)), "unpaid", now, now})
			if ow := objOwner[j]; ow < o.Citizens && len(fx.PayBills) < maxPayBills {
				fx.PayBills = append(fx.PayBills, fixture.PayBill{BillID: bid.String(), UserID: citizens[ow].String()})
			}
		}
	}
	for y := range years {
		fx.Years = append(fx.Years, y)
	}
	set := &taxSet{tables: []table{users, profiles, objects, bills}, fx: fx}
	for _, t := range set.tables {
		fx.Counts[t.name] = int64(len(t.rows))
	}
	return set, nil
}

func taxMatches(ctx context.Context, db *database.DB, fx *fixture.Tax, o taxOptions, key []byte) bool {
	if fx == nil || fx.Seed != o.Seed || fx.Citizens != o.Citizens || fx.Objects != o.Objects || fx.Bills != o.Bills ||
		fx.KeyFingerprint != keyFingerprint(key) {
		return false
	}
	var n int64
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM tax_bills").Scan(&n); err != nil {
		return false
	}
	return n == int64(o.Bills)
}

// paymentTables are emptied by every tax reset: they point at the bills.
var paymentTables = []string{"payment_receipts", "payment_events", "payments", "payment_subjects"}

// resetPayments removes payments and marks every bill unpaid again, so the
// webhook workload starts from the same state on a kept data set.
func resetPayments(ctx context.Context, db *database.DB) error {
	stmts := []string{}
	for _, t := range paymentTables {
		stmts = append(stmts, "DELETE FROM "+t)
	}
	stmts = append(stmts,
		"DELETE FROM notifications WHERE user_id IN (SELECT id FROM users WHERE email LIKE '%"+taxEmailDomain+"')",
		"UPDATE tax_bills SET status = 'unpaid', payment_id = NULL, paid_at = NULL WHERE status <> 'unpaid'")
	for _, s := range stmts {
		if _, err := db.SQL.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("reset payments: %s: %w", s, err)
		}
	}
	return nil
}

func resetTax(ctx context.Context, db *database.DB) error {
	if err := resetPayments(ctx, db); err != nil {
		return err
	}
	for _, s := range []string{"DELETE FROM tax_bills", "DELETE FROM tax_objects", "DELETE FROM citizen_profiles",
		"DELETE FROM users WHERE email LIKE '%" + taxEmailDomain + "'"} {
		if _, err := db.SQL.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("reset tax: %s: %w", s, err)
		}
	}
	return nil
}

func taxValues(rows [][]any, pg bool) [][]any {
	for _, r := range rows {
		for i, v := range r {
			if d, ok := v.(dateOnly); ok {
				if pg {
					r[i] = time.Time(d)
				} else {
					r[i] = time.Time(d).Format(time.DateOnly)
				}
			}
		}
	}
	if pg {
		return pgValues(rows)
	}
	return sqliteValues(rows)
}

func loadTax(ctx context.Context, db *database.DB, dsn string, set *taxSet) error {
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
	return loadTaxSQLite(ctx, db.SQL, set)
}

func loadTaxSQLite(ctx context.Context, db *sql.DB, set *taxSet) error {
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

// taxPhase keeps or regenerates the tax data set and records it in set.
// A kept set has its payments removed and its bills unpaid again.
func taxPhase(ctx context.Context, db *database.DB, dsn string, o taxOptions, keep bool, set *fixture.Set,
	previous *fixture.Tax, log *slog.Logger) error {
	key, err := readKey(o.KeyFile)
	if err != nil {
		return err
	}
	if keep && taxMatches(ctx, db, previous, o, key) {
		log.Info("database already holds this tax data set; keeping it (payments removed)", "bills", o.Bills)
		set.Tax = previous
		return resetPayments(ctx, db)
	}
	if err := resetTax(ctx, db); err != nil {
		return err
	}
	start := time.Now()
	ts, err := genTax(o, key, time.Now())
	if err != nil {
		return err
	}
	if err := loadTax(ctx, db, dsn, ts); err != nil {
		return err
	}
	log.Info("tax rows loaded", "citizens", o.Citizens, "objects", o.Objects, "bills", o.Bills,
		"took", time.Since(start).Round(time.Millisecond))
	set.Tax = ts.fx
	return nil
}
