package httpcache_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/httpcache"
)

func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// Keys carry client-chosen values: 3000 distinct 16 KiB keys, each asked
// for twice, must cost the byte budget and not 3000 × 16 KiB.
func TestLongKeysStayWithinTheBudget(t *testing.T) {
	const maxBytes = 4 << 20
	c := httpcache.New(time.Minute, maxBytes)
	body := []byte(`{"data":[],"meta":{"limit":20}}`)
	pad := strings.Repeat("x", 16<<10)
	before := heapInuse()
	for i := range 3000 {
		key := fmt.Sprintf("id /api/v1/attractions?category=%d%s", i, pad)
		gen := c.Generation()
		c.Put(key, gen, &httpcache.Entry{Body: body})
		c.Put(key, gen, &httpcache.Entry{Body: body})
	}
	grew := int64(heapInuse()) - int64(before)
	runtime.KeepAlive(c)
	if limit := int64(maxBytes + httpcache.MaxSeenBytes + 4<<20); grew > limit {
		t.Fatalf("heap grew %d MiB for 3000 long keys, want under %d MiB", grew>>20, limit>>20)
	}
	if f := c.Footprint(); f > maxBytes+httpcache.MaxSeenBytes {
		t.Fatalf("footprint %d bytes over the budget %d", f, maxBytes+httpcache.MaxSeenBytes)
	}
}

// Keys seen once are bounded by bytes too, and a full seen map starts over
// without losing the entries already stored.
func TestSeenKeysAreBoundedByBytes(t *testing.T) {
	c := httpcache.New(time.Minute, 1<<20)
	gen := c.Generation()
	c.Put("kept", gen, &httpcache.Entry{Body: []byte("{}")})
	c.Put("kept", gen, &httpcache.Entry{Body: []byte("{}")})
	key := strings.Repeat("k", 4<<10)
	for i := range 5000 {
		c.Put(fmt.Sprint(i, key), gen, &httpcache.Entry{Body: []byte("{}")})
		if f := c.Footprint(); f > 1<<20+httpcache.MaxSeenBytes {
			t.Fatalf("footprint %d after %d one-off keys", f, i+1)
		}
	}
	if _, ok := c.Get("kept"); !ok {
		t.Fatal("a stored entry was lost when the seen map started over")
	}
}
