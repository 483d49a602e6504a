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

// swaggerUI serves Swagger UI, with /swagger/doc.json from Spec.
func swaggerUI() gin.HandlerFunc {
	ui := ginSwagger.WrapHandler(swaggerFiles.Handler)
	return func(c *gin.Context) {
		if c.Param("any") == "/doc.json" {
			c.Header("Cache-Control", "no-cache")
			c.Data(http.StatusOK, "application/json; charset=utf-8", Spec())
			return
		}
		ui(c)
	}
}
