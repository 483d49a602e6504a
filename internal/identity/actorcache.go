package identity

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Every request with an access token checks the account behind it (role,
// department, disabled), so that demotion and disabling act at once. The
// check was a database round trip per signed-in request; actorCache keeps
// the answer for actorTTL. An access change made through this service
// empties it at once on this replica and, through Broadcast, on the others;
// the TTL bounds what a lost message or a change made behind the API's back
// can leave stale.
const (
	actorTTL = 5 * time.Second
	// maxCachedActors bounds the cache's memory: only tokens with a valid
	// signature reach it, and a full cache is simply emptied.
	maxCachedActors = 20_000
)

type cachedActor struct {
	actor    Actor
	disabled bool
	expires  time.Time
}

type actorCache struct {
	mu      sync.Mutex
	entries map[uuid.UUID]cachedActor
	// gen counts emptyings: an answer read from the database before one
	// must not be stored after it, or it would outlive the change.
	gen       uint64
	broadcast atomic.Pointer[func()]
}

func newActorCache() *actorCache {
	return &actorCache{entries: map[uuid.UUID]cachedActor{}}
}

// get returns the cached account of id when it is still fresh at now, and
// the generation an answer read from the database now would be stored under.
func (c *actorCache) get(id uuid.UUID, now time.Time) (cachedActor, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if ok && !now.Before(e.expires) {
		delete(c.entries, id)
		ok = false
	}
	return e, ok, c.gen
}

// put stores an answer read under generation gen, unless the cache was
// emptied since.
func (c *actorCache) put(gen uint64, id uuid.UUID, e cachedActor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.entries) >= maxCachedActors {
		clear(c.entries)
	}
	c.entries[id] = e
}

// emptyLocal forgets every account on this replica only.
func (c *actorCache) emptyLocal() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// empty forgets every account here and tells the other replicas to.
func (c *actorCache) empty() {
	c.emptyLocal()
	if send := c.broadcast.Load(); send != nil {
		(*send)()
	}
}
