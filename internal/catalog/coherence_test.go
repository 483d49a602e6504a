package catalog_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/testdb"
)

// coherenceBound is how soon a catalog write on one replica must show on
// another replica's cached responses.
const coherenceBound = 100 * time.Millisecond

// A listing published on replica A shows on replica B, whose public list
// was cached, within coherenceBound rather than the cache's 5 s TTL.
func expectCoherent(t *testing.T, a *apitest.API) {
	t.Helper()
	b := a.Replica()
	staff := tourismStaff(a)
	d := create(t, a, staff, "attractions", body("attractions", "Museum Gema", set("status", "draft")))
	create(t, a, staff, "attractions", body("attractions", "Museum Tetap"))
	// Let the invalidations of these writes reach B before it caches.
	time.Sleep(300 * time.Millisecond)

	const list = "/api/v1/attractions"
	listed := func(api *apitest.API) (ids []string) {
		var p page
		api.Get(list, apitest.Anonymous).Expect(http.StatusOK).JSON(&p)
		for _, l := range p.Data {
			ids = append(ids, l.ID)
		}
		return ids
	}
	has := func(ids []string, id string) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	listed(b)
	if has(listed(b), d.ID) { // asked twice: now in B's cache
		t.Fatal("draft listed")
	}
	// B really answers from its cache: a change made behind the API's back
	// (no invalidation) does not show there.
	if err := a.DB.Exec("UPDATE listings SET status = 'published' WHERE id = ?", d.ID).Error; err != nil {
		t.Fatal(err)
	}
	if has(listed(b), d.ID) {
		t.Fatal("B did not answer from its cache; the test would prove nothing")
	}
	if err := a.DB.Exec("UPDATE listings SET status = 'draft' WHERE id = ?", d.ID).Error; err != nil {
		t.Fatal(err)
	}

	a.Send(http.MethodPatch, "/api/v1/attractions/"+d.ID, map[string]any{"status": "published"}, staff).Expect(http.StatusOK)
	published := time.Now()
	for {
		if has(listed(b), d.ID) {
			t.Logf("published on A, served by B after %v", time.Since(published))
			return
		}
		if time.Since(published) > coherenceBound {
			t.Fatalf("B still serves the old list %v after the write on A", time.Since(published))
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCacheCoherenceThroughRedis(t *testing.T) {
	t.Parallel()
	expectCoherent(t, apitest.New(t, apitest.Redis(t)))
}

func TestCacheCoherenceThroughPostgres(t *testing.T) {
	t.Parallel()
	if !testdb.IsPostgres() {
		t.Skip("LISTEN/NOTIFY is PostgreSQL's; SQLite is one node")
	}
	expectCoherent(t, apitest.New(t))
}
