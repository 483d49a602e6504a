// Package idempotency makes a write safe to retry: a client sends an
// Idempotency-Key header, and a repeat of the same request with the same key
// is answered with the first response instead of being run again. Keys live
// in the database, so the guarantee holds across replicas.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/web"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

const (
	// Retention is how long a key and its response are kept.
	Retention = 24 * time.Hour
	// MaxKeyLength bounds a key; UUIDs and ULIDs fit with room to spare.
	MaxKeyLength = 255
	// abandonAfter is when a claim whose request never finished (the
	// process died, or storing the answer failed) may be taken over. No
	// request runs this long: the database deadline ends it well before.
	abandonAfter = time.Minute
	// inProgressRetry is the Retry-After of a duplicate that arrives while
	// the first request is running.
	inProgressRetry = time.Second
	// pruneInterval and pruneBatch bound the work of deleting expired keys,
	// which the requests themselves do (no scheduler needed).
	pruneInterval = 10 * time.Minute
	pruneBatch    = 1000
)

// ReplayedHeader marks a response that was answered from the stored copy.
const ReplayedHeader = "Idempotent-Replayed"

type keyRow struct {
	UserID      uuid.UUID
	Key         string
	RequestHash []byte
	StatusCode  int
	ContentType string
	Resource    string
	Body        []byte
	ClaimedAt   time.Time
	ExpiresAt   time.Time
}

func (keyRow) TableName() string { return "idempotency_keys" }

// Keys stores the keys of every route that opts in.
type Keys struct {
	db        *database.DB
	now       func() time.Time
	lastPrune atomic.Int64
}

// New returns the key store over db.
func New(db *database.DB) *Keys {
	return &Keys{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// Replayer answers a retried request whose first attempt made its effect
// (resource names what it made, as given to BindEffect) but died before its
// answer was stored: it writes the answer the first attempt would have.
type Replayer func(c *gin.Context, resource string) error

type claimKey struct{}

type claim struct {
	user uuid.UUID
	key  string
}

// BindEffect records, with tx, the transaction that makes the request's
// effect, which resource it made (e.g. a booking id). A route behind
// Middleware calls it from the service that owns the effect; without a key
// on the request it does nothing.
func BindEffect(ctx context.Context, tx *gorm.DB, resource string) error {
	cl, ok := ctx.Value(claimKey{}).(claim)
	if !ok {
		return nil
	}
	return tx.WithContext(ctx).Exec("UPDATE idempotency_keys SET resource = ? WHERE user_id = ? AND key = ?",
		resource, cl.user, cl.key).Error
}

// Middleware deduplicates the requests of a route by their Idempotency-Key,
// per signed-in user. Mount it after the authentication guard. Without the
// header a request passes through untouched. The first request with a key
// claims it; the same key with the same method, path and body is answered
// with the first response (status, Content-Type and body, plus
// Idempotent-Replayed: true); with another request it is 422
// idempotency_conflict; while the first is still running it is 409
// idempotency_in_progress with Retry-After. A 5xx answer (the database was
// down, say) releases the key, so the client's retry runs again. The
// route's service calls BindEffect in the transaction of its effect; a
// retry of a request that died after that commit is answered by replay
// instead of being run again.
func (k *Keys) Middleware(replay Replayer) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader(Header)
		user := web.MetaFrom(c.Request.Context()).ActorID
		if key == "" || user == uuid.Nil {
			c.Next()
			return
		}
		if err := checkKey(key); err != nil {
			web.RenderError(c, err)
			return
		}
		body, err := readBody(c)
		if err != nil {
			web.RenderError(c, err)
			return
		}
		hash := requestHash(c.Request.Method, c.Request.URL.Path, c.Request.URL.RawQuery, body)
		ctx := c.Request.Context()
		k.prune(c)
		stored, claimed, err := k.claim(ctx, user, key, hash)
		if err != nil {
			web.RenderError(c, err)
			return
		}
		if !claimed {
			replayStored(c, stored)
			return
		}
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		if stored.Resource != "" {
			// Taken over from an attempt whose effect committed.
			if err := replay(c, stored.Resource); err != nil {
				web.RenderError(c, err)
			}
			c.Abort()
		} else {
			c.Request = c.Request.WithContext(context.WithValue(ctx, claimKey{}, claim{user: user, key: key}))
			c.Next()
		}
		// The answer is stored even when the client has gone away: its
		// retry must find it.
		done, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		status := rec.Status()
		if status >= 500 {
			err = k.release(done, user, key)
		} else {
			err = k.finish(done, user, key, status, rec.Header().Get("Content-Type"), rec.body.Bytes())
		}
		if err != nil {
			web.Logger(c).Warn("store idempotent response", "err", err)
		}
	}
}

func checkKey(key string) error {
	if len(key) > MaxKeyLength {
		return apperr.BadRequest("Idempotency-Key must be at most 255 characters.")
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return apperr.BadRequest("Idempotency-Key must be visible ASCII characters, e.g. a UUID.")
		}
	}
	return nil
}

func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, web.PayloadTooLarge(tooLarge.Limit)
		}
		return nil, apperr.BadRequest("The request body could not be read.")
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// requestHash identifies the request a key was first used for. A JSON body
// is hashed in its canonical form (RFC 8785: keys sorted, white space and
// number spelling normalised), so a client that re-serialises the same
// object on retry is not told it sent another body.
func requestHash(method, path, query string, body []byte) []byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(method), []byte(path), []byte(query)} {
		h.Write(part)
		h.Write([]byte{0})
	}
	canonical := jsontext.Value(bytes.Clone(body))
	if err := canonical.Canonicalize(); err == nil {
		body = canonical
	}
	h.Write(body)
	return h.Sum(nil)
}

// claim takes the key for this request; when another request holds it,
// claimed is false and stored is what the key holds (a finished response,
// or an in-flight claim), or err says why the request is refused.
func (k *Keys) claim(ctx context.Context, user uuid.UUID, key string, hash []byte) (stored keyRow, claimed bool, err error) {
	now := k.now()
	db := k.db.WithContext(ctx)
	for range 2 {
		row := keyRow{UserID: user, Key: key, RequestHash: hash, ClaimedAt: now, ExpiresAt: now.Add(Retention)}
		res := db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, content_type, claimed_at, expires_at)
			VALUES (?, ?, ?, 0, '', ?, ?) ON CONFLICT DO NOTHING`, row.UserID, row.Key, row.RequestHash, row.ClaimedAt, row.ExpiresAt)
		if res.Error != nil {
			return keyRow{}, false, res.Error
		}
		if res.RowsAffected == 1 {
			return row, true, nil
		}
		if err := db.Where("user_id = ? AND key = ?", user, key).Take(&stored).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				continue // released or pruned in between: claim again
			}
			return keyRow{}, false, err
		}
		if !stored.ExpiresAt.After(now) {
			// Expired but not yet pruned: it no longer counts.
			if err := db.Exec("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND expires_at <= ?",
				user, key, now).Error; err != nil {
				return keyRow{}, false, err
			}
			continue
		}
		if !bytes.Equal(stored.RequestHash, hash) {
			return keyRow{}, false, &apperr.Error{Kind: apperr.Unprocessable, Code: "idempotency_conflict",
				Detail: "This Idempotency-Key was used for a different request; use a new key for a new request."}
		}
		if stored.StatusCode != 0 {
			return stored, false, nil
		}
		if now.Sub(stored.ClaimedAt) < abandonAfter {
			return keyRow{}, false, &apperr.Error{Kind: apperr.Conflict, Code: "idempotency_in_progress",
				Detail:     "A request with this Idempotency-Key is still being processed; retry after Retry-After.",
				RetryAfter: inProgressRetry}
		}
		// The first attempt died without an answer; its transaction rolled
		// back, so running the request now is its first effect.
		res = db.Exec("UPDATE idempotency_keys SET claimed_at = ? WHERE user_id = ? AND key = ? AND status_code = 0 AND claimed_at = ?",
			now, user, key, stored.ClaimedAt)
		if res.Error != nil {
			return keyRow{}, false, res.Error
		}
		if res.RowsAffected == 1 {
			return stored, true, nil
		}
	}
	return keyRow{}, false, &apperr.Error{Kind: apperr.Conflict, Code: "idempotency_in_progress",
		Detail: "A request with this Idempotency-Key is still being processed; retry after Retry-After.", RetryAfter: inProgressRetry}
}

func (k *Keys) finish(ctx context.Context, user uuid.UUID, key string, status int, contentType string, body []byte) error {
	return k.db.WithContext(ctx).Exec(
		"UPDATE idempotency_keys SET status_code = ?, content_type = ?, body = ? WHERE user_id = ? AND key = ?",
		status, contentType, body, user, key).Error
}

// release frees the key after a failure on our side. A key whose effect
// committed is not freed (the retry would make it again) but made
// takeable at once, so the retry replays it.
func (k *Keys) release(ctx context.Context, user uuid.UUID, key string) error {
	db := k.db.WithContext(ctx)
	if err := db.Exec("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status_code = 0 AND resource = ''",
		user, key).Error; err != nil {
		return err
	}
	return db.Exec("UPDATE idempotency_keys SET claimed_at = ? WHERE user_id = ? AND key = ? AND status_code = 0 AND resource <> ''",
		k.now().Add(-abandonAfter), user, key).Error
}

// replayStored answers with the stored response.
func replayStored(c *gin.Context, r keyRow) {
	c.Header(ReplayedHeader, "true")
	c.Header("Cache-Control", "no-store")
	c.Data(r.StatusCode, r.ContentType, r.Body)
	c.Abort()
}

// prune deletes one batch of expired keys at most once per interval per
// process. Failing to prune never fails the request.
func (k *Keys) prune(c *gin.Context) {
	now := k.now()
	last := k.lastPrune.Load()
	if last != 0 && now.Sub(time.Unix(0, last)) < pruneInterval {
		return
	}
	if !k.lastPrune.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if _, err := k.Prune(c.Request.Context(), now, pruneBatch); err != nil {
		web.Logger(c).Warn("prune idempotency keys", "err", err)
	}
}

// Prune deletes up to limit keys that expired before now and reports how
// many it deleted.
func (k *Keys) Prune(ctx context.Context, now time.Time, limit int) (int64, error) {
	res := k.db.WithContext(ctx).Exec(`DELETE FROM idempotency_keys WHERE (user_id, key) IN
		(SELECT user_id, key FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)`, now, limit)
	return res.RowsAffected, res.Error
}

// recorder keeps a copy of the body while it goes to the client.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
