package database_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// These tests run against a real streaming standby of TEST_DATABASE_URL's
// server (deployments/pg-standby/standby.sh start), named by
// TEST_REPLICA_DATABASE_URL with the same database. They pause and resume
// its replay, so they do not run in parallel.
const envReplicaURL = "TEST_REPLICA_DATABASE_URL"

func standbyURL(t *testing.T) string {
	t.Helper()
	raw := os.Getenv(envReplicaURL)
	if raw == "" || !testdb.IsPostgres() {
		msg := fmt.Sprintf("read replica tests need %s (a standby of %s; deployments/pg-standby/standby.sh start)", envReplicaURL, testdb.EnvURL)
		if os.Getenv("CI") == "true" && os.Getenv("CI_REPLICA") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return raw
}

// replicaAPI is a test server whose public reads go to the standby at
// standby (in the test's schema), skipped beyond maxLag.
func replicaAPI(t *testing.T, standby string, maxLag time.Duration) *apitest.API {
	t.Helper()
	return apitest.New(t, func(c *config.Config) {
		c.DatabaseReplicaURLs = []string{standby}
		c.DatabaseReplicaMaxLag = maxLag
	})
}

// standbyDB opens the standby directly (in the test's schema), for pausing
// its replay and looking at what it has.
func standbyDB(t *testing.T, raw string, api *apitest.API) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), database.Options{URL: withSchemaOf(t, raw, api.DB.URL), MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec("SELECT pg_wal_replay_resume()")
		db.Close()
	})
	return db
}

func withSchemaOf(t *testing.T, raw, primary string) string {
	t.Helper()
	i := strings.Index(primary, "search_path=")
	if i < 0 {
		t.Fatalf("test database URL has no search_path")
	}
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
	}
	path := primary[i:]
	if j := strings.Index(path, "&"); j >= 0 {
		path = path[:j]
	}
	return raw + sep + path
}

// caughtUp waits until the standby has replayed everything the primary had
// written when it was called.
func caughtUp(t *testing.T, api *apitest.API, standby *database.DB) {
	t.Helper()
	var target string
	if err := api.DB.Raw("SELECT pg_current_wal_lsn()::text").Scan(&target).Error; err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var done bool
		if err := standby.Raw("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn", target).Scan(&done).Error; err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("standby has not replayed up to %s in 10 s", target)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func publish(t *testing.T, api *apitest.API, staff apitest.Actor, name string) string {
	t.Helper()
	var l struct{ ID string }
	api.Send(http.MethodPost, "/api/v1/attractions", map[string]any{
		"name":        map[string]any{"id": name, "en": name},
		"description": map[string]any{"id": "Deskripsi " + name, "en": "About " + name},
		"location":    map[string]any{"lat": -7.5755, "lng": 110.8243},
		"category":    "museum", "status": "published",
	}, staff).Expect(http.StatusCreated).JSON(&l)
	return l.ID
}

// listed is the set of ids of the public attractions list as actor sees
// it; limit varies the request so the response cache never answers it.
func listed(t *testing.T, api *apitest.API, as apitest.Actor, limit int) map[string]bool {
	t.Helper()
	var p struct{ Data []struct{ ID string } }
	api.Get("/api/v1/attractions?limit="+strconv.Itoa(limit), as).Expect(http.StatusOK).JSON(&p)
	out := map[string]bool{}
	for _, l := range p.Data {
		out[l.ID] = true
	}
	return out
}

// reads is the db_public_reads_total of target in the server's /metrics.
func reads(t *testing.T, api *apitest.API, target string) float64 {
	t.Helper()
	res := api.Get("/metrics", apitest.Anonymous).Expect(http.StatusOK)
	want := `db_public_reads_total{target="` + target + `"} `
	sc := bufio.NewScanner(bytes.NewReader(res.Body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), want); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("/metrics has no %s", want)
	return 0
}

func standbyName(t *testing.T, api *apitest.API) string {
	t.Helper()
	h := api.DB.ReplicaHealth()
	if len(h) != 1 {
		t.Fatalf("replica health = %v, want one standby", h)
	}
	for name := range h {
		return name
	}
	return ""
}

// waitHealth waits until the standby's health is want and returns how long
// that took.
func waitHealth(t *testing.T, api *apitest.API, want bool, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		for _, up := range api.DB.ReplicaHealth() {
			if up == want {
				return time.Since(start)
			}
		}
		if time.Since(start) > within {
			t.Fatalf("standby health did not become %v within %v", want, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Public anonymous reads are answered by the standby; writes, signed-in
// reads and staff views by the primary, even while the standby is behind.
func TestReadReplicaRouting(t *testing.T) {
	raw := standbyURL(t)
	api := replicaAPI(t, raw, time.Hour) // never skipped for lag: what it shows is what it replayed
	standby := standbyDB(t, raw, api)
	name := standbyName(t, api)
	waitHealth(t, api, true, 5*time.Second)

	staff := api.Staff(identity.DeptTourism)
	user := api.User("reader")
	old := publish(t, api, staff, "Museum Lama")
	caughtUp(t, api, standby)
	if !listed(t, api, apitest.Anonymous, 20)[old] {
		t.Fatal("the standby, caught up, does not list the published attraction")
	}

	if err := standby.Exec("SELECT pg_wal_replay_pause()").Error; err != nil {
		t.Fatal(err)
	}
	before := reads(t, api, name)
	fresh := publish(t, api, staff, "Museum Baru") // a write: the standby would refuse it (read-only)
	api.Send(http.MethodPatch, "/api/v1/me", map[string]any{"name": "Nama Baru"}, user).Expect(http.StatusOK)

	var onPrimary, onStandby int64
	api.DB.Raw("SELECT count(*) FROM listings WHERE id = ?", fresh).Scan(&onPrimary)
	standby.Raw("SELECT count(*) FROM listings WHERE id = ?", fresh).Scan(&onStandby)
	if onPrimary != 1 || onStandby != 0 {
		t.Fatalf("new listing: %d on the primary, %d on the paused standby; want 1 and 0", onPrimary, onStandby)
	}

	anon := listed(t, api, apitest.Anonymous, 21)
	if !anon[old] || anon[fresh] {
		t.Fatalf("anonymous list = %v: want the old listing and not the new one (the standby is paused)", anon)
	}
	api.Get("/api/v1/attractions/"+fresh, apitest.Anonymous).ExpectProblem(http.StatusNotFound, "not_found")
	if after := reads(t, api, name); after < before+2 {
		t.Fatalf("reads on %s went from %v to %v; want the two anonymous reads counted", name, before, after)
	}

	// The caller's own writes and staff views come from the primary.
	if !listed(t, api, user, 22)[fresh] {
		t.Fatal("a signed-in reader does not see the new listing: read from the standby")
	}
	if !listed(t, api, staff, 23)[fresh] {
		t.Fatal("staff do not see their new listing: read from the standby")
	}
	api.Get("/api/v1/attractions/"+fresh, staff).Expect(http.StatusOK)
	var me struct{ Name string }
	api.Get("/api/v1/me", user).Expect(http.StatusOK).JSON(&me)
	if me.Name != "Nama Baru" {
		t.Fatalf("GET /me after PATCH = %q: read from the standby", me.Name)
	}

	if err := standby.Exec("SELECT pg_wal_replay_resume()").Error; err != nil {
		t.Fatal(err)
	}
	caughtUp(t, api, standby)
	if !listed(t, api, apitest.Anonymous, 24)[fresh] {
		t.Fatal("the standby, resumed, does not list the new listing")
	}

	// The other public reads: transport, permit types, the holiday calendar.
	for _, path := range []string{"/api/v1/transport/modes", "/api/v1/transport/stops", "/api/v1/transport/routes",
		"/api/v1/transport/trips", "/api/v1/transport/schedules", "/api/v1/permits/types", "/api/v1/calendar/holidays?year=2026"} {
		before := reads(t, api, name)
		api.Get(path, apitest.Anonymous).Expect(http.StatusOK)
		if after := reads(t, api, name); after <= before {
			t.Errorf("anonymous GET %s was not read from the standby", path)
		}
		before = reads(t, api, name)
		api.Get(path, user).Expect(http.StatusOK)
		if after := reads(t, api, name); after != before {
			t.Errorf("signed-in GET %s was read from the standby", path)
		}
	}
	t.Logf("public reads on %s: %v; on the primary: %v", name, reads(t, api, name), reads(t, api, database.PrimaryTarget))
}

// A standby further behind than the bound is skipped: public reads see the
// primary's data, and the standby is used again once it catches up.
func TestReadReplicaLaggingSkipped(t *testing.T) {
	raw := standbyURL(t)
	const bound = 500 * time.Millisecond
	api := replicaAPI(t, raw, bound)
	standby := standbyDB(t, raw, api)
	name := standbyName(t, api)
	waitHealth(t, api, true, 5*time.Second)
	staff := api.Staff(identity.DeptTourism)
	caughtUp(t, api, standby)

	if err := standby.Exec("SELECT pg_wal_replay_pause()").Error; err != nil {
		t.Fatal(err)
	}
	fresh := publish(t, api, staff, "Museum Tertinggal")
	took := waitHealth(t, api, false, bound+3*time.Second)
	t.Logf("a paused standby was skipped %v after a write (bound %v, checked every second)", took.Round(time.Millisecond), bound)

	primaryBefore := reads(t, api, database.PrimaryTarget)
	if !listed(t, api, apitest.Anonymous, 30)[fresh] {
		t.Fatal("with the standby lagging, the anonymous list does not show the new listing")
	}
	if after := reads(t, api, database.PrimaryTarget); after <= primaryBefore {
		t.Fatalf("public reads on the primary stayed at %v while the standby lagged", after)
	}

	if err := standby.Exec("SELECT pg_wal_replay_resume()").Error; err != nil {
		t.Fatal(err)
	}
	back := waitHealth(t, api, true, 5*time.Second)
	t.Logf("the standby answered again %v after replay resumed", back.Round(time.Millisecond))
	before := reads(t, api, name)
	if !listed(t, api, apitest.Anonymous, 31)[fresh] {
		t.Fatal("the caught-up standby does not list the new listing")
	}
	if after := reads(t, api, name); after <= before {
		t.Fatalf("reads on %s stayed at %v after it caught up", name, after)
	}
}

// With the standby unreachable, public reads keep answering from the
// primary; the standby is skipped within a check and used again once back.
func TestReadReplicaDown(t *testing.T) {
	raw := standbyURL(t)
	proxy := testdb.NewFaultProxy(t, raw)
	api := replicaAPI(t, proxy.URL(raw), 5*time.Second)
	name := standbyName(t, api)
	waitHealth(t, api, true, 5*time.Second)
	staff := api.Staff(identity.DeptTourism)
	id := publish(t, api, staff, "Museum Tetap Buka")
	standby := standbyDB(t, raw, api)
	caughtUp(t, api, standby)
	before := reads(t, api, name)
	if !listed(t, api, apitest.Anonymous, 40)[id] {
		t.Fatal("the standby does not list the listing")
	}
	if reads(t, api, name) <= before {
		t.Fatal("the anonymous list was not read from the standby")
	}

	proxy.Refuse()
	cut := time.Now()
	// Reads right after the cut: the first may find the standby gone
	// before the checker does, and is answered by the primary.
	for i := range 5 {
		if !listed(t, api, apitest.Anonymous, 41+i)[id] {
			t.Fatalf("read %d after the cut does not list the listing", i)
		}
	}
	waitHealth(t, api, false, 3*time.Second)
	t.Logf("an unreachable standby was skipped %v after the cut", time.Since(cut).Round(time.Millisecond))
	api.Get("/api/v1/attractions/"+id, apitest.Anonymous).Expect(http.StatusOK)
	api.Get("/api/v1/search?q=museum", apitest.Anonymous).Expect(http.StatusOK)

	proxy.Heal()
	back := waitHealth(t, api, true, 5*time.Second)
	t.Logf("the standby answered again %v after the network healed", back.Round(time.Millisecond))
	before = reads(t, api, name)
	if !listed(t, api, apitest.Anonymous, 50)[id] {
		t.Fatal("the standby, back, does not list the listing")
	}
	if reads(t, api, name) <= before {
		t.Fatal("reads did not return to the standby")
	}
}
