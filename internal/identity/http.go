package identity

import (
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// Password length bounds. The upper bound keeps hashing cost predictable.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

var phonePattern = regexp.MustCompile(`^\+?[0-9]{8,15}$`)

type registerRequest struct {
	Email    string `json:"email" binding:"required,email,max=254" example:"sari@example.com" maxLength:"254" format:"email"`
	Password string `json:"password" binding:"required" text:"secret" minLength:"10" maxLength:"128" example:"kain-batik-2026"`
	Name     string `json:"name" binding:"required,max=100" example:"Sari Wulandari" minLength:"1" maxLength:"100"`
	Phone    string `json:"phone,omitempty" maxLength:"64" extensions:"x-pattern=phone" example:"+6281234567890"`
} // @name RegisterRequest

func (r *registerRequest) Normalize() {
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	r.Name = strings.TrimSpace(r.Name)
	r.Phone = normalizePhone(r.Phone)
}

func (r *registerRequest) Validate() map[string]string {
	p := map[string]string{}
	if n := utf8.RuneCountInString(r.Password); n < MinPasswordLen {
		p["password"] = "must be at least 10 characters"
	} else if n > MaxPasswordLen {
		p["password"] = "must be at most 128 characters"
	}
	if r.Phone != "" && !phonePattern.MatchString(r.Phone) {
		p["phone"] = "must be a phone number of 8 to 15 digits, optionally starting with +"
	}
	return p
}

func (r *registerRequest) registration() Registration {
	return Registration{Email: r.Email, Password: r.Password, Name: r.Name, Phone: r.Phone}
}

func normalizePhone(s string) string {
	return strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(strings.TrimSpace(s))
}

type loginRequest struct {
	Email    string `json:"email" binding:"required,max=254" example:"user@example.com" minLength:"1" maxLength:"254"`
	Password string `json:"password" binding:"required,max=128" text:"secret" example:"solo-demo-2026" minLength:"1" maxLength:"128"`
} // @name LoginRequest

func (r *loginRequest) Normalize() { r.Email = strings.ToLower(strings.TrimSpace(r.Email)) }

type refreshRequest struct {
	RefreshToken string `json:"refresh_token" binding:"required,max=256" example:"mB3k0x2y…" minLength:"1" maxLength:"256"`
} // @name RefreshRequest

type updateMeRequest struct {
	Name          *string `json:"name,omitempty" binding:"omitempty,min=1,max=100" example:"Sari W." minLength:"1" maxLength:"100"`
	Phone         *string `json:"phone,omitempty" maxLength:"64" extensions:"x-pattern=phone" example:"+6281234567890"`
	PreferredLang *Lang   `json:"preferred_lang,omitempty" enums:"id,en" swaggertype:"string" example:"en"`
} // @name UpdateMeRequest

func (r *updateMeRequest) Normalize() {
	if r.Name != nil {
		n := strings.TrimSpace(*r.Name)
		r.Name = &n
	}
	if r.Phone != nil {
		p := normalizePhone(*r.Phone)
		r.Phone = &p
	}
}

func (r *updateMeRequest) Validate() map[string]string {
	if r.Phone != nil && *r.Phone != "" && !phonePattern.MatchString(*r.Phone) {
		return map[string]string{"phone": "must be a phone number of 8 to 15 digits, optionally starting with +"}
	}
	return nil
}

type updateUserRequest struct {
	Role       *Role       `json:"role,omitempty" enums:"user,staff,admin" swaggertype:"string" example:"staff"`
	Department *Department `json:"department,omitempty" enums:"tourism,transport,revenue,licensing" swaggertype:"string" example:"tourism"`
	Disabled   *bool       `json:"disabled,omitempty" example:"false"`
} // @name UpdateUserRequest

type userResponse struct {
	ID            uuid.UUID `json:"id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Email         string    `json:"email" example:"sari@example.com" maxLength:"254"`
	Name          string    `json:"name" example:"Sari Wulandari" maxLength:"100"`
	Phone         string    `json:"phone" example:"+6281234567890" maxLength:"16"`
	PreferredLang string    `json:"preferred_lang" enums:"id,en" example:"id"`
	Role          string    `json:"role" enums:"user,staff,admin" example:"user"`
	Department    *string   `json:"department" enums:"tourism,transport,revenue,licensing" example:"tourism" extensions:"x-nullable"`
	Disabled      bool      `json:"disabled" example:"false"`
	CreatedAt     time.Time `json:"created_at" format:"date-time" maxLength:"35"`
	UpdatedAt     time.Time `json:"updated_at" format:"date-time" maxLength:"35"`
} // @name User

func toUserResponse(u user) userResponse {
	r := userResponse{ID: u.ID, Email: u.Email, Name: u.Name, Phone: u.Phone, PreferredLang: string(u.PreferredLang),
		Role: string(u.Role), Disabled: u.Disabled, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
	if u.Department != "" {
		d := string(u.Department)
		r.Department = &d
	}
	return r
}

type tokenResponse struct {
	AccessToken  string       `json:"access_token" example:"eyJhbGciOiJIUzI1NiIs…" maxLength:"4096"`
	TokenType    string       `json:"token_type" example:"Bearer" enums:"Bearer" maxLength:"6"`
	ExpiresIn    int          `json:"expires_in" example:"900" format:"int32" minimum:"1" maximum:"86400"`
	RefreshToken string       `json:"refresh_token" example:"mB3k0x2y…" maxLength:"256"`
	User         userResponse `json:"user"`
} // @name TokenPair

func toTokenResponse(s Session) tokenResponse {
	return tokenResponse{AccessToken: s.AccessToken, TokenType: "Bearer", ExpiresIn: int(AccessTokenTTL.Seconds()),
		RefreshToken: s.RefreshToken, User: toUserResponse(s.User)}
}

type userList struct {
	Data []userResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta   `json:"meta"`
} // @name UserList

// Register handles POST /api/v1/auth/register.
//
//	@Summary		Create an account
//	@ID				register
//	@Description	Creates a tourist or resident account with the `user` role. Any `role` or `department` in the body is ignored.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		registerRequest	true	"New account"
//	@Success		201		{object}	userResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		409		{object}	problem.Problem	"email already registered"
//	@Failure		415		{object}	problem.Problem	"body is not JSON"
//	@Failure		422		{object}	problem.Problem	"validation failed"
//	@Router			/auth/register [post]
func Register(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in registerRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		u, err := svc.Register(c.Request.Context(), in.registration())
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toUserResponse(u))
		return nil
	}
}

// Login handles POST /api/v1/auth/login.
//
//	@Summary		Log in
//	@ID				login
//	@Description	Returns a 15-minute access token and a refresh token. A wrong email and a wrong password give the same 401. After 10 failures for one account, or 30 from one address, within 15 minutes: 429 with Retry-After. While the shared limit store (Redis) is unreachable: 503 with Retry-After, never an unlimited attempt.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		loginRequest	true	"Credentials"
//	@Success		200		{object}	tokenResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem	"wrong email or password"
//	@Failure		403		{object}	problem.Problem	"account disabled (code account_disabled)"
//	@Failure		422		{object}	problem.Problem
//	@Failure		429		{object}	problem.Problem	"too many failed logins"
//	@Router			/auth/login [post]
func Login(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in loginRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		s, err := svc.Login(c.Request.Context(), in.Email, in.Password, c.ClientIP())
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, toTokenResponse(s))
		return nil
	}
}

// Refresh handles POST /api/v1/auth/refresh.
//
//	@Summary		Rotate tokens
//	@ID				refreshTokens
//	@Description	Spends the refresh token for a new pair. Presenting a token that was already spent revokes every token of that login. A login lasts at most 90 days (REFRESH_FAMILY_MAX_AGE) however often it is refreshed; then log in again. The Authorization header is ignored here and on the other auth endpoints.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		refreshRequest	true	"Refresh token"
//	@Success		200		{object}	tokenResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem	"invalid, expired, revoked or reused"
//	@Failure		403		{object}	problem.Problem	"account disabled by an administrator (code account_disabled)"
//	@Failure		422		{object}	problem.Problem
//	@Router			/auth/refresh [post]
func Refresh(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in refreshRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		s, err := svc.Refresh(c.Request.Context(), in.RefreshToken)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, toTokenResponse(s))
		return nil
	}
}

// Logout handles POST /api/v1/auth/logout.
//
//	@Summary		Log out
//	@ID				logout
//	@Description	Revokes every refresh token of the login the token belongs to. Idempotent.
//	@Tags			auth
//	@Accept			json
//	@Param			body	body	refreshRequest	true	"Refresh token"
//	@Success		204
//	@Failure		400	{object}	problem.Problem
//	@Failure		422	{object}	problem.Problem
//	@Router			/auth/logout [post]
func Logout(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in refreshRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		if err := svc.Logout(c.Request.Context(), in.RefreshToken); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// GetMe handles GET /api/v1/me.
//
//	@Summary	Your profile
//	@ID			getMe
//	@Tags		me
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	userResponse
//	@Failure	401	{object}	problem.Problem
//	@Router		/me [get]
func GetMe(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		u, err := svc.Me(ctx, ActorFrom(ctx))
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toUserResponse(u))
		return nil
	}
}

// PatchMe handles PATCH /api/v1/me.
//
//	@Summary	Update your profile
//	@ID			updateMe
//	@Tags		me
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		body	body		updateMeRequest	true	"Fields to change"
//	@Success	200		{object}	userResponse
//	@Failure	400		{object}	problem.Problem	"malformed JSON or unknown preferred_lang"
//	@Failure	401		{object}	problem.Problem
//	@Failure	422		{object}	problem.Problem
//	@Router		/me [patch]
func PatchMe(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in updateMeRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		u, err := svc.UpdateMe(ctx, ActorFrom(ctx), ProfileChange{Name: in.Name, Phone: in.Phone, PreferredLang: in.PreferredLang})
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toUserResponse(u))
		return nil
	}
}

// ListUsers handles GET /api/v1/admin/users.
//
//	@Summary	List accounts
//	@ID			listUsers
//	@Tags		admin
//	@Produce	json
//	@Security	BearerAuth
//	@Param		q		query		string	false	"Part of the email or name"			maxLength(4096)
//	@Param		role	query		string	false	"Only this role"					Enums(user, staff, admin)
//	@Param		limit	query		int		false	"Page size"							format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param		cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success	200		{object}	userList
//	@Failure	400		{object}	problem.Problem
//	@Failure	401		{object}	problem.Problem
//	@Failure	403		{object}	problem.Problem
//	@Router		/admin/users [get]
func ListUsers(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		f := userFilter{Query: strings.TrimSpace(c.Query("q")), Role: Role(c.Query("role"))}
		if f.Role != "" && !f.Role.Valid() {
			return apperr.BadRequest("role must be user, staff or admin.")
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("users", f.Query, string(f.Role)))
		if err != nil {
			return err
		}
		f.Limit = page.Limit
		if page.After != nil {
			f.After = *page.After
		}
		users, total, more, err := svc.ListUsers(c.Request.Context(), f)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, users, more, func(u user) uuid.UUID { return u.ID }, toUserResponse)
		if err != nil {
			return err
		}
		out.Meta.Total = &total
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, userList(out))
		return nil
	}
}

// PatchUser handles PATCH /api/v1/admin/users/{id}.
//
//	@Summary		Change a user's role, department or status
//	@ID				updateUser
//	@Description	Staff need a department; other roles have none. Disabling revokes the user's refresh tokens at once and their access tokens stop working at the next request.
//	@Tags			admin
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"User ID"	format(uuid)	maxLength(36)
//	@Param			body	body		updateUserRequest	true	"Fields to change"
//	@Success		200		{object}	userResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON or unknown role/department"
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem	"changing your own role or disabling yourself"
//	@Failure		422		{object}	problem.Problem
//	@Router			/admin/users/{id} [patch]
func PatchUser(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in updateUserRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		u, err := svc.UpdateAccess(ctx, ActorFrom(ctx), id, AccessChange{Role: in.Role, Department: in.Department, Disabled: in.Disabled})
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toUserResponse(u))
		return nil
	}
}
