package identity

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/solodestination/api/internal/platform/apperr"
)

// A caller that finds every hashing slot taken waits briefly, then gets 503
// with Retry-After instead of adding another 19 MiB to the heap.
func TestHashingWaitsForASlotThenAnswersBusy(t *testing.T) {
	h, err := newHasher(FastPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	h.slots, h.wait = semaphore.NewWeighted(1), 20*time.Millisecond
	ctx := context.Background()
	release, err := h.admit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = h.hash(ctx, "kain-batik-2026")
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Unavailable || e.Code != "unavailable" || e.RetryAfter <= 0 {
		t.Fatalf("hash with no free slot: %v, want 503 unavailable with Retry-After", err)
	}
	if waited := time.Since(start); waited < h.wait || waited > time.Second {
		t.Fatalf("waited %v for a slot, want about %v", waited, h.wait)
	}
	if _, err := h.verify(ctx, "kain-batik-2026", ""); apperr.KindOf(err) != apperr.Unavailable {
		t.Fatalf("verify with no free slot: %v", err)
	}
	release()
	if _, err := h.hash(ctx, "kain-batik-2026"); err != nil {
		t.Fatalf("hash after the slot came free: %v", err)
	}
}

// Many parallel hashes never run more than the bound at once.
func TestConcurrentHashesStayAtTheBound(t *testing.T) {
	h, err := newHasher(PasswordParams{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	h.slots, h.wait = semaphore.NewWeighted(3), time.Minute
	var wg sync.WaitGroup
	for range 60 {
		wg.Go(func() {
			if _, err := h.hash(context.Background(), "kain-batik-2026"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := h.peak.Load(); p > 3 || p < 1 {
		t.Fatalf("peak concurrent hashes = %d, want 1..3", p)
	}
}

func TestHashSlotsFollowCoresAndMemory(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	debug.SetMemoryLimit(math.MaxInt64)
	byCores := int64(2 * runtime.GOMAXPROCS(0))
	if got := hashSlots(DefaultPasswordParams); got != min(byCores, hashMemoryBudget/(19<<20)) {
		t.Fatalf("slots = %d with %d cores", got, runtime.GOMAXPROCS(0))
	}
	debug.SetMemoryLimit(4 * 40 << 20) // a quarter of it holds two 19 MiB hashes
	if got := hashSlots(DefaultPasswordParams); got != min(byCores, 2) {
		t.Fatalf("slots under GOMEMLIMIT=160MiB = %d, want %d", got, min(byCores, 2))
	}
	debug.SetMemoryLimit(16 << 20)
	if got := hashSlots(DefaultPasswordParams); got != 1 {
		t.Fatalf("slots under a tiny GOMEMLIMIT = %d, want 1", got)
	}
}
