package identity

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

// Auth holds the gin middleware that authenticates and gates routes.
type Auth struct{ svc *Service }

// NewAuth returns the route guards backed by svc.
func NewAuth(svc *Service) Auth { return Auth{svc: svc} }

// Optional authenticates a bearer token when one is sent. A token that is
// sent but invalid is a 401 even on public routes: silently treating it as
// anonymous would hide client bugs.
func (a Auth) Optional() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		if h == "" {
			c.Next()
			return
		}
		scheme, raw, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
			web.RenderError(c, apperr.Unauthorized("Send the access token as \"Authorization: Bearer <token>\"."))
			return
		}
		actor, err := a.svc.Authenticate(c.Request.Context(), strings.TrimSpace(raw))
		if err != nil {
			web.RenderError(c, err)
			return
		}
		c.Request = c.Request.WithContext(WithActor(c.Request.Context(), actor))
		web.SetActor(c, actor.ID, actor.Email)
		c.Next()
	}
}

// RequireUser lets any logged-in account through.
func (a Auth) RequireUser() gin.HandlerFunc {
	return a.gate(func(Actor) bool { return true })
}

// RequireStaff lets staff of dept, and admins, through.
func (a Auth) RequireStaff(dept Department) gin.HandlerFunc {
	return a.gate(func(who Actor) bool { return who.IsStaffOf(dept) })
}

// RequireAnyStaff lets staff of every department, and admins, through: for
// data every department keeps, such as the holiday calendar.
func (a Auth) RequireAnyStaff() gin.HandlerFunc {
	return a.gate(func(who Actor) bool { return who.Role == RoleStaff || who.Role == RoleAdmin })
}

// RequireAdmin lets administrators through.
func (a Auth) RequireAdmin() gin.HandlerFunc {
	return a.gate(Actor.IsAdmin)
}

// gate expects Optional to have run first (it is on the /api/v1 group).
func (a Auth) gate(allowed func(Actor) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		who := ActorFrom(c.Request.Context())
		if who.Anonymous() {
			c.Header("WWW-Authenticate", `Bearer realm="solo-destination"`)
			web.RenderError(c, apperr.Unauthorized("Log in and send the access token as \"Authorization: Bearer <token>\"."))
			return
		}
		if !allowed(who) {
			web.RenderError(c, apperr.Denied("Your account may not do this."))
			return
		}
		c.Next()
	}
}
