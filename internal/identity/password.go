package identity

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/alexedwards/argon2id"
	"golang.org/x/sync/semaphore"

	"github.com/solodestination/api/internal/platform/apperr"
)

// PasswordParams are the argon2id costs. DefaultPasswordParams follow the
// OWASP Password Storage Cheat Sheet's minimum (19 MiB, 2 passes, 1 lane),
// which keeps a login under ~50 ms on a small server.
type PasswordParams = argon2id.Params

// DefaultPasswordParams is used by the server.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// FastPasswordParams are for tests only, where hash cost buys nothing.
var FastPasswordParams = PasswordParams{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Hashing admission. Every argon2id run holds Params.Memory for its whole
// duration, so an unbounded burst of registrations or logins turns straight
// into resident memory (300 at once reached 5 GB). At most hashSlots() runs
// at once; a caller waits up to hashQueueWait for a slot, then gets 503 with
// Retry-After instead of queueing without end.
const (
	hashQueueWait = 2 * time.Second
	// hashMemoryBudget is what all concurrent hashes may hold together when
	// GOMEMLIMIT does not say more about the machine.
	hashMemoryBudget = 256 << 20
)

// hashSlots is min(2 × GOMAXPROCS, budget / memory per hash), at least 1.
// More runs than twice the cores only wait for CPU while holding memory.
// With GOMEMLIMIT set, a quarter of it is the budget.
func hashSlots(p PasswordParams) int64 {
	budget := int64(hashMemoryBudget)
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		budget = limit / 4
	}
	perHash := int64(p.Memory) * 1024
	slots := int64(2 * runtime.GOMAXPROCS(0))
	if byMemory := budget / max(perHash, 1); byMemory < slots {
		slots = byMemory
	}
	return max(slots, 1)
}

type hasher struct {
	params PasswordParams
	// dummy is verified against when the email is unknown, so a wrong email
	// costs the same time as a wrong password.
	dummy string

	slots *semaphore.Weighted
	wait  time.Duration
	// running and peak count hashes in progress, for the tests that prove
	// the bound.
	running atomic.Int64
	peak    atomic.Int64
}

func newHasher(p PasswordParams) (*hasher, error) {
	dummy, err := argon2id.CreateHash("not-a-real-password", &p)
	if err != nil {
		return nil, err
	}
	n := hashSlots(p)
	return &hasher{params: p, dummy: dummy, slots: semaphore.NewWeighted(n), wait: hashQueueWait}, nil
}

func errHashingBusy() error {
	return &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable",
		Detail: "The server is busy checking passwords; try again in a moment.", RetryAfter: time.Second}
}

// admit waits for a hashing slot; the returned func gives it back.
func (h *hasher) admit(ctx context.Context) (func(), error) {
	wctx, cancel := context.WithTimeout(ctx, h.wait)
	defer cancel()
	if err := h.slots.Acquire(wctx, 1); err != nil {
		return nil, errHashingBusy()
	}
	n := h.running.Add(1)
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	return func() {
		h.running.Add(-1)
		h.slots.Release(1)
	}, nil
}

func (h *hasher) hash(ctx context.Context, password string) (string, error) {
	done, err := h.admit(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	return argon2id.CreateHash(password, &h.params)
}

// verify compares in constant time; an empty hash stands for "no such user".
// It fails only when no hashing slot came free in time.
func (h *hasher) verify(ctx context.Context, password, hash string) (bool, error) {
	done, err := h.admit(ctx)
	if err != nil {
		return false, err
	}
	defer done()
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, h.dummy)
		return false, nil
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok, nil
}
