package identity

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestActorCacheExpiresAndDropsAnswersReadBeforeAnEmptying(t *testing.T) {
	c := newActorCache()
	id, now := uuid.New(), time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	entry := cachedActor{actor: Actor{ID: id, Role: RoleUser}, expires: now.Add(actorTTL)}

	_, ok, gen := c.get(id, now)
	if ok {
		t.Fatal("an empty cache answered")
	}
	c.put(gen, id, entry)
	if _, ok, _ := c.get(id, now.Add(actorTTL-time.Millisecond)); !ok {
		t.Fatal("a fresh entry was not kept")
	}
	if _, ok, _ := c.get(id, now.Add(actorTTL)); ok {
		t.Fatal("an entry outlived actorTTL")
	}

	// A check that read the row, then an access change, then the check's put:
	// the old row must not be kept.
	_, _, gen = c.get(id, now)
	sent := 0
	send := func() { sent++ }
	c.broadcast.Store(&send)
	c.empty()
	c.put(gen, id, entry)
	if _, ok, _ := c.get(id, now); ok {
		t.Fatal("an answer read before the emptying was kept")
	}
	if sent != 1 {
		t.Fatalf("the emptying was broadcast %d times, want 1", sent)
	}

	// A full cache starts over instead of growing.
	_, _, gen = c.get(id, now)
	for range maxCachedActors + 10 {
		c.put(gen, uuid.New(), entry)
	}
	if n := len(c.entries); n > maxCachedActors {
		t.Fatalf("%d entries, want at most %d", n, maxCachedActors)
	}
}
