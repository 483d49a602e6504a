// Package httpcache keeps recently rendered public responses in memory for a
// couple of seconds ("micro-caching"), with their gzip form, so bursts of the
// same catalog request cost one database round trip and one compression.
//
// Any write to the data behind the cached responses calls Invalidate, so a
// replica never serves its own stale data; other replicas' writes show within
// the TTL, well inside the max-age clients are already told they may cache.
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
	ttl time.Duration
	max int
	gen atomic.Uint64

	mu      sync.RWMutex
	entries map[string]*Entry
}

// New returns a cache whose entries live for ttl, holding at most max of them.
func New(ttl time.Duration, max int) *Cache {
	return &Cache{ttl: ttl, max: max, entries: make(map[string]*Entry, max)}
}

// Generation is read before computing a response and handed to Put, so a
// response computed before a concurrent write is never stored as current.
func (c *Cache) Generation() uint64 { return c.gen.Load() }

// Invalidate drops every entry at once (lazily: they stop matching). It is
// safe on a nil Cache, so services can call it whether caching is on or not.
func (c *Cache) Invalidate() {
	if c != nil {
		c.gen.Add(1)
	}
}

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

// Put stores e under key for a response computed at generation gen, and
// returns it with its gzip form filled in.
func (c *Cache) Put(key string, gen uint64, e *Entry) *Entry {
	if len(e.Body) >= MinGzipSize {
		e.Gzip = compress(e.Body)
	}
	if gen != c.gen.Load() {
		return e // a write happened meanwhile: serve it once, keep nothing
	}
	e.gen, e.expires = gen, time.Now().Add(c.ttl)
	c.mu.Lock()
	if len(c.entries) >= c.max {
		// A full cache is cleared rather than evicted entry by entry: cheap,
		// and entries only live for seconds anyway.
		c.entries = make(map[string]*Entry, c.max)
	}
	c.entries[key] = e
	c.mu.Unlock()
	return e
}

var writers = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
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
