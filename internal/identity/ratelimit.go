package identity

import (
	"context"
	"time"

	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Failed-login limits of the contract: 10 per account or 30 per client
// address in 15 minutes. Only failures count, so a user who types the right
// password is never slowed by their own earlier success.
const (
	loginWindow       = 15 * time.Minute
	maxAccountFailure = 10
	maxAddressFailure = 30
)

// loginLimiter keeps failure counters in process memory. With several
// replicas each keeps its own, so the effective limit is per replica; a
// shared store (Redis) can replace memory.NewStore without other changes.
type loginLimiter struct {
	account *limiter.Limiter
	address *limiter.Limiter
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{
		account: limiter.New(memory.NewStore(), limiter.Rate{Period: loginWindow, Limit: maxAccountFailure}),
		address: limiter.New(memory.NewStore(), limiter.Rate{Period: loginWindow, Limit: maxAddressFailure}),
	}
}

// check refuses the attempt when either counter is used up, saying when the
// window ends.
func (l *loginLimiter) check(ctx context.Context, email, ip string) error {
	for _, c := range []struct {
		lim *limiter.Limiter
		key string
	}{{l.account, email}, {l.address, ip}} {
		st, err := c.lim.Peek(ctx, c.key)
		if err != nil {
			return err
		}
		if st.Remaining == 0 {
			wait := time.Until(time.Unix(st.Reset, 0))
			if wait < time.Second {
				wait = time.Second
			}
			return apperr.TooManyRequests("Too many failed logins; try again later.", wait)
		}
	}
	return nil
}

func (l *loginLimiter) fail(ctx context.Context, email, ip string) {
	_, _ = l.account.Increment(ctx, email, 1)
	_, _ = l.address.Increment(ctx, ip, 1)
}

func (l *loginLimiter) succeed(ctx context.Context, email string) {
	_, _ = l.account.Reset(ctx, email)
}
