package server

import (
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/web"

	_ "github.com/solodestination/api/docs" // registers the generated spec
)

// addRoutes shows the whole API, its guards and its handlers on one screen.
func addRoutes(r *gin.Engine, d Deps, reg *prometheus.Registry) {
	r.GET("/healthz", healthz)
	r.GET("/readyz", web.Handle(readyz(d)))
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})))
	r.GET("/swagger/*any", ginSwagger.WrapHandler(swaggerFiles.Handler))

	auth := identity.NewAuth(d.Identity)
	v1 := r.Group("/api/v1", auth.Optional())

	v1.POST("/auth/register", web.Handle(identity.Register(d.Identity)))
	v1.POST("/auth/login", web.Handle(identity.Login(d.Identity)))
	v1.POST("/auth/refresh", web.Handle(identity.Refresh(d.Identity)))
	v1.POST("/auth/logout", web.Handle(identity.Logout(d.Identity)))

	user := v1.Group("", auth.RequireUser())
	user.GET("/me", web.Handle(identity.GetMe(d.Identity)))
	user.PATCH("/me", web.Handle(identity.PatchMe(d.Identity)))

	admin := v1.Group("/admin", auth.RequireAdmin())
	admin.GET("/users", web.Handle(identity.ListUsers(d.Identity, d.Cursor)))
	admin.PATCH("/users/:id", web.Handle(identity.PatchUser(d.Identity)))
	admin.GET("/audit-log", web.Handle(audit.List(d.DB.DB, d.Cursor)))
}
