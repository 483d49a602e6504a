package identity

import (
	"context"
	"time"

	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/ratelimit"
)

// Failed-login limits of the contract: 10 per account or 30 per client
// address in 15 minutes.
const (
	loginWindow       = 15 * time.Minute
	maxAccountFailure = 10
	maxAddressFailure = 30
	// loginStoreRetryAfter is the Retry-After of a login refused because
	// its counters cannot be reached.
	loginStoreRetryAfter = 5 * time.Second
)

// loginLimiter counts login attempts per account and per client address.
// An attempt reserves its place before the password is checked (one atomic
// increment), so a burst of parallel requests cannot all slip in before the
// first failure is counted. A successful login gives its place back; failures
// keep theirs until the window ends.
//
// The counters live in a limiter.Store: in process memory by default (so with
// several replicas the limit is per replica), or ulule/limiter's Redis store
// (REDIS_URL), which shares them between replicas. A store that fails
// refuses the login with 503 rather than letting it through.
type loginLimiter struct {
	store limiter.Store
	rates [2]limiter.Rate // account, address
}

func newLoginLimiter(store limiter.Store) *loginLimiter {
	if store == nil {
		store = memory.NewStore()
	}
	return &loginLimiter{store: store, rates: [2]limiter.Rate{
		{Period: loginWindow, Limit: maxAccountFailure},
		{Period: loginWindow, Limit: maxAddressFailure},
	}}
}

// lockScope names the counters in logs.
var lockScope = [2]string{"account", "address"}

// reservation is one attempt's place in both counters.
type reservation struct {
	l    *loginLimiter
	keys [2]string
	// last reports, per counter, that this attempt took the last place, so
	// its failure is the one that locks the account or address.
	last [2]bool
}

// reserve takes a place in the account and the address counters, or refuses
// the attempt with 429 when either is used up. A refused attempt gives back
// what it took: it checked no password, so it does not count.
func (l *loginLimiter) reserve(ctx context.Context, email, clientIP string) (reservation, error) {
	r := reservation{l: l, keys: [2]string{"login:account:" + email, "login:address:" + ratelimit.AddressKey(clientIP)}}
	for i, key := range r.keys {
		st, err := l.store.Increment(ctx, key, 1, l.rates[i])
		if err != nil {
			r.releaseFirst(ctx, i)
			// Fail closed: an attempt that cannot be counted is not
			// allowed, or an outage of the shared store (Redis) would
			// give unlimited guesses.
			return reservation{}, &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable",
				Detail:     "Logins cannot be checked against their limits right now; try again later.",
				RetryAfter: loginStoreRetryAfter, Err: err}
		}
		if st.Reached {
			r.releaseFirst(ctx, i+1)
			wait := time.Until(time.Unix(st.Reset, 0))
			if wait < time.Second {
				wait = time.Second
			}
			return reservation{}, apperr.TooManyRequests("Too many failed logins; try again later.", wait)
		}
		r.last[i] = st.Remaining == 0
	}
	return r, nil
}

// release gives the attempt's places back (a success, or a failure of ours
// rather than of the password).
func (r reservation) release(ctx context.Context) { r.releaseFirst(ctx, len(r.keys)) }

func (r reservation) releaseFirst(ctx context.Context, n int) {
	for i := range n {
		st, err := r.l.store.Increment(ctx, r.keys[i], -1, r.l.rates[i])
		if err != nil || st.Reached {
			continue
		}
		// The window ended between reserve and release, so the decrement
		// opened a new window below zero: put the counter back at zero.
		if below := st.Remaining - st.Limit; below > 0 {
			_, _ = r.l.store.Increment(ctx, r.keys[i], below, r.l.rates[i])
		}
	}
}
