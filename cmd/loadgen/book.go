package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx": the same checks on both databases

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

// The booking workloads write, so they are not closed-loop GETs like the
// others: a burst of simultaneous attempts on one small trip, then
// sustained bookings spread over many trips. Riders are the accounts the
// data generator made; their access tokens are signed here with the API's
// JWT secret (bench/run.sh gives both the same secret file), so no password
// hashing stands between the load and the booking path.

// Token claims as internal/identity issues them.
const (
	tokenIssuer   = "solo-destination"
	tokenAudience = "solo-destination-api"
)

type benchClaims struct {
	Role       string `json:"role"`
	Department string `json:"department,omitempty"`
	jwt.RegisteredClaims
}

// MintToken signs an access token for an account, valid for ttl.
func MintToken(secret []byte, userID, role, department string, now time.Time, ttl time.Duration) (string, error) {
	c := benchClaims{Role: role, Department: department, RegisteredClaims: jwt.RegisteredClaims{
		Subject: userID, Issuer: tokenIssuer, Audience: jwt.ClaimStrings{tokenAudience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)), ID: uuid.NewString(),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}

// BookFile is the results file of "loadgen book".
type BookFile struct {
	StartedAt time.Time       `json:"started_at"`
	Env       Env             `json:"env"`
	Burst     *BurstResult    `json:"burst,omitempty"`
	Sustained *SustainedStats `json:"sustained,omitempty"`
}

// BurstResult is N simultaneous attempts on one trip of Seats seats.
type BurstResult struct {
	Attempts int              `json:"attempts"`
	Seats    int              `json:"seats"`
	TripID   string           `json:"trip_id"`
	SettleMS float64          `json:"settle_ms"` // from release to the last response
	P50MS    float64          `json:"p50_ms"`
	P99MS    float64          `json:"p99_ms"`
	Status   map[string]int64 `json:"status"`
	Codes    map[string]int64 `json:"codes"` // problem codes of the refusals
	// Read from the database afterwards.
	DBConfirmed      int64    `json:"db_confirmed"`
	DBSeats          int64    `json:"db_seats"`
	DBSeatsAvailable int64    `json:"db_seats_available"`
	Errors           []string `json:"errors,omitempty"`
}

// Met reports whether the burst meets the bar: settled in under
// two seconds with exactly Seats confirmed, in the answers and the database.
func (b *BurstResult) Met() (bool, []string) {
	var why []string
	if b.SettleMS >= 2000 {
		why = append(why, fmt.Sprintf("settled in %.0f ms ≥ 2000 ms", b.SettleMS))
	}
	if got := b.Status["201"]; got != int64(b.Seats) {
		why = append(why, fmt.Sprintf("%d × 201, want %d", got, b.Seats))
	}
	if b.DBConfirmed != int64(b.Seats) || b.DBSeats != int64(b.Seats) || b.DBSeatsAvailable != 0 {
		why = append(why, fmt.Sprintf("database: %d confirmed bookings for %d seats, %d seats left", b.DBConfirmed, b.DBSeats, b.DBSeatsAvailable))
	}
	if n := b.Status["409"]; n != int64(b.Attempts-b.Seats) {
		why = append(why, fmt.Sprintf("%d × 409, want %d", n, b.Attempts-b.Seats))
	}
	return len(why) == 0, why
}

// SustainedStats is a closed loop of bookings over many trips.
type SustainedStats struct {
	Concurrency  int              `json:"concurrency"`
	Trips        int              `json:"trips"`
	Users        int              `json:"users"`
	ElapsedS     float64          `json:"elapsed_s"`
	Requests     int64            `json:"requests"`
	Confirmed    int64            `json:"confirmed"`
	ConfirmedPS  float64          `json:"confirmed_per_s"`
	DBConfirmed  int64            `json:"db_confirmed"` // confirmed bookings the database gained during the measurement
	P50MS        float64          `json:"p50_ms"`
	P90MS        float64          `json:"p90_ms"`
	P99MS        float64          `json:"p99_ms"`
	MaxMS        float64          `json:"max_ms"`
	Status       map[string]int64 `json:"status"`
	ErrorSample  []string         `json:"error_sample,omitempty"`
	CPU          *CPUUse          `json:"cpu,omitempty"`
	IdempotencyK bool             `json:"idempotency_key"`
}

// TargetBookingsPS is the sustained booking target.
const TargetBookingsPS = 500

func cmdBook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c          commonFlags
		sqliteDir  string
		burst      int
		burstSeats int
		conc       int
		duration   time.Duration
		warmup     time.Duration
		serverPID  int
		out        string
		noKey      bool
	)
	fs := flag.NewFlagSet("loadgen book", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.register(fs)
	fs.StringVar(&sqliteDir, "sqlite-dir", "", "DATA_DIR of an SQLite-backed API (instead of -db), to read bookings back")
	fs.IntVar(&burst, "burst", 1000, "simultaneous attempts on one trip (0 skips the burst)")
	fs.IntVar(&burstSeats, "burst-seats", 50, "seats of the burst's trip")
	fs.IntVar(&conc, "c", 64, "connections of the sustained run (closed loop)")
	fs.DurationVar(&duration, "duration", 20*time.Second, "measured time of the sustained run (0 skips it)")
	fs.DurationVar(&warmup, "warmup", 3*time.Second, "unmeasured warm-up of the sustained run")
	fs.IntVar(&serverPID, "server-pid", 0, "API process id, to report its CPU use")
	fs.StringVar(&out, "out", "bench/results/results-book.json", "results file")
	fs.BoolVar(&noKey, "no-idempotency-key", false, "sustained run: send no Idempotency-Key")
	if err := fs.Parse(args); err != nil {
		return err
	}
	secretFile := c.secret
	if secretFile == "" || (c.db == "" && sqliteDir == "") {
		return errors.New("book needs -jwt-secret-file and -db or -sqlite-dir")
	}
	if burst < 0 || burstSeats < 1 || burstSeats > burst && burst > 0 || conc < 1 || duration < 0 || warmup < 0 {
		return errors.New("need 0 ≤ -burst, 1 ≤ -burst-seats ≤ -burst, -c ≥ 1")
	}
	c.base = strings.TrimRight(c.base, "/")
	if err := CheckLoopback(c.base); err != nil {
		return err
	}
	secret, err := os.ReadFile(secretFile)
	if err != nil {
		return err
	}
	secret = bytes.TrimRight(secret, "\r\n")
	fx, err := fixture.Read(c.fixtures)
	if err != nil {
		return err
	}
	t := fx.Transport
	if t == nil || len(t.UserIDs) == 0 || t.StaffID == "" || len(t.BookableRouteIDs) == 0 {
		return errors.New("the data set has no transport network or riders; run benchdata with -transport-routes > 0")
	}
	if burst > len(t.UserIDs) {
		return fmt.Errorf("-burst %d needs as many riders; the data set has %d", burst, len(t.UserIDs))
	}
	db, err := openCheckDB(c.db, sqliteDir)
	if err != nil {
		return err
	}
	defer db.Close()

	client := NewClient(max(conc, burst), c.timeout)
	if c.waitReady > 0 {
		if err := WaitReady(ctx, client, c.base, c.waitReady); err != nil {
			return err
		}
	}
	now := time.Now()
	tokens := make([]string, len(t.UserIDs))
	for i, id := range t.UserIDs {
		if tokens[i], err = MintToken(secret, id, "user", "", now, time.Hour); err != nil {
			return err
		}
	}
	staff, err := MintToken(secret, t.StaffID, "staff", "transport", now, time.Hour)
	if err != nil {
		return err
	}
	bf := BookFile{StartedAt: now.UTC(), Env: CollectEnv(ctx)}
	rng := rand.New(rand.NewPCG(c.seed, 0xb00c))

	if burst > 0 {
		trip, err := createTrip(ctx, client, c.base, staff, t.BookableRouteIDs[0], burstSeats, now)
		if err != nil {
			return fmt.Errorf("create the burst's trip: %w", err)
		}
		bf.Burst = runBurst(ctx, client, c.base, trip, tokens[:burst], burstSeats)
		if err := burstFromDB(ctx, db, bf.Burst); err != nil {
			return err
		}
		ok, why := bf.Burst.Met()
		fmt.Fprintf(stdout, "burst: %d attempts on a %d-seat trip settled in %.0f ms; statuses %v; database: %d confirmed, %d seats left; %s\n",
			burst, burstSeats, bf.Burst.SettleMS, bf.Burst.Status, bf.Burst.DBConfirmed, bf.Burst.DBSeatsAvailable, verdictWord(ok, why))
	}

	if duration > 0 {
		var trips []string
		horizon := time.Now().Add(30 * time.Minute)
		for _, tr := range t.BookableTrips {
			if tr.DepartsAt.After(horizon) {
				trips = append(trips, tr.ID)
			}
		}
		if len(trips) == 0 {
			return errors.New("no bookable trip of the data set departs later than 30 minutes from now; regenerate it (REGEN=1)")
		}
		s := &sustained{client: client, base: c.base, tokens: tokens, trips: trips, conc: conc, key: !noKey}
		if warmup > 0 {
			s.phase(ctx, warmup, rng.Uint64())
		}
		before, err := countConfirmed(ctx, db)
		if err != nil {
			return err
		}
		cpu0 := sampleCPU(serverPID)
		start := time.Now()
		stats := s.phase(ctx, duration, rng.Uint64())
		elapsed := time.Since(start)
		cpu := sampleCPU(serverPID).since(cpu0, elapsed)
		after, err := countConfirmed(ctx, db)
		if err != nil {
			return err
		}
		res := stats.result(elapsed)
		res.Concurrency, res.Trips, res.Users, res.CPU, res.IdempotencyK = conc, len(trips), len(tokens), cpu, !noKey
		res.DBConfirmed = after - before
		bf.Sustained = res
		fmt.Fprintf(stdout, "sustained: %d confirmed bookings in %.1f s = %.0f/s (database: %d); p50 %.1f ms, p99 %.1f ms; statuses %v\n",
			res.Confirmed, res.ElapsedS, res.ConfirmedPS, res.DBConfirmed, res.P50MS, res.P99MS, res.Status)
		for _, e := range res.ErrorSample {
			fmt.Fprintln(stderr, "   sustained error:", e)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return writeJSON(out, bf)
}

func verdictWord(ok bool, why []string) string {
	if ok {
		return "met"
	}
	return "not met (" + strings.Join(why, "; ") + ")"
}

// openCheckDB opens the API's database to read bookings back.
func openCheckDB(pgURL, sqliteDir string) (*sql.DB, error) {
	if pgURL != "" {
		return sql.Open("pgx", pgURL)
	}
	return sql.Open("sqlite", "file:"+filepath.Join(sqliteDir, "solo.db")+"?mode=ro&_pragma=busy_timeout(5000)")
}

// createTrip makes a one-off trip as transport staff, a week ahead, so the
// burst always starts from a trip with every seat free.
func createTrip(ctx context.Context, c *http.Client, base, staffToken, routeID string, seats int, now time.Time) (string, error) {
	dep := now.Add(7 * 24 * time.Hour).Truncate(time.Hour)
	body, _ := json.Marshal(map[string]any{"route_id": routeID, "departs_at": dep.Format(time.RFC3339),
		"arrives_at": dep.Add(time.Hour).Format(time.RFC3339), "capacity": seats, "fare_idr": 20000})
	status, resp, err := post(ctx, c, base+"/api/v1/transport/trips", staffToken, "", body)
	if err != nil {
		return "", err
	}
	if status != http.StatusCreated {
		return "", fmt.Errorf("POST /api/v1/transport/trips -> %d: %s", status, resp)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &out); err != nil || out.ID == "" {
		return "", fmt.Errorf("trip response without id: %s", resp)
	}
	return out.ID, nil
}

func post(ctx context.Context, c *http.Client, url, token, key string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, b, err
}

// problemCode reads the code of a problem+json answer.
func problemCode(b []byte) string {
	var p struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(b, &p) != nil || p.Code == "" {
		return "?"
	}
	return p.Code
}

var bookingBody = []byte(`{"seats":1,"passenger_name":"Penumpang Uji"}`)

// runBurst sends one booking per token at the same instant (each on its
// own connection, each with its own Idempotency-Key) and waits for all.
func runBurst(ctx context.Context, c *http.Client, base, tripID string, tokens []string, seats int) *BurstResult {
	res := &BurstResult{Attempts: len(tokens), Seats: seats, TripID: tripID, Status: map[string]int64{}, Codes: map[string]int64{}}
	url := base + "/api/v1/transport/trips/" + tripID + "/bookings"
	type answer struct {
		status int
		body   []byte
		err    error
		took   time.Duration
	}
	answers := make([]answer, len(tokens))
	release := make(chan struct{})
	var ready, done sync.WaitGroup
	var start time.Time
	for i, tok := range tokens {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-release
			st, b, err := post(ctx, c, url, tok, uuid.NewString(), bookingBody)
			answers[i] = answer{st, b, err, time.Since(start)}
		}()
	}
	ready.Wait()
	start = time.Now()
	close(release)
	done.Wait()
	res.SettleMS = ms(int64(time.Since(start)))
	lat := make([]int64, 0, len(answers))
	for _, a := range answers {
		lat = append(lat, int64(a.took))
		if a.err != nil {
			res.Status["transport_error"]++
			if len(res.Errors) < 5 {
				res.Errors = append(res.Errors, a.err.Error())
			}
			continue
		}
		res.Status[statusKey(a.status)]++
		if a.status != http.StatusCreated {
			res.Codes[problemCode(a.body)]++
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.P50MS, res.P99MS = ms(Percentile(lat, 0.5)), ms(Percentile(lat, 0.99))
	return res
}

func burstFromDB(ctx context.Context, db *sql.DB, b *BurstResult) error {
	// The id is a UUID the API returned; inlining it keeps one query text
	// for both databases' placeholder styles.
	id, err := uuid.Parse(b.TripID)
	if err != nil {
		return err
	}
	q := "SELECT count(*), COALESCE(sum(seats), 0) FROM transport_bookings WHERE status = 'confirmed' AND trip_id = '" + id.String() + "'"
	if err := db.QueryRowContext(ctx, q).Scan(&b.DBConfirmed, &b.DBSeats); err != nil {
		return fmt.Errorf("count the burst's bookings: %w", err)
	}
	q = "SELECT seats_available FROM transport_trips WHERE id = '" + id.String() + "'"
	if err := db.QueryRowContext(ctx, q).Scan(&b.DBSeatsAvailable); err != nil {
		return fmt.Errorf("read the burst's trip: %w", err)
	}
	return nil
}

func countConfirmed(ctx context.Context, db *sql.DB) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM transport_bookings WHERE status = 'confirmed'").Scan(&n)
	return n, err
}

type sustained struct {
	client *http.Client
	base   string
	tokens []string
	trips  []string
	conc   int
	key    bool
}

type bookStats []*workerStats

// phase books for d over conc connections: each request a random rider on
// a random trip, one seat.
func (s *sustained) phase(ctx context.Context, d time.Duration, seed uint64) bookStats {
	ctx, cancel := context.WithTimeout(ctx, d+s.client.Timeout+5*time.Second)
	defer cancel()
	deadline := time.Now().Add(d)
	stats := make(bookStats, s.conc)
	var wg sync.WaitGroup
	for i := range stats {
		st := &workerStats{status: map[int]int64{}, lat: make([]int64, 0, 4096)}
		stats[i] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)+1))
			for ctx.Err() == nil && time.Now().Before(deadline) {
				key := ""
				if s.key {
					key = uuid.NewString()
				}
				url := s.base + "/api/v1/transport/trips/" + pick(rng, s.trips) + "/bookings"
				t0 := time.Now()
				code, body, err := post(ctx, s.client, url, pick(rng, s.tokens), key, bookingBody)
				if err != nil && ctx.Err() != nil {
					return
				}
				st.lat = append(st.lat, int64(time.Since(t0)))
				switch {
				case err != nil:
					st.fail(0, err.Error())
				case code != http.StatusCreated:
					st.status[code]++
					st.fail(-1, fmt.Sprintf("-> %d %s", code, problemCode(body)))
				default:
					st.status[code]++
					st.requests++
				}
			}
		}()
	}
	wg.Wait()
	return stats
}

func (b bookStats) result(elapsed time.Duration) *SustainedStats {
	res := &SustainedStats{Status: map[string]int64{}, ElapsedS: elapsed.Seconds()}
	var all []int64
	for _, s := range b {
		res.Requests += s.requests
		res.Confirmed += s.status[http.StatusCreated]
		for code, n := range s.status {
			res.Status[statusKey(code)] += n
		}
		all = append(all, s.lat...)
		for _, m := range s.samples {
			if len(res.ErrorSample) < 5 && !slices.Contains(res.ErrorSample, m) {
				res.ErrorSample = append(res.ErrorSample, m)
			}
		}
	}
	if res.ElapsedS > 0 {
		res.ConfirmedPS = float64(res.Confirmed) / res.ElapsedS
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	res.P50MS, res.P90MS, res.P99MS = ms(Percentile(all, 0.5)), ms(Percentile(all, 0.9)), ms(Percentile(all, 0.99))
	if len(all) > 0 {
		res.MaxMS = ms(all[len(all)-1])
	}
	return res
}
