package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/app"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// queryTimeout is the DB_QUERY_TIMEOUT of the outage tests: short, so a
// partition costs each request about a second.
const queryTimeout = time.Second

// outageAPI is the API whose database connections pass through a proxy that
// can cut or blackhole them, with its log captured.
type outageAPI struct {
	*apitest.API
	proxy *testdb.FaultProxy
	log   *apitest.LogBuffer
	seq   atomic.Int64
}

func newOutageAPI(t *testing.T) (*outageAPI, apitest.Actor) {
	t.Helper()
	if !testdb.IsPostgres() {
		t.Skip("network faults need PostgreSQL; SQLite is a file")
	}
	direct := apitest.New(t, func(c *config.Config) { c.DBQueryTimeout = queryTimeout })
	user := direct.User("Outage")
	proxy := testdb.NewFaultProxy(t, direct.DB.URL)
	api, buf := apiOver(t, direct, database.Options{URL: proxy.URL(direct.DB.URL), ConnectTimeout: time.Second})
	return &outageAPI{API: api, proxy: proxy, log: buf}, user
}

// apiOver builds a second API over the database of direct, reached through
// o, with the same configuration and its log captured.
func apiOver(t *testing.T, direct *apitest.API, o database.Options) (*apitest.API, *apitest.LogBuffer) {
	t.Helper()
	buf := &apitest.LogBuffer{}
	log := slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx := context.Background()
	o.Logger, o.MaxConns, o.BusyTimeout = log, 4, direct.App.Config.DBQueryTimeout
	if o.URL == "" {
		var file string
		if err := direct.DB.SQL.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
			t.Fatal(err)
		}
		o.DataDir = filepath.Dir(file)
	}
	db, err := database.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a, err := app.New(ctx, direct.App.Config, log, db, identity.FastPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	h, engine, err := a.Handler(&atomic.Bool{})
	if err != nil {
		t.Fatal(err)
	}
	return &apitest.API{T: t, App: a, DB: testdb.DB{DB: db}, Handler: h, Engine: engine}, buf
}

// attractions lists attractions with a fresh query string each time, so the
// response cache never answers in the database's place.
func (o *outageAPI) attractions() *apitest.Response {
	return o.Get(fmt.Sprintf("/api/v1/attractions?limit=%d", 1+o.seq.Add(1)%50), apitest.Anonymous)
}

// expectUnavailable checks that every database-backed endpoint answers 503
// problem+json with Retry-After within the deadline, and /healthz stays 200.
func (o *outageAPI) expectUnavailable(t *testing.T, user apitest.Actor) {
	t.Helper()
	limit := queryTimeout + time.Second
	for name, call := range map[string]func() *apitest.Response{
		"attractions": o.attractions,
		"culinary":    func() *apitest.Response { return o.Get("/api/v1/culinary?limit=7", apitest.Anonymous) },
		"me":          func() *apitest.Response { return o.Get("/api/v1/me", user) },
	} {
		start := time.Now()
		res := call()
		took := time.Since(start)
		t.Logf("%s: %d after %v", name, res.Code, took.Round(time.Millisecond))
		res.ExpectProblem(http.StatusServiceUnavailable, "unavailable")
		if res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", name)
		}
		if took > limit {
			t.Errorf("%s took %v, want at most %v", name, took, limit)
		}
		if bytes.Contains(res.Body, []byte("SELECT")) || bytes.Contains(res.Body, []byte("127.0.0.1")) {
			t.Errorf("%s: internals in the answer: %s", name, res.Body)
		}
	}
	start := time.Now()
	o.Get("/readyz", apitest.Anonymous).ExpectProblem(http.StatusServiceUnavailable, "unavailable")
	t.Logf("readyz: 503 after %v", time.Since(start).Round(time.Millisecond))
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("/readyz took %v to report the outage, want under 2s", took)
	}
	o.Get("/healthz", apitest.Anonymous).Expect(http.StatusOK)
}

// expectRecovered waits (briefly) until the API answers from the database
// again without a restart, then checks that it keeps doing so.
func (o *outageAPI) expectRecovered(t *testing.T, user apitest.Actor) {
	t.Helper()
	healed := time.Now()
	deadline := healed.Add(3 * time.Second)
	for o.attractions().Code != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("catalog did not recover within 3s of the database coming back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("recovered %v after the database came back", time.Since(healed).Round(time.Millisecond))
	for range 5 {
		o.attractions().Expect(http.StatusOK)
		o.Get("/api/v1/me", user).Expect(http.StatusOK)
	}
	o.Get("/readyz", apitest.Anonymous).Expect(http.StatusOK)
}

func TestDatabaseCutAnswers503AndRecovers(t *testing.T) {
	t.Parallel()
	o, user := newOutageAPI(t)
	o.attractions().Expect(http.StatusOK)
	o.Get("/api/v1/me", user).Expect(http.StatusOK)

	o.proxy.Refuse()
	o.expectUnavailable(t, user)
	for _, r := range []apitest.Req{
		{Method: http.MethodGet, Path: "/api/v1/attractions/keraton-surakarta"},
		{Method: http.MethodGet, Path: "/api/v1/events?limit=9"},
		{Method: http.MethodGet, Path: "/api/v1/search?q=keraton"},
		{Method: http.MethodGet, Path: "/api/v1/search/suggest?q=ker"},
		{Method: http.MethodGet, Path: "/api/v1/me/favorites", As: user},
		{Method: http.MethodGet, Path: "/api/v1/me/itineraries", As: user},
		{Method: http.MethodPost, Path: "/api/v1/me/itineraries", As: user, Body: map[string]any{"name": "Solo"}},
		{Method: http.MethodPost, Path: "/api/v1/auth/login", Body: map[string]any{"email": user.Email, "password": apitest.Password}},
		{Method: http.MethodPost, Path: "/api/v1/auth/register", Body: map[string]any{
			"email": "new-during-outage@example.org", "password": apitest.Password, "name": "Baru"}},
	} {
		res := o.Do(r)
		if res.Code != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s during the outage: %d (Retry-After %q), want 503 with Retry-After; %s",
				r.Method, r.Path, res.Code, res.Header.Get("Retry-After"), res.Body)
		}
	}
	if strings.Contains(o.log.String(), "level=ERROR msg=\"request failed\"") {
		t.Errorf("an outage was logged as an internal failure:\n%s", o.log.String())
	}

	o.proxy.Heal()
	o.expectRecovered(t, user)
}

func TestDatabasePartitionAnswers503WithinDeadlineAndRecovers(t *testing.T) {
	t.Parallel()
	o, user := newOutageAPI(t)
	o.attractions().Expect(http.StatusOK)
	o.Get("/api/v1/me", user).Expect(http.StatusOK)

	o.proxy.Blackhole()
	// Without a deadline requests would hang until the partition ends; end
	// it eventually so such a failure reports instead of timing out.
	watchdog := time.AfterFunc(10*time.Second, o.proxy.Heal)
	defer watchdog.Stop()
	o.expectUnavailable(t, user)

	o.proxy.Heal()
	o.expectRecovered(t, user)
}

// A client that hangs up is not a server fault: no error is logged for it.
func TestClientDisconnectIsNotLoggedAsError(t *testing.T) {
	t.Parallel()
	o, _ := newOutageAPI(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/attractions?limit=3", nil).WithContext(ctx)
	o.Handler.ServeHTTP(httptest.NewRecorder(), req)
	if strings.Contains(o.log.String(), "level=ERROR") {
		t.Fatalf("client disconnect logged as an error:\n%s", o.log.String())
	}
}

// A write stuck behind a lock answers 503 at the request's deadline on both
// databases, and on PostgreSQL the server stops the statement too
// (statement_timeout), instead of holding a backend until the lock goes.
func TestWriteStuckBehindLockAnswers503AtDeadline(t *testing.T) {
	t.Parallel()
	direct := apitest.New(t, func(c *config.Config) { c.DBQueryTimeout = queryTimeout })
	user := direct.User("Blocked")
	api, _ := apiOver(t, direct, database.Options{URL: direct.DB.URL})
	ctx := context.Background()
	holder, err := direct.DB.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	var holderPID int
	if testdb.IsPostgres() {
		if err := holder.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&holderPID); err != nil {
			t.Fatal(err)
		}
		if _, err := holder.ExecContext(ctx, "BEGIN; LOCK TABLE itineraries IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
	} else if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer holder.ExecContext(ctx, "ROLLBACK")

	start := time.Now()
	api.Send(http.MethodPost, "/api/v1/me/itineraries", map[string]any{"name": "Solo weekend"}, user).
		ExpectProblem(http.StatusServiceUnavailable, "unavailable")
	if took := time.Since(start); took > queryTimeout+time.Second {
		t.Fatalf("answered after %v, want within %v", took, queryTimeout)
	}
	if !testdb.IsPostgres() {
		return
	}
	deadline := time.Now().Add(time.Second)
	for {
		var waiting int
		if err := api.DB.Raw("SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", holderPID).
			Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if waiting == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d statements still wait for the lock after their request gave up", waiting)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Every request carries the database deadline in its context; an upload
// gets extra time for sending its body over a slow link.
func TestRequestsCarryTheQueryDeadline(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, func(c *config.Config) { c.DBQueryTimeout = queryTimeout })
	report := func(c *gin.Context) {
		d, ok := c.Request.Context().Deadline()
		if !ok {
			c.String(http.StatusOK, "none")
			return
		}
		c.String(http.StatusOK, time.Until(d).Round(100*time.Millisecond).String())
	}
	api.Engine.GET("/api/v1/test-deadline", report)
	api.Engine.POST("/api/v1/test-deadline", report)

	if got := string(api.Get("/api/v1/test-deadline", apitest.Anonymous).Expect(http.StatusOK).Body); got != "1s" {
		t.Errorf("GET deadline in %s, want 1s", got)
	}
	body := bytes.Repeat([]byte("x"), 320<<10) // 10 s at 32 KiB/s
	res := api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/test-deadline", RawBody: body,
		ContentType: "multipart/form-data; boundary=x"}).Expect(http.StatusOK)
	if got := string(res.Body); got != "11s" {
		t.Errorf("upload deadline in %s, want 11s", got)
	}
}
