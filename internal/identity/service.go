package identity

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/web"
)

// Options configure the identity service.
type Options struct {
	JWTSecret      []byte
	PasswordParams PasswordParams
	Now            func() time.Time // nil means time.Now
	Log            *slog.Logger
}

// Service implements accounts, login sessions and user administration.
type Service struct {
	db      *database.DB
	hash    *hasher
	tokens  tokenSigner
	limiter *loginLimiter
	now     func() time.Time
	log     *slog.Logger
}

// NewService wires the identity service.
func NewService(db *database.DB, o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PasswordParams.Memory == 0 {
		o.PasswordParams = DefaultPasswordParams
	}
	h, err := newHasher(o.PasswordParams)
	if err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	now := func() time.Time { return o.Now().UTC() }
	return &Service{db: db, hash: h, tokens: tokenSigner{key: o.JWTSecret, now: now},
		limiter: newLoginLimiter(), now: now, log: o.Log}, nil
}

func (s *Service) store() store { return store{db: s.db.DB} }

// Session is what a successful login or refresh returns.
type Session struct {
	AccessToken  string
	RefreshToken string
	User         user
}

// Register creates an account with the plain user role, whatever was asked.
func (s *Service) Register(ctx context.Context, in registerRequest) (user, error) {
	u, err := s.createAccount(ctx, s.store(), in, RoleUser, "")
	if err != nil {
		return user{}, fmt.Errorf("register: %w", err)
	}
	return u, nil
}

// Login checks credentials under the per-account and per-address limits.
// A wrong email and a wrong password give the same error after the same work.
func (s *Service) Login(ctx context.Context, email, password, clientIP string) (Session, error) {
	if err := s.limiter.check(ctx, email, clientIP); err != nil {
		return Session{}, err
	}
	u, found, err := s.store().userByEmail(ctx, email)
	if err != nil {
		return Session{}, err
	}
	ok, err := s.hash.verify(ctx, password, u.PasswordHash)
	if err != nil {
		return Session{}, err
	}
	if !ok || !found {
		s.limiter.fail(ctx, email, clientIP)
		return Session{}, apperr.Unauthorized("The email or password is incorrect.")
	}
	if u.Disabled {
		return Session{}, accountDisabled()
	}
	s.limiter.succeed(ctx, email)
	return s.startSession(ctx, s.store(), u, uuid.Must(uuid.NewV7()))
}

func accountDisabled() error {
	return &apperr.Error{Kind: apperr.Forbidden, Code: "account_disabled", Detail: "This account has been disabled."}
}

func (s *Service) startSession(ctx context.Context, st store, u user, family uuid.UUID) (Session, error) {
	access, err := s.tokens.issue(u)
	if err != nil {
		return Session{}, err
	}
	token, hash := newRefreshToken()
	now := s.now()
	err = st.insertRefresh(ctx, refreshRow{ID: uuid.Must(uuid.NewV7()), UserID: u.ID, FamilyID: family,
		TokenHash: hash, ExpiresAt: now.Add(RefreshTokenTTL), CreatedAt: now})
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: access, RefreshToken: token, User: u}, nil
}

var errInvalidRefresh = apperr.Unauthorized("The refresh token is invalid, expired or revoked; log in again.")

// Refresh spends a refresh token for a new pair (rotation). A token that was
// already spent or revoked means it leaked: the whole login is revoked.
func (s *Service) Refresh(ctx context.Context, token string) (Session, error) {
	var (
		out    Session
		reused bool
	)
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{db: tx}
		now := s.now()
		rt, ok, err := st.refreshByHash(ctx, hashRefreshToken(token))
		if err != nil {
			return err
		}
		if !ok || now.After(rt.ExpiresAt) {
			return errInvalidRefresh
		}
		spent := rt.UsedAt != nil || rt.RevokedAt != nil
		if !spent {
			won, err := st.markUsed(ctx, rt.ID, now)
			if err != nil {
				return err
			}
			spent = !won
		}
		if spent {
			reused = true
			return st.revokeFamily(ctx, rt.FamilyID, now) // committed, then 401 below
		}
		u, err := st.userByID(ctx, rt.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return accountDisabled()
		}
		out, err = s.startSession(ctx, st, u, rt.FamilyID)
		return err
	})
	if err != nil {
		return Session{}, err
	}
	if reused {
		s.log.WarnContext(ctx, "refresh token reused; login revoked", "request_id", web.RequestID(ctx))
		return Session{}, errInvalidRefresh
	}
	return out, nil
}

// Logout revokes every refresh token of the login the token belongs to.
// Unknown tokens are ignored, so logging out twice is harmless.
func (s *Service) Logout(ctx context.Context, token string) error {
	st := s.store()
	rt, ok, err := st.refreshByHash(ctx, hashRefreshToken(token))
	if err != nil || !ok {
		return err
	}
	return st.revokeFamily(ctx, rt.FamilyID, s.now())
}

// Authenticate turns a bearer token into the current Actor, reading role and
// status from the database so demotion and disabling act at once.
func (s *Service) Authenticate(ctx context.Context, raw string) (Actor, error) {
	id, err := s.tokens.parse(raw)
	if err != nil {
		return Actor{}, apperr.Unauthorized("The access token is invalid or expired.")
	}
	u, err := s.store().userByID(ctx, id)
	if apperr.KindOf(err) == apperr.NotFound {
		return Actor{}, apperr.Unauthorized("The access token is invalid or expired.")
	}
	if err != nil {
		return Actor{}, err
	}
	if u.Disabled {
		return Actor{}, accountDisabled()
	}
	return u.actor(), nil
}

// Me returns the caller's own account.
func (s *Service) Me(ctx context.Context, who Actor) (user, error) {
	return s.store().userByID(ctx, who.ID)
}

// UpdateMe changes the caller's own profile fields.
func (s *Service) UpdateMe(ctx context.Context, who Actor, in updateMeRequest) (user, error) {
	st := s.store()
	u, err := st.userByID(ctx, who.ID)
	if err != nil {
		return user{}, err
	}
	if in.Name != nil {
		u.Name = *in.Name
	}
	if in.Phone != nil {
		u.Phone = *in.Phone
	}
	if in.PreferredLang != nil {
		u.PreferredLang = *in.PreferredLang
	}
	u.UpdatedAt = s.now()
	return u, st.updateProfile(ctx, u)
}
