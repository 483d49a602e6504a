// Package httpcache keeps recently rendered public responses in memory for a
// few seconds ("micro-caching"), with their gzip form, so bursts of the
// same catalog request cost one database round trip and one compression.
//
// Any write to the data behind the cached responses calls Invalidate, so a
// replica never serves its own stale data. With a Broadcast (Redis pub/sub
// or PostgreSQL LISTEN/NOTIFY, see cachesync) other replicas drop theirs
// within milliseconds; if a message is lost, within the TTL, well inside
// the max-age clients are already told they may cache.
package httpcache

import (
	"bytes"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
)

// MinGzipSize is the smallest body worth compressing.
const MinGzipSize = 1024

// Entry is one cached response body with what its headers need.
type Entry struct {
	Body            []byte
	Gzip            []byte // nil when the body is too small to gain from it
	ETag            string
	ContentLanguage string

	gen     uint64
	expires time.Time
}

// Cache maps request keys to entries. The zero value is not usable; call New.
type Cache struct {
	ttl      time.Duration
	maxBytes int
	gen      atomic.Uint64
	// broadcast tells the other replicas of an Invalidate (nil: one node).
	broadcast atomic.Pointer[func()]

	mu      sync.RWMutex
	entries map[string]*Entry
	bytes   int
	// seen holds keys asked for in the last SeenWindow: a response is
	// stored only when its key comes back, so one-off requests (a nearby
	// search from a unique GPS fix) cost neither memory nor a compression.
	// It is bounded by the bytes of its keys, not their number: keys carry
	// client-chosen parameter values.
	seen      map[string]time.Time
	seenBytes int
}

// MaxSeenBytes bounds the keys remembered in the seen map. Past it the map
// starts again: a key then needs one more request before it is stored.
const MaxSeenBytes = 4 << 20

// entryOverhead approximates what a map slot, an Entry and a time.Time cost
// beyond the key and bodies, so many tiny entries still count.
const entryOverhead = 128

// SeenWindow is how long a first request makes its key worth storing.
const SeenWindow = time.Minute

// New returns a cache whose entries live for ttl, holding at most maxBytes
// of bodies.
func New(ttl time.Duration, maxBytes int) *Cache {
	return &Cache{ttl: ttl, maxBytes: maxBytes, entries: map[string]*Entry{}, seen: map[string]time.Time{}}
}

// Generation is read before computing a response and handed to Put, so a
// response computed before a concurrent write is never stored as current.
func (c *Cache) Generation() uint64 { return c.gen.Load() }

// Invalidate drops every entry at once (lazily: they stop matching), and
// tells the other replicas to drop theirs when Broadcast is set. It is safe
// on a nil Cache, so services can call it whether caching is on or not.
func (c *Cache) Invalidate() {
	if c != nil {
		c.gen.Add(1)
		if b := c.broadcast.Load(); b != nil {
			(*b)()
		}
	}
}

// InvalidateLocal drops every entry of this replica only: what a message
// from another replica's Invalidate does.
func (c *Cache) InvalidateLocal() {
	if c != nil {
		c.gen.Add(1)
	}
}

// Broadcast makes every Invalidate also call send, which tells the other
// replicas (it must not block: it runs right after the write's commit).
func (c *Cache) Broadcast(send func()) { c.broadcast.Store(&send) }

// Get returns the live entry for key.
func (c *Cache) Get(key string) (*Entry, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || e.gen != c.gen.Load() || time.Now().After(e.expires) {
		return nil, false
	}
	return e, true
}

// Put offers e, a response computed at generation gen, for key, and returns
// what to send: the stored entry with its gzip form when the key was asked
// for before within the TTL, else e unchanged.
func (c *Cache) Put(key string, gen uint64, e *Entry) *Entry {
	if gen != c.gen.Load() {
		return e // a write happened meanwhile: serve it once, keep nothing
	}
	now := time.Now()
	c.mu.Lock()
	first, ok := c.seen[key]
	if !ok || now.Sub(first) > SeenWindow {
		size := len(key) + entryOverhead
		if !ok && c.seenBytes+size > MaxSeenBytes {
			c.seen, c.seenBytes = map[string]time.Time{}, 0
		}
		if _, again := c.seen[key]; !again {
			c.seenBytes += size
		}
		c.seen[key] = now
		c.mu.Unlock()
		return e
	}
	c.mu.Unlock()

	if len(e.Body) >= MinGzipSize {
		e.Gzip = compress(e.Body)
	}
	e.gen, e.expires = gen, now.Add(c.ttl)
	size := len(key) + len(e.Body) + len(e.Gzip) + entryOverhead
	c.mu.Lock()
	if c.bytes+size > c.maxBytes {
		// A full cache is cleared rather than evicted entry by entry: cheap,
		// and entries only live for seconds anyway.
		c.entries, c.bytes = map[string]*Entry{}, 0
	}
	if old, ok := c.entries[key]; ok {
		c.bytes -= len(key) + len(old.Body) + len(old.Gzip) + entryOverhead
	}
	c.entries[key] = e
	c.bytes += size
	c.mu.Unlock()
	return e
}

// Footprint is the bytes the cache holds: its entries and the keys it has
// seen, each with an estimate of its bookkeeping.
func (c *Cache) Footprint() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.bytes + c.seenBytes
}

var writers = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

func compress(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) / 3)
	w := writers.Get().(*gzip.Writer)
	w.Reset(&buf)
	w.Write(body)
	w.Close()
	writers.Put(w)
	return buf.Bytes()
}
