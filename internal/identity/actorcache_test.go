package identity_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/testdb"
)

// A signed-in request is checked against the account's row at most
// actorTTL ago: the replica answers from its cache, and an access change
// through the API acts on the very next request, on this replica and on
// the others.
func TestAccessChecksAreCachedAndChangesActAtOnce(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	admin := api.Admin()
	u := api.User("cached")
	const staffOnly = "/api/v1/staff/summary/tourism"

	api.Get(staffOnly, u).ExpectProblem(http.StatusForbidden, "forbidden") // checked, and kept
	// The cache answers: a change made behind the API's back is not seen yet.
	if err := api.DB.Exec("UPDATE users SET disabled = ? WHERE id = ?", true, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	api.Get(staffOnly, u).ExpectProblem(http.StatusForbidden, "forbidden")
	if err := api.DB.Exec("UPDATE users SET disabled = ? WHERE id = ?", false, u.ID).Error; err != nil {
		t.Fatal(err)
	}

	// Through the API, a promotion and a disabling act on the next request.
	api.Send(http.MethodPatch, "/api/v1/admin/users/"+u.ID.String(), map[string]any{"role": "staff", "department": "tourism"}, admin).
		Expect(http.StatusOK)
	api.Get(staffOnly, u).Expect(http.StatusOK)
	api.Send(http.MethodPatch, "/api/v1/admin/users/"+u.ID.String(), map[string]any{"disabled": true}, admin).
		Expect(http.StatusOK)
	api.Get(staffOnly, u).ExpectProblem(http.StatusForbidden, "account_disabled")
}

// An access change on replica A empties replica B's cache of checked
// accounts through the invalidation bus, well before the TTL.
func expectAccessCoherent(t *testing.T, a *apitest.API) {
	t.Helper()
	b := a.Replica()
	admin := a.Admin()
	u := a.User("roaming")
	const me = "/api/v1/me"
	b.Get(me, u).Expect(http.StatusOK) // kept in B's cache
	// B really answers from its cache: the test would prove nothing otherwise.
	if err := a.DB.Exec("UPDATE users SET disabled = ? WHERE id = ?", true, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	b.Get(me, u).Expect(http.StatusOK)
	if err := a.DB.Exec("UPDATE users SET disabled = ? WHERE id = ?", false, u.ID).Error; err != nil {
		t.Fatal(err)
	}

	a.Send(http.MethodPatch, "/api/v1/admin/users/"+u.ID.String(), map[string]any{"disabled": true}, admin).Expect(http.StatusOK)
	disabled := time.Now()
	for {
		r := b.Get(me, u)
		if r.Code == http.StatusForbidden {
			r.ExpectProblem(http.StatusForbidden, "account_disabled")
			t.Logf("disabled on A, refused by B after %v", time.Since(disabled))
			return
		}
		if time.Since(disabled) > coherenceBound {
			t.Fatalf("B still lets the disabled account in %v after the change on A", time.Since(disabled))
		}
		time.Sleep(time.Millisecond)
	}
}

// coherenceBound is how soon an access change on one replica must act on
// another (the catalog's caches have the same bound).
const coherenceBound = 100 * time.Millisecond

func TestAccessCoherenceThroughRedis(t *testing.T) {
	t.Parallel()
	expectAccessCoherent(t, apitest.New(t, apitest.Redis(t)))
}

func TestAccessCoherenceThroughPostgres(t *testing.T) {
	t.Parallel()
	if !testdb.IsPostgres() {
		t.Skip("LISTEN/NOTIFY is PostgreSQL's; SQLite is one node")
	}
	expectAccessCoherent(t, apitest.New(t))
}
