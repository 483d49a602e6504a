package replicatest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/testdb"
)

const (
	password = "correct-horse-battery"
	// riders book the seats; each sends attempts/riders of the burst.
	riders = 50
	// attempts on a trip of capacity seats, one seat each, half to each
	// replica.
	attempts, capacity = 1000, 50
	// coherenceBound is how soon a catalog write on one replica must show
	// in another replica's cached answers (issue 15; internal/catalog's
	// in-process test uses the same bound).
	coherenceBound = 100 * time.Millisecond
	// coherenceRounds publishes this many listings, for a spread of delays.
	coherenceRounds = 5
	// drainBound is how long a replica may take to exit after SIGTERM: the
	// server's 25 s drain plus a margin.
	drainBound = 30 * time.Second
)

// Two API processes over one PostgreSQL database and one Redis: the
// promises of a horizontally scaled deployment, over real HTTP.
func TestTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the API binary twice (40–75 s on a busy 2-core machine)")
	}
	if raceDetector {
		t.Skip("the API processes are built without the race detector; the plain PostgreSQL pass runs this test")
	}
	if !testdb.IsPostgres() {
		t.Skip("two API processes share one database server: set TEST_DATABASE_URL to a PostgreSQL database (SQLite is one node)")
	}
	// The tests' Redis convention: skipped without Redis, failed in CI.
	var shared config.Config
	apitest.Redis(t)(&shared)

	var times timings
	defer times.report(t)

	var (
		bin string
		db  testdb.DB
	)
	times.measure("build ./cmd/api (while a fresh schema is made and migrated)", func() {
		built, dir := make(chan error, 1), t.TempDir()
		go func() {
			var err error
			bin, err = buildAPI(dir)
			built <- err
		}()
		db = testdb.New(t) // dropped when the test ends
		if err := <-built; err != nil {
			t.Fatal(err)
		}
	})

	var a, b *replica
	c := newClient()
	defer c.close()
	adminEmail := "admin@replicas.example.org"
	times.measure("start both replicas (until /readyz answers ready, Redis up)", func() {
		env := map[string]string{
			"APP_ENV":                   config.Development,
			"HTTP_ADDR":                 "127.0.0.1:0", // the kernel picks a free port; the process prints it
			"DATABASE_URL":              db.URL,
			"REDIS_URL":                 shared.RedisURL,
			"REDIS_KEY_PREFIX":          shared.RedisKeyPrefix, // this run's own keys and channel
			"SEED_DEMO":                 "false",
			"JWT_SECRET":                randomHex(32), // secrets both replicas share, as a Secret would give them
			"TICKET_SIGNING_KEY":        randomHex(32),
			"NIK_ENCRYPTION_KEY":        randomHex(32),
			"PAYMENT_WEBHOOK_SECRET":    randomHex(32),
			"RATE_LIMIT_READS_PER_MIN":  "0", // every request comes from 127.0.0.1; the lock-out is tested, not these
			"RATE_LIMIT_WRITES_PER_MIN": "0",
			"DB_QUERY_TIMEOUT":          "30s", // a busy CI machine must not turn the burst's waits into 503s
			"LOG_LEVEL":                 "warn",
		}
		envA := map[string]string{"DATA_DIR": t.TempDir(), "ADMIN_EMAIL": adminEmail, "ADMIN_PASSWORD": password}
		envB := map[string]string{"DATA_DIR": t.TempDir()}
		for k, v := range env {
			envA[k], envB[k] = v, v
		}
		a = start(t, bin, "A", envA)
		b = start(t, bin, "B", envB)
		a.ready(t, c, time.Minute)
		b.ready(t, c, time.Minute)
	})
	both := [2]*replica{a, b}

	var admin session
	c.login(a, adminEmail, password).expect(t, http.StatusOK, &admin)

	var world *transport
	var crowd []rider
	times.measure(fmt.Sprintf("set-up: a trip of %d seats, %d riders registered on one replica and logged in on the other", capacity, riders), func() {
		world = newTransport(t, c, a, admin.AccessToken)
		crowd = register(t, c, both, riders)
	})

	t.Run("lock-out", func(t *testing.T) {
		times.measure("lock-out earned on A and B, holds on both", func() { lockOut(t, c, both, crowd[0]) })
	})
	t.Run("catalog coherence", func(t *testing.T) {
		times.measure("listing published on A, visible on B", func() { coherence(t, c, both, db, admin.AccessToken, &times) })
	})
	t.Run("bookings", func(t *testing.T) {
		times.measure(fmt.Sprintf("%d bookings over A and B on %d seats, replays, database check", attempts, capacity), func() {
			bookings(t, c, both, db, world, crowd, &times)
		})
	})
	t.Run("refresh token", func(t *testing.T) {
		times.measure("refresh token spent on A, refused on B", func() { refreshTokens(t, c, both, crowd[1]) })
	})

	times.measure("SIGTERM both, exit 0", func() {
		for _, r := range both {
			r.terminate(t)
		}
		for _, r := range both {
			r.exited(t, drainBound)
		}
	})
}

// rider is an account of the booking crowd.
type rider struct {
	email string
	id    string
	token string
	// refresh is the refresh token of its login.
	refresh string
}

// register makes n riders, registered on one replica and logged in on the
// other (so each already crossed replicas once), four at a time: a replica
// hashes 2 × GOMAXPROCS passwords at once and answers 503 to one that waits
// too long, and logins in flight from one address hold places of its
// failure budget until they succeed.
func register(t *testing.T, c *client, both [2]*replica, n int) []rider {
	t.Helper()
	out := make([]rider, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = registerOne(c, both[i%2], both[(i+1)%2], fmt.Sprintf("rider-%03d@replicas.example.org", i))
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func registerOne(c *client, on, loginOn *replica, email string) (rider, error) {
	res := c.send(on, http.MethodPost, "/api/v1/auth/register", map[string]any{"email": email, "password": password, "name": "Rider"}, "", nil)
	if res.err != nil || res.code != http.StatusCreated {
		return rider{}, fmt.Errorf("register %s on %s: %d %v %s", email, on.name, res.code, res.err, res.body)
	}
	res = c.login(loginOn, email, password)
	var s session
	if res.err != nil || res.code != http.StatusOK || json.Unmarshal(res.body, &s) != nil {
		return rider{}, fmt.Errorf("log in %s on %s: %d %v %s", email, loginOn.name, res.code, res.err, res.body)
	}
	return rider{email: email, id: s.User.ID, token: s.AccessToken, refresh: s.RefreshToken}, nil
}

// A lock-out earned with failures spread over both replicas holds on both:
// the failures are counted once, in Redis, not once per process.
func lockOut(t *testing.T, c *client, both [2]*replica, bystander rider) {
	victim := "victim@replicas.example.org"
	c.do(t, both[1], http.MethodPost, "/api/v1/auth/register", map[string]any{"email": victim, "password": password, "name": "Victim"}, "", nil).
		expect(t, http.StatusCreated, nil)
	const failures = 10 // the account's budget in 15 minutes
	for i := range failures {
		r := both[i%2]
		c.login(r, victim, "wrong-password").expectProblem(t, http.StatusUnauthorized, "unauthorized")
	}
	for _, r := range both {
		res := c.login(r, victim, password).expectProblem(t, http.StatusTooManyRequests, "rate_limited")
		if s, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || s < 1 || s > 15*60 {
			t.Fatalf("%s: Retry-After = %q", r.name, res.header.Get("Retry-After"))
		}
	}
	// It is the account that is locked, not the address all requests came from.
	c.login(both[1], bystander.email, password).expect(t, http.StatusOK, nil)
}

// A listing published on A is served by B, whose anonymous list was
// cached, at once: B's cache is emptied by the invalidation A publishes,
// not by the cache's 5 s lifetime.
func coherence(t *testing.T, c *client, both [2]*replica, db testdb.DB, admin string, times *timings) {
	a, b := both[0], both[1]
	create := func(name, status string) string {
		var l struct{ ID string }
		c.do(t, a, http.MethodPost, "/api/v1/attractions", map[string]any{
			"name":        map[string]string{"id": name, "en": name},
			"description": map[string]string{"id": "Deskripsi " + name, "en": "About " + name},
			"location":    map[string]float64{"lat": -7.5778, "lng": 110.8278},
			"category":    "museum",
			"status":      status,
		}, admin, nil).expect(t, http.StatusCreated, &l)
		return l.ID
	}
	listed := func(id string) bool {
		var p struct{ Data []struct{ ID string } }
		c.do(t, b, http.MethodGet, "/api/v1/attractions?limit=50", nil, "", nil).expect(t, http.StatusOK, &p)
		return slices.ContainsFunc(p.Data, func(l struct{ ID string }) bool { return l.ID == id })
	}
	create("Museum Tetap", "published")

	var delays []time.Duration
	firstRead := 0
	for round := range coherenceRounds {
		draft := create(fmt.Sprintf("Museum Gema %d", round), "draft")
		// Let the invalidations of these writes reach B before it caches.
		time.Sleep(300 * time.Millisecond)
		listed(draft)
		if listed(draft) { // asked twice: now in B's cache
			t.Fatal("a draft is listed")
		}
		// B really answers from its cache: a change made behind the API's
		// back (no invalidation) does not show there.
		setStatus(t, db, draft, "published")
		cached := !listed(draft)
		setStatus(t, db, draft, "draft")
		if !cached {
			t.Fatal("B did not answer from its cache; the round would prove nothing")
		}

		c.do(t, a, http.MethodPatch, "/api/v1/attractions/"+draft, map[string]any{"status": "published"}, admin, nil).
			expect(t, http.StatusOK, nil)
		published := time.Now()
		for reads := 1; ; reads++ {
			if listed(draft) {
				delays = append(delays, time.Since(published))
				if reads == 1 {
					firstRead++
				}
				break
			}
			if time.Since(published) > coherenceBound {
				t.Fatalf("round %d: B still serves the old list %v after the write on A", round, time.Since(published))
			}
			time.Sleep(time.Millisecond)
		}
	}
	slices.Sort(delays)
	times.note("coherence: %d listings published on A; B served each after %v (sorted; bound %v); on B's first read after A's answer: %d of %d",
		coherenceRounds, delays, coherenceBound, firstRead, coherenceRounds)
}

// 1 000 attempts at once, alternating A and B, from many riders, on a trip
// of 50 seats: exactly 50 confirmed, every other attempt 409
// insufficient_seats, the database holds exactly the 50 answered, and each
// Idempotency-Key replayed on the other replica answers what it answered.
func bookings(t *testing.T, c *client, both [2]*replica, db testdb.DB, w *transport, crowd []rider, times *timings) {
	type attempt struct {
		rider rider
		key   string
		res   response
	}
	body := map[string]any{"seats": 1, "passenger_name": "Penumpang"}
	path := "/api/v1/transport/trips/" + w.trip + "/bookings"
	tries := make([]attempt, attempts)
	for i := range tries {
		tries[i] = attempt{rider: crowd[i%len(crowd)], key: fmt.Sprintf("burst-%04d", i)}
	}
	go1 := make(chan struct{})
	var wg sync.WaitGroup
	for i := range tries {
		wg.Go(func() {
			<-go1
			tries[i].res = c.send(both[i%2], http.MethodPost, path, body, tries[i].rider.token, map[string]string{"Idempotency-Key": tries[i].key})
		})
	}
	began := time.Now()
	close(go1)
	wg.Wait()
	settled := time.Since(began)

	type booking struct {
		ID     string `json:"id"`
		Code   string `json:"code"`
		Status string `json:"status"`
		Seats  int    `json:"seats"`
	}
	confirmed := map[string]booking{} // by id
	codes := map[string]bool{}
	owner := map[string]string{} // booking id → rider id
	perReplica := [2]int{}
	for i, at := range tries {
		switch {
		case at.res.err != nil:
			t.Fatalf("attempt %d on %s: %v", i, both[i%2].name, at.res.err)
		case at.res.code == http.StatusCreated:
			var bk booking
			at.res.expect(t, http.StatusCreated, &bk)
			if bk.Status != "confirmed" || bk.Seats != 1 || bk.ID == "" {
				t.Fatalf("attempt %d: %s", i, at.res.body)
			}
			if _, dup := confirmed[bk.ID]; dup || codes[bk.Code] {
				t.Fatalf("booking %s (%s) answered twice", bk.ID, bk.Code)
			}
			confirmed[bk.ID], codes[bk.Code], owner[bk.ID] = bk, true, at.rider.id
			perReplica[i%2]++
		case at.res.code == http.StatusConflict && at.res.problemCode() == "insufficient_seats":
		default:
			t.Fatalf("attempt %d on %s: %d %s", i, both[i%2].name, at.res.code, at.res.body)
		}
	}
	if len(confirmed) != capacity {
		t.Fatalf("%d bookings confirmed on %d seats", len(confirmed), capacity)
	}
	times.note("bookings: %d attempts settled in %v: %d confirmed (%d by A, %d by B), %d × 409 insufficient_seats",
		attempts, settled.Round(time.Millisecond), len(confirmed), perReplica[0], perReplica[1], attempts-len(confirmed))

	// The database agrees: exactly these bookings, one seat each, none left.
	checkDatabase := func() {
		t.Helper()
		rows, err := db.SQL.Query("SELECT id, code, user_id, seats, status FROM transport_bookings WHERE trip_id = $1", w.trip)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id, code, user, status string
			var seats int
			if err := rows.Scan(&id, &code, &user, &seats, &status); err != nil {
				t.Fatal(err)
			}
			n++
			if bk, ok := confirmed[id]; !ok || bk.Code != code || owner[id] != user || seats != 1 || status != "confirmed" {
				t.Fatalf("booking row %s %s of %s (%d seats, %s) is not one of the answered bookings", id, code, user, seats, status)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := db.SQL.QueryRow("SELECT seats_available FROM transport_trips WHERE id = $1", w.trip).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if n != capacity || left != 0 {
			t.Fatalf("the database holds %d bookings and %d free seats, want %d and 0", n, left, capacity)
		}
	}
	checkDatabase()
	for _, r := range both {
		var trip struct {
			SeatsAvailable int `json:"seats_available"`
		}
		c.do(t, r, http.MethodGet, "/api/v1/transport/trips/"+w.trip, nil, "", nil).expect(t, http.StatusOK, &trip)
		if trip.SeatsAvailable != 0 {
			t.Fatalf("%s shows %d seats available, want 0", r.name, trip.SeatsAvailable)
		}
	}

	// Every key replayed on the other replica answers what the first one
	// answered: the same booking, or the same refusal.
	replays, refusals := 0, 0
	for i, at := range tries {
		refused := at.res.code != http.StatusCreated
		if refused && refusals >= capacity {
			continue // a sample of the refusals is enough
		}
		other := both[(i+1)%2]
		res := c.do(t, other, http.MethodPost, path, body, at.rider.token, map[string]string{"Idempotency-Key": at.key})
		if res.code != at.res.code || string(res.body) != string(at.res.body) || res.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("key %s replayed on %s: %d %q %s, want the first answer %d %s", at.key, other.name, res.code,
				res.header.Get("Idempotent-Replayed"), res.body, at.res.code, at.res.body)
		}
		replays++
		if refused {
			refusals++
		}
	}
	checkDatabase()
	times.note("bookings: %d keys replayed on the other replica (%d bookings, %d refusals), each the first answer", replays, replays-refusals, refusals)
}

// A refresh token spent on one replica is refused on the other, and the
// reuse revokes that whole login everywhere, as on one node.
func refreshTokens(t *testing.T, c *client, both [2]*replica, someone rider) {
	a, b := both[0], both[1]
	var s0, s1, s2 session
	c.login(a, someone.email, password).expect(t, http.StatusOK, &s0)
	c.refresh(b, s0.RefreshToken).expect(t, http.StatusOK, &s1) // B honours A's token
	c.refresh(a, s1.RefreshToken).expect(t, http.StatusOK, &s2) // spent on A
	c.refresh(b, s1.RefreshToken).expectProblem(t, http.StatusUnauthorized, "unauthorized")
	// That reuse revoked the login: its newest token is refused on both.
	c.refresh(a, s2.RefreshToken).expectProblem(t, http.StatusUnauthorized, "unauthorized")
	c.refresh(b, s2.RefreshToken).expectProblem(t, http.StatusUnauthorized, "unauthorized")
	// Another login of the same account is untouched.
	c.refresh(b, someone.refresh).expect(t, http.StatusOK, nil)
}

// setStatus changes a listing behind the API's back: no replica hears of it.
func setStatus(t *testing.T, db testdb.DB, id, status string) {
	t.Helper()
	if _, err := db.SQL.Exec("UPDATE listings SET status = $1 WHERE id = $2", status, id); err != nil {
		t.Fatal(err)
	}
}

// transport is the little network the bookings need, made by the admin
// through A.
type transport struct{ trip string }

func newTransport(t *testing.T, c *client, a *replica, admin string) *transport {
	t.Helper()
	post := func(path string, body map[string]any) string {
		var out struct{ ID string }
		c.do(t, a, http.MethodPost, path, body, admin, nil).expect(t, http.StatusCreated, &out)
		return out.ID
	}
	post("/api/v1/transport/modes", map[string]any{
		"code": "steam_train", "name": map[string]string{"id": "Kereta uap", "en": "Steam train"}, "bookable": true,
		"fares": []map[string]any{{"category": "adult", "label": "Dewasa / Adult", "amount_idr": 50000}},
	})
	var stops []string
	for _, s := range []struct {
		name     string
		lat, lng float64
	}{
		{"Stasiun Purwosari", -7.5613, 110.7958}, {"Stasiun Solo Kota", -7.5822, 110.8352},
	} {
		stops = append(stops, post("/api/v1/transport/stops", map[string]any{
			"name": map[string]string{"id": s.name}, "location": map[string]float64{"lat": s.lat, "lng": s.lng},
		}))
	}
	route := post("/api/v1/transport/routes", map[string]any{
		"mode": "steam_train", "name": map[string]string{"id": "Jaladara", "en": "Jaladara"}, "stop_ids": stops,
	})
	dep := time.Now().Add(4 * time.Hour).Truncate(time.Minute)
	trip := post("/api/v1/transport/trips", map[string]any{
		"route_id": route, "departs_at": dep.Format(time.RFC3339), "arrives_at": dep.Add(time.Hour).Format(time.RFC3339),
		"capacity": capacity, "fare_idr": 50000,
	})
	return &transport{trip: trip}
}

// timings keeps how long each step took, for the log and docs/capacity.md.
type timings struct {
	mu    sync.Mutex
	lines []string
}

func (ts *timings) measure(step string, f func()) {
	began := time.Now()
	defer func() {
		ts.note("%-100s %v", step, time.Since(began).Round(time.Millisecond))
	}()
	f()
}

func (ts *timings) note(format string, args ...any) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.lines = append(ts.lines, fmt.Sprintf(format, args...))
}

func (ts *timings) report(t *testing.T) {
	t.Logf("two replicas:\n%s", strings.Join(ts.lines, "\n"))
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
