// Package ratelimit limits requests per client in one-minute windows and
// tells clients where they stand with the IETF RateLimit headers
// (draft-ietf-httpapi-ratelimit-headers): RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset (seconds until the window ends).
//
// Reads (GET, HEAD, OPTIONS) and writes (everything else) have separate
// budgets. The counting is behind Counter: ulule/limiter's one-minute
// windows in process memory for one node, GCRA in Redis (RedisGCRA) when
// several replicas share the budget.
package ratelimit

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"
	"golang.org/x/time/rate"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

// Window is the state of one key's current window after counting a request.
type Window struct {
	Limit     int64
	Remaining int64
	Reset     time.Time // when the window ends and the count starts again
	Reached   bool      // this request was over the limit
}

// Counter counts one request for key and reports its window.
type Counter interface {
	Take(ctx context.Context, key string) (Window, error)
}

// NewMemory counts perMinute requests per key in process memory: each
// replica keeps its own count.
func NewMemory(perMinute int) Counter {
	return FromStore(memory.NewStoreWithOptions(limiter.StoreOptions{CleanUpInterval: time.Minute}), perMinute)
}

// FromStore counts perMinute requests per key in any ulule/limiter store
// (its Redis driver shares the count between replicas).
func FromStore(store limiter.Store, perMinute int) Counter {
	return storeCounter{lim: limiter.New(store, limiter.Rate{Period: time.Minute, Limit: int64(perMinute)})}
}

type storeCounter struct{ lim *limiter.Limiter }

func (s storeCounter) Take(ctx context.Context, key string) (Window, error) {
	c, err := s.lim.Get(ctx, key)
	if err != nil {
		return Window{}, err
	}
	return Window{Limit: c.Limit, Remaining: c.Remaining, Reset: time.Unix(c.Reset, 0), Reached: c.Reached}, nil
}

// Exempt are the paths never limited: the payment gateway's signed webhook
// must always get through, however many notifications it sends at once,
// and its signature already keeps strangers out.
var Exempt = []string{"/api/v1/payments/webhook"}

// Limits is the request limiter of the API. A nil Reads or Writes turns
// that limit off.
type Limits struct {
	Reads, Writes Counter
	// Key names the client a request is counted against.
	Key func(c *gin.Context) string
}

// New builds in-memory limits of reads and writes per minute; 0 turns one off.
func New(readsPerMin, writesPerMin int, key func(c *gin.Context) string) *Limits {
	l := &Limits{Key: key}
	if readsPerMin > 0 {
		l.Reads = NewMemory(readsPerMin)
	}
	if writesPerMin > 0 {
		l.Writes = NewMemory(writesPerMin)
	}
	return l
}

// Middleware counts every request that is not exempt against its client's
// budget, sets the RateLimit headers, and answers 429 rate_limited with
// Retry-After once the budget is spent. A failing store lets requests
// through: the limiter protects the service, it must not take it down.
func (l *Limits) Middleware() gin.HandlerFunc {
	exempt := map[string]bool{}
	for _, p := range Exempt {
		exempt[p] = true
	}
	// A failing store (Redis down) would otherwise write a warning per
	// request: one per 10 s is enough to be seen.
	storeFailures := &rate.Sometimes{Interval: 10 * time.Second}
	return func(c *gin.Context) {
		counter := l.Writes
		if isRead(c.Request.Method) {
			counter = l.Reads
		}
		if counter == nil || exempt[c.Request.URL.Path] || exempt[c.FullPath()] {
			c.Next()
			return
		}
		w, err := counter.Take(c.Request.Context(), l.Key(c))
		if err != nil {
			storeFailures.Do(func() {
				web.Logger(c).Warn("rate limit store failed; requests are let through (logged at most every 10 s)", "err", err)
			})
			c.Next()
			return
		}
		reset := max(time.Until(w.Reset), 0)
		h := c.Writer.Header()
		h.Set("RateLimit-Limit", strconv.FormatInt(w.Limit, 10))
		h.Set("RateLimit-Remaining", strconv.FormatInt(w.Remaining, 10))
		h.Set("RateLimit-Reset", strconv.Itoa(int((reset+time.Second-1)/time.Second)))
		if w.Reached {
			web.RenderError(c, apperr.TooManyRequests("Too many requests from this client; slow down and retry after the time in Retry-After.",
				max(reset, time.Second)))
			return
		}
		c.Next()
	}
}

func isRead(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// AddressKey is the part of a client address that one client controls:
// the whole IPv4 address, or the /64 of an IPv6 address (one subscriber's
// prefix, within which a client can pick any address it likes).
func AddressKey(ip string) string {
	a := net.ParseIP(ip)
	if a == nil {
		return ip
	}
	if v4 := a.To4(); v4 != nil {
		return v4.String()
	}
	return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
