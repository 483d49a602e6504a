package httpcache_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/httpcache"
)

// put offers a response twice: the cache keeps keys that come back.
func put(c *httpcache.Cache, key string, gen uint64, e *httpcache.Entry) *httpcache.Entry {
	c.Put(key, gen, e)
	return c.Put(key, gen, e)
}

func TestCache(t *testing.T) {
	c := httpcache.New(time.Minute, 3000)
	big := []byte(strings.Repeat(`{"name":"Keraton"}`, 100))

	gen := c.Generation()
	if e := c.Put("a", gen, &httpcache.Entry{Body: big}); e.Gzip != nil {
		t.Fatal("a key seen once was compressed")
	}
	if _, ok := c.Get("a"); ok {
		t.Fatal("a key seen once was stored")
	}
	e := put(c, "a", gen, &httpcache.Entry{Body: big, ETag: `W/"1"`})
	if e.Gzip == nil {
		t.Fatal("large body not compressed")
	}
	zr, _ := gzip.NewReader(bytes.NewReader(e.Gzip))
	if plain, _ := io.ReadAll(zr); !bytes.Equal(plain, big) {
		t.Fatal("gzip form does not decompress to the body")
	}
	if got, ok := c.Get("a"); !ok || got.ETag != `W/"1"` {
		t.Fatal("entry not found")
	}
	if small := put(c, "b", gen, &httpcache.Entry{Body: []byte("{}")}); small.Gzip != nil {
		t.Fatal("tiny body compressed")
	}

	// A write invalidates everything, including responses computed before it.
	stale := c.Generation()
	c.Invalidate()
	if _, ok := c.Get("a"); ok {
		t.Fatal("entry survived invalidation")
	}
	put(c, "c", stale, &httpcache.Entry{Body: []byte("old")})
	if _, ok := c.Get("c"); ok {
		t.Fatal("a response computed before a write was cached")
	}

	// Bounded by bytes: the third large body clears the full cache.
	gen = c.Generation()
	huge := []byte(strings.Repeat("x", 1000))
	put(c, "x", gen, &httpcache.Entry{Body: huge})
	put(c, "y", gen, &httpcache.Entry{Body: huge})
	put(c, "z", gen, &httpcache.Entry{Body: huge})
	if _, ok := c.Get("x"); ok {
		t.Fatal("cache grew past its bound")
	}
	if _, ok := c.Get("z"); !ok {
		t.Fatal("newest entry missing")
	}
}

func TestExpiry(t *testing.T) {
	c := httpcache.New(10*time.Millisecond, 1000)
	put(c, "a", c.Generation(), &httpcache.Entry{Body: []byte("x")})
	time.Sleep(20 * time.Millisecond)
	if _, ok := c.Get("a"); ok {
		t.Fatal("expired entry served")
	}
}
