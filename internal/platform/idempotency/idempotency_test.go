package idempotency_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/internal/platform/web"
)

// effects is a route behind the middleware that counts how often it ran,
// answers 201 with the count, and fails with 503 when asked to.
type effects struct {
	ran  atomic.Int64
	gate chan struct{} // when not nil, the handler waits for it
}

func mount(t *testing.T, api *apitest.API, user uuid.UUID, e *effects) {
	t.Helper()
	api.Engine.POST("/test/effects", func(c *gin.Context) {
		web.SetActor(c, user, "t@example.org")
	}, api.App.Idempotency.Middleware(replayEffect), func(c *gin.Context) {
		if e.gate != nil {
			<-e.gate
		}
		body, _ := io.ReadAll(c.Request.Body)
		if string(body) == `{"fail":true}` {
			web.RenderError(c, errUnavailable)
			return
		}
		n := e.ran.Add(1)
		if string(body) == `{"bind":true}` {
			// The effect commits with its binding, then the process "dies"
			// before answering: the 5xx leaves the binding for the retry.
			err := api.App.DB.InTx(c.Request.Context(), func(tx *gorm.DB) error {
				return idempotency.BindEffect(c.Request.Context(), tx, fmt.Sprint(n))
			})
			if err != nil {
				t.Error(err)
			}
			web.RenderError(c, errUnavailable)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"effect": n, "body": string(body)})
	})
}

var errUnavailable = &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", Detail: "down"}

// replayEffect answers a retry of a request whose effect committed.
func replayEffect(c *gin.Context, resource string) error {
	c.JSON(http.StatusCreated, gin.H{"effect": resource, "replayed": true})
	return nil
}

func post(api *apitest.API, key, body string) *apitest.Response {
	h := map[string]string{}
	if key != "" {
		h[idempotency.Header] = key
	}
	return api.Do(apitest.Req{Method: http.MethodPost, Path: "/test/effects", RawBody: []byte(body), Header: h})
}

func TestSameKeyReplaysDifferentBodyConflicts(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{}
	mount(t, api, uuid.Must(uuid.NewV7()), e)

	first := post(api, "k1", `{"seats":2}`).Expect(http.StatusCreated)
	again := post(api, "k1", `{"seats":2}`).Expect(http.StatusCreated)
	if string(again.Body) != string(first.Body) || again.Header.Get(idempotency.ReplayedHeader) != "true" {
		t.Fatalf("replay %s (replayed=%q), want %s", again.Body, again.Header.Get(idempotency.ReplayedHeader), first.Body)
	}
	if e.ran.Load() != 1 {
		t.Fatalf("effect ran %d times, want 1", e.ran.Load())
	}
	post(api, "k1", `{"seats":3}`).ExpectProblem(http.StatusUnprocessableEntity, "idempotency_conflict")
	post(api, "k2", `{"seats":2}`).Expect(http.StatusCreated)
	post(api, "", `{"seats":2}`).Expect(http.StatusCreated)
	post(api, "", `{"seats":2}`).Expect(http.StatusCreated)
	if e.ran.Load() != 4 {
		t.Fatalf("effect ran %d times, want 4 (a new key and two requests without one)", e.ran.Load())
	}
	post(api, "bad key", `{}`).ExpectProblem(http.StatusBadRequest, "bad_request")
}

func TestSameObjectReserialisedIsTheSameBody(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{}
	mount(t, api, uuid.Must(uuid.NewV7()), e)

	first := post(api, "k1", `{"seats":2,"passenger_name":"Sari"}`).Expect(http.StatusCreated)
	again := post(api, "k1", "{\n  \"passenger_name\": \"Sari\",\n  \"seats\": 2.0\n}").Expect(http.StatusCreated)
	if string(again.Body) != string(first.Body) || again.Header.Get(idempotency.ReplayedHeader) != "true" {
		t.Fatalf("reordered keys: %s (replayed=%q), want the replay of %s", again.Body, again.Header.Get(idempotency.ReplayedHeader), first.Body)
	}
	if e.ran.Load() != 1 {
		t.Fatalf("effect ran %d times, want 1", e.ran.Load())
	}
	post(api, "k1", `{"seats":2,"passenger_name":"Sari "}`).ExpectProblem(http.StatusUnprocessableEntity, "idempotency_conflict")
}

func TestKeysAreScopedToTheUser(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	a, b := &effects{}, &effects{}
	mount(t, api, uuid.Must(uuid.NewV7()), a)
	api.Engine.POST("/test/other", func(c *gin.Context) {
		web.SetActor(c, uuid.Must(uuid.NewV7()), "o@example.org")
	}, api.App.Idempotency.Middleware(replayEffect), func(c *gin.Context) {
		b.ran.Add(1)
		c.Status(http.StatusNoContent)
	})
	post(api, "shared", `{}`).Expect(http.StatusCreated)
	api.Do(apitest.Req{Method: http.MethodPost, Path: "/test/other", RawBody: []byte(`{}`),
		Header: map[string]string{idempotency.Header: "shared"}}).Expect(http.StatusNoContent)
	if a.ran.Load() != 1 || b.ran.Load() != 1 {
		t.Fatalf("ran %d and %d, want 1 and 1", a.ran.Load(), b.ran.Load())
	}
}

// A duplicate that arrives while the first request runs is told to retry,
// and never runs the effect a second time.
func TestDuplicateInFlightIs409WithRetryAfter(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{gate: make(chan struct{})}
	mount(t, api, uuid.Must(uuid.NewV7()), e)

	var wg sync.WaitGroup
	wg.Add(1)
	var first *apitest.Response
	go func() { defer wg.Done(); first = post(api, "slow", `{}`) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int64
		if err := api.DB.Raw("SELECT COUNT(*) FROM idempotency_keys").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first request never claimed its key")
		}
		time.Sleep(5 * time.Millisecond)
	}
	dup := post(api, "slow", `{}`)
	dup.ExpectProblem(http.StatusConflict, "idempotency_in_progress")
	if dup.Header.Get("Retry-After") == "" {
		t.Error("409 without Retry-After")
	}
	close(e.gate)
	wg.Wait()
	first.Expect(http.StatusCreated)
	post(api, "slow", `{}`).Expect(http.StatusCreated)
	if e.ran.Load() != 1 {
		t.Fatalf("effect ran %d times, want 1", e.ran.Load())
	}
}

// Ten concurrent requests with one key: one effect, and every answer is
// either that effect's response or 409 in progress.
func TestConcurrentDuplicatesRunOnce(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{}
	mount(t, api, uuid.Must(uuid.NewV7()), e)
	var wg sync.WaitGroup
	codes := make([]int, 10)
	for i := range codes {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = post(api, "same", `{"x":1}`).Code }()
	}
	wg.Wait()
	for _, c := range codes {
		if c != http.StatusCreated && c != http.StatusConflict {
			t.Fatalf("answers %v, want only 201 and 409", codes)
		}
	}
	if e.ran.Load() != 1 {
		t.Fatalf("effect ran %d times, want 1; answers %v", e.ran.Load(), codes)
	}
}

// A failure on our side releases the key, so the client's retry runs.
func TestServerErrorReleasesTheKey(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{}
	mount(t, api, uuid.Must(uuid.NewV7()), e)
	if code := post(api, "retry", `{"fail":true}`).Code; code < 500 {
		t.Fatalf("status %d, want a 5xx", code)
	}
	var n int64
	api.DB.Raw("SELECT COUNT(*) FROM idempotency_keys").Scan(&n)
	if n != 0 {
		t.Fatalf("%d keys kept after a 5xx, want 0", n)
	}
}

// Keys expire after 24 hours: an expired key is used afresh, and Prune
// deletes expired keys.
func TestExpiredKeysAreReusedAndPruned(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{}
	mount(t, api, uuid.Must(uuid.NewV7()), e)
	post(api, "old", `{}`).Expect(http.StatusCreated)
	post(api, "older", `{}`).Expect(http.StatusCreated)
	past := time.Now().UTC().Add(-time.Minute)
	if err := api.DB.Exec("UPDATE idempotency_keys SET expires_at = ?", past).Error; err != nil {
		t.Fatal(err)
	}
	post(api, "old", `{"other":true}`).Expect(http.StatusCreated) // not a conflict: the key expired
	if e.ran.Load() != 3 {
		t.Fatalf("effect ran %d times, want 3", e.ran.Load())
	}
	n, err := api.App.Idempotency.Prune(t.Context(), time.Now().UTC(), 100)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1 (older)", n, err)
	}
	var expires time.Time
	api.DB.Raw("SELECT expires_at FROM idempotency_keys WHERE key = 'old'").Scan(&expires)
	if d := time.Until(expires); d < 23*time.Hour || d > 25*time.Hour {
		t.Fatalf("key expires in %v, want 24h", d)
	}
}

// A claim whose request never finished (its process died) is taken over
// after a minute, so the client's retry is not refused forever.
func TestAbandonedClaimIsTakenOver(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{}
	user := uuid.Must(uuid.NewV7())
	mount(t, api, user, e)
	post(api, "crashed", `{}`).Expect(http.StatusCreated)
	// Make it look like a request that claimed the key and died.
	if err := api.DB.Exec("UPDATE idempotency_keys SET status_code = 0, body = NULL, claimed_at = ?",
		time.Now().UTC().Add(-30*time.Second)).Error; err != nil {
		t.Fatal(err)
	}
	post(api, "crashed", `{}`).ExpectProblem(http.StatusConflict, "idempotency_in_progress")
	if err := api.DB.Exec("UPDATE idempotency_keys SET claimed_at = ?", time.Now().UTC().Add(-2*time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	post(api, "crashed", `{}`).Expect(http.StatusCreated)
	post(api, "crashed", `{}`).Expect(http.StatusCreated)
	if e.ran.Load() != 2 {
		t.Fatalf("effect ran %d times, want 2 (the first and the take-over)", e.ran.Load())
	}
}

// A request whose effect committed but whose answer was lost (a 5xx after
// the commit, or a crash) is never run again: its retry is answered from
// what it made.
func TestCommittedEffectIsReplayedNotRepeated(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	e := &effects{}
	mount(t, api, uuid.Must(uuid.NewV7()), e)
	if code := post(api, "lost", `{"bind":true}`).Code; code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", code)
	}
	var got struct {
		Effect   string `json:"effect"`
		Replayed bool   `json:"replayed"`
	}
	post(api, "lost", `{"bind":true}`).Expect(http.StatusCreated).JSON(&got)
	if got.Effect != "1" || !got.Replayed {
		t.Fatalf("retry answered %+v, want the replay of effect 1", got)
	}
	post(api, "lost", `{"bind":true}`).Expect(http.StatusCreated) // now stored: plain replay
	if e.ran.Load() != 1 {
		t.Fatalf("effect ran %d times, want 1", e.ran.Load())
	}
}
