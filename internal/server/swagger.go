package server

import (
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"

	"github.com/solodestination/api/docs"
)

var (
	specOnce sync.Once
	specJSON []byte
)

// Spec returns the generated Swagger document. swag's ReadDoc rewrites the
// shared spec on every call (a data race under concurrent requests), so it is
// rendered once and the bytes are served from then on.
func Spec() []byte {
	specOnce.Do(func() { specJSON = []byte(docs.SwaggerInfo.ReadDoc()) })
	return specJSON
}

// swaggerCSP lets Swagger UI run from its own files and nothing else: no
// inline or remote scripts (gin-swagger loads its initializer from a file),
// its icons as data: images, "Try it out" calls to this origin only. The one
// inline style attribute of gin-swagger's index.html (the hidden SVG sprite,
// "position:absolute;width:0;height:0") is allowed by its hash.
const swaggerCSP = "default-src 'none'; script-src 'self'; " +
	"style-src 'self' 'unsafe-hashes' 'sha256-ezdv1bOGcoOD7FKudKN0Y2Mb763O6qVtM8LT2mtanIU='; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// swaggerUI serves Swagger UI, with /swagger/doc.json from Spec.
func swaggerUI() gin.HandlerFunc {
	ui := ginSwagger.WrapHandler(swaggerFiles.Handler)
	return func(c *gin.Context) {
		c.Header("Content-Security-Policy", swaggerCSP)
		if c.Param("any") == "/doc.json" {
			c.Header("Cache-Control", "no-cache")
			c.Data(http.StatusOK, "application/json; charset=utf-8", Spec())
			return
		}
		ui(c)
	}
}
