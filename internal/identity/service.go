package identity

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/ulule/limiter/v3"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

// Options configure the identity service.
type Options struct {
	JWTSecret      []byte
	PasswordParams PasswordParams
	Now            func() time.Time // nil means time.Now
	Log            *slog.Logger
	// FamilyMaxAge is how long one login lasts however often it is
	// refreshed; zero means DefaultFamilyMaxAge.
	FamilyMaxAge time.Duration
	// LoginAttempts holds the login limit counters; nil means process memory.
	LoginAttempts limiter.Store
}

// Service implements accounts, login sessions and user administration.
type Service struct {
	db      *database.DB
	hash    *hasher
	tokens  tokenSigner
	limiter *loginLimiter
	now     func() time.Time
	log     *slog.Logger
	family  time.Duration
	pruner  pruner
	actors  *actorCache
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
	if o.FamilyMaxAge <= 0 {
		o.FamilyMaxAge = DefaultFamilyMaxAge
	}
	now := func() time.Time { return o.Now().UTC() }
	return &Service{db: db, hash: h, tokens: tokenSigner{key: o.JWTSecret, now: now},
		limiter: newLoginLimiter(o.LoginAttempts), now: now, log: o.Log, family: o.FamilyMaxAge,
		pruner: pruner{every: pruneInterval, batch: pruneBatch}, actors: newActorCache()}, nil
}

func (s *Service) store() store { return store{db: s.db.DB} }

// Session is what a successful login or refresh returns.
type Session struct {
	AccessToken  string
	RefreshToken string
	User         user
}

// Registration is what a new account is made from, already checked by the
// caller's input rules.
type Registration struct {
	Email, Password, Name, Phone string
}

// ProfileChange is what users may change about their own account; nil
// fields stay as they are.
type ProfileChange struct {
	Name, Phone   *string
	PreferredLang *Lang
}

// AccessChange is what an administrator may change about an account; nil
// fields stay as they are.
type AccessChange struct {
	Role       *Role
	Department *Department
	Disabled   *bool
}

// Names returns the display names of the given accounts, for domains that
// show who wrote something (reviews); unknown ids are left out.
func (s *Service) Names(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	var rows []struct {
		ID   uuid.UUID
		Name string
	}
	if err := s.db.WithContext(ctx).Table("users").Select("id, name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	out := make(map[uuid.UUID]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// PreferredLang returns the language ("id" or "en") an account reads in,
// for domains that write to it (notifications); an unknown id is "id".
func (s *Service) PreferredLang(ctx context.Context, id uuid.UUID) (string, error) {
	var langs []string
	if err := s.db.WithContext(ctx).Table("users").Where("id = ?", id).Limit(1).Pluck("preferred_lang", &langs).Error; err != nil {
		return "", fmt.Errorf("load preferred language: %w", err)
	}
	if len(langs) == 0 {
		return string(LangID), nil
	}
	return langs[0], nil
}

// Register creates an account with the plain user role, whatever was asked.
func (s *Service) Register(ctx context.Context, in Registration) (user, error) {
	u, err := s.createAccount(ctx, s.store(), in, RoleUser, "")
	if err != nil {
		return user{}, fmt.Errorf("register: %w", err)
	}
	return u, nil
}

// Login checks credentials under the per-account and per-address limits.
// A wrong email and a wrong password give the same error after the same work.
func (s *Service) Login(ctx context.Context, email, password, clientIP string) (Session, error) {
	seat, err := s.limiter.reserve(ctx, email, clientIP)
	if err != nil {
		return Session{}, err
	}
	u, found, err := s.store().userByEmail(ctx, email)
	if err != nil {
		seat.release(ctx)
		return Session{}, err
	}
	ok, err := s.hash.verify(ctx, password, u.PasswordHash)
	if err != nil {
		seat.release(ctx) // hashing was busy: the password was never checked
		return Session{}, err
	}
	if !ok || !found {
		s.loginFailed(ctx, u, found, email, clientIP, seat)
		return Session{}, apperr.Unauthorized("The email or password is incorrect.")
	}
	seat.release(ctx) // successes never count against anyone
	if u.Disabled {
		s.security(ctx, "login refused", "reason", "account_disabled", "user_id", u.ID, "ip", clientIP)
		return Session{}, accountDisabled()
	}
	s.pruneRefreshTokens(ctx)
	now := s.now()
	return s.startSession(ctx, s.store(), u, family{ID: uuid.Must(uuid.NewV7()), StartedAt: now})
}

func accountDisabled() error {
	return &apperr.Error{Kind: apperr.Forbidden, Code: "account_disabled", Detail: "This account has been disabled."}
}

// family is one login: every refresh token rotated from it shares its id and
// its start, which bounds how long the login lasts.
type family struct {
	ID        uuid.UUID
	StartedAt time.Time
}

func (s *Service) startSession(ctx context.Context, st store, u user, f family) (Session, error) {
	access, err := s.tokens.issue(u)
	if err != nil {
		return Session{}, err
	}
	token, hash := newRefreshToken()
	now := s.now()
	expires := now.Add(RefreshTokenTTL)
	if end := f.StartedAt.Add(s.family); end.Before(expires) {
		expires = end
	}
	err = st.insertRefresh(ctx, refreshRow{ID: uuid.Must(uuid.NewV7()), UserID: u.ID, FamilyID: f.ID,
		FamilyStartedAt: f.StartedAt, TokenHash: hash, ExpiresAt: expires, CreatedAt: now})
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: access, RefreshToken: token, User: u}, nil
}

var errInvalidRefresh = apperr.Unauthorized("The refresh token is invalid, expired or revoked; log in again.")

// Refresh spends a refresh token for a new pair (rotation). A token that was
// already spent or revoked means it leaked: the whole login is revoked. A
// login older than the family lifetime ends, however often it was refreshed.
func (s *Service) Refresh(ctx context.Context, token string) (Session, error) {
	var (
		out      Session
		refused  string // why a known token was refused, for the security log
		who, fam uuid.UUID
	)
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{db: tx}
		now := s.now()
		rt, ok, err := st.refreshByHash(ctx, hashRefreshToken(token))
		if err != nil {
			return err
		}
		if !ok || !now.Before(rt.ExpiresAt) || !now.Before(rt.FamilyStartedAt.Add(s.family)) {
			return errInvalidRefresh
		}
		who, fam = rt.UserID, rt.FamilyID
		u, err := st.userByID(ctx, rt.UserID)
		if apperr.KindOf(err) == apperr.NotFound {
			return errInvalidRefresh
		}
		if err != nil {
			return err
		}
		// Disabling revoked every token of the account: presenting one
		// afterwards is not a leak, and the answer says why.
		if u.Disabled {
			refused = "account_disabled"
			return accountDisabled()
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
			refused = "reuse"
			return st.revokeFamily(ctx, rt.FamilyID, now) // committed, then 401 below
		}
		out, err = s.startSession(ctx, st, u, family{ID: rt.FamilyID, StartedAt: rt.FamilyStartedAt})
		return err
	})
	switch refused {
	case "reuse":
		s.security(ctx, "refresh token reused", "reason", "reuse", "user_id", who, "family_id", fam, "login_revoked", err == nil)
		if err == nil {
			err = errInvalidRefresh
		}
	case "account_disabled":
		s.security(ctx, "refresh refused", "reason", "account_disabled", "user_id", who, "family_id", fam)
	}
	if err != nil {
		return Session{}, err
	}
	s.pruneRefreshTokens(ctx)
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

// Authenticate turns a bearer token into the current Actor, with role and
// status as the database holds them (read at most actorTTL ago, and again
// at once after an access change), so demotion and disabling act at once.
func (s *Service) Authenticate(ctx context.Context, raw string) (Actor, error) {
	id, err := s.tokens.parse(raw)
	if err != nil {
		return Actor{}, apperr.Unauthorized("The access token is invalid or expired.")
	}
	now := s.now()
	e, ok, gen := s.actors.get(id, now)
	if !ok {
		u, err := s.store().userByID(ctx, id)
		if apperr.KindOf(err) == apperr.NotFound {
			return Actor{}, apperr.Unauthorized("The access token is invalid or expired.")
		}
		if err != nil {
			return Actor{}, err
		}
		e = cachedActor{actor: u.actor(), disabled: u.Disabled, expires: now.Add(actorTTL)}
		s.actors.put(gen, id, e)
	}
	if e.disabled {
		return Actor{}, accountDisabled()
	}
	return e.actor, nil
}

// Broadcast makes every access change also call send, which tells the
// other replicas to forget the accounts they checked (ForgetActorsLocal).
func (s *Service) Broadcast(send func()) { s.actors.broadcast.Store(&send) }

// ForgetActorsLocal empties this replica's cache of checked accounts: what
// another replica's access change asks for.
func (s *Service) ForgetActorsLocal() { s.actors.emptyLocal() }

// Me returns the caller's own account.
func (s *Service) Me(ctx context.Context, who Actor) (user, error) {
	return s.store().userByID(ctx, who.ID)
}

// UpdateMe changes the caller's own profile fields.
func (s *Service) UpdateMe(ctx context.Context, who Actor, in ProfileChange) (user, error) {
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

// maxStaffRecipients bounds the accounts StaffOf returns: a department's
// desk, not a mailing list.
const maxStaffRecipients = 100

// StaffOf returns the enabled staff accounts of dept, read with tx, for
// domains that tell a department about something (payments owed back).
func (s *Service) StaffOf(ctx context.Context, tx *gorm.DB, dept Department) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := tx.WithContext(ctx).Table("users").Where("role = ? AND department = ? AND NOT disabled", RoleStaff, dept).
		Order("id").Limit(maxStaffRecipients).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("load staff of %s: %w", dept, err)
	}
	return ids, nil
}
