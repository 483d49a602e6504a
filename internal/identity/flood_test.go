package identity_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// Parallel registrations with the production argon2id cost (19 MiB each)
// keep the heap near slots × 19 MiB: without the bound, 32 at once held
// about 600 MiB. Not parallel, so no other test's garbage muddies the heap.
func TestParallelRegistrationsKeepTheHeapBounded(t *testing.T) {
	const registrations = 32
	h := apitest.NewWithPasswordParams(t, identity.DefaultPasswordParams).Handler

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()

	var wg sync.WaitGroup
	var created, busy atomic.Int32
	for i := range registrations {
		wg.Go(func() {
			body := fmt.Sprintf(`{"email":"flood%d@example.com","password":"kain-batik-2026","name":"Flood"}`, i)
			req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/register", bytes.NewBufferString(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch {
			case rec.Code == http.StatusCreated:
				created.Add(1)
			case rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") != "":
				busy.Add(1) // the bound working under a slow machine
			default:
				t.Errorf("register: %d %s", rec.Code, rec.Body)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled

	grew := int64(peak.Load()) - int64(base)
	// Four slots on two cores hold 76 MiB; the rest is garbage the GC has
	// not collected yet, and the server's own working set.
	const limit = 240 << 20
	t.Logf("%d created, %d busy; heap grew %d MiB at its peak", created.Load(), busy.Load(), grew>>20)
	if grew > limit {
		t.Fatalf("heap grew by %d MiB during %d parallel registrations, want under %d MiB", grew>>20, registrations, limit>>20)
	}
	if created.Load() == 0 {
		t.Fatal("no registration succeeded")
	}
}
