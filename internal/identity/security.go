package identity

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"

	"github.com/solodestination/api/internal/platform/ratelimit"
	"github.com/solodestination/api/internal/platform/web"
)

// security writes a security event: a warning with the request id, so that
// an operator can follow an attack from the access log. Events never carry a
// password or a token, and an email only as emailDigest.
func (s *Service) security(ctx context.Context, msg string, args ...any) {
	args = append([]any{"event", "security", "request_id", web.RequestID(ctx)}, args...)
	s.log.Log(ctx, slog.LevelWarn, msg, args...)
}

// loginFailed logs a wrong password (by user id) or an unknown email (by its
// digest), and the lock-out when this failure took the last place of the
// account or the address.
func (s *Service) loginFailed(ctx context.Context, u user, found bool, email, clientIP string, seat reservation) {
	who := []any{"email_digest", s.emailDigest(email)}
	reason := "unknown_email"
	if found {
		who = []any{"user_id", u.ID}
		reason = "wrong_password"
	}
	s.security(ctx, "login failed", append([]any{"reason", reason, "ip", clientIP}, who...)...)
	for i, last := range seat.last {
		if last {
			s.security(ctx, "login locked", append([]any{"reason", "too_many_failures", "scope", lockScope[i],
				"ip", clientIP, "address_key", ratelimit.AddressKey(clientIP), "window", loginWindow.String()}, who...)...)
		}
	}
}

// emailDigest identifies an email in logs without revealing it: a keyed
// hash, so the same address always gives the same digest in one deployment
// but a leaked log cannot be reversed by hashing candidate addresses.
func (s *Service) emailDigest(email string) string {
	m := hmac.New(sha256.New, s.tokens.key)
	m.Write([]byte("login-log-email:" + email))
	return hex.EncodeToString(m.Sum(nil)[:12])
}
