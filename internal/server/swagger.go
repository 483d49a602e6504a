package server

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"

	apispec "github.com/solodestination/api/api"
	"github.com/solodestination/api/docs"
	"github.com/solodestination/api/internal/platform/web"
)

var (
	specOnce sync.Once
	specJSON []byte
)

// Spec returns the generated Swagger 2 document as served at
// /swagger/doc.json. swag's ReadDoc rewrites the shared spec on every call
// (a data race under concurrent requests), so it is rendered once and the
// bytes are served from then on. swag's template always writes a "host";
// an empty one is invalid Swagger 2, and leaving it out means "the host
// that served the document", which is what Swagger UI needs behind a proxy.
func Spec() []byte {
	specOnce.Do(func() {
		raw := []byte(docs.SwaggerInfo.ReadDoc())
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			panic("docs: generated Swagger document is not JSON: " + err.Error())
		}
		if h, ok := doc["host"].(string); ok && h == "" {
			delete(doc, "host")
		}
		out, err := json.Marshal(doc)
		if err != nil {
			panic(err)
		}
		specJSON = out
	})
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

// swaggerUI serves Swagger UI, with /swagger/doc.json from Spec. The UI
// shows the OpenAPI 3 description, which says more than Swagger 2 can (the
// bearer scheme, infrastructure routes, localised fields).
//
// gin-swagger's handler writes the shared swaggerFiles.Handler on its first
// request, so every engine (tests build many) shares one wrapper: one
// sync.Once guards that write.
func swaggerUI() gin.HandlerFunc {
	ui := swaggerFilesUI()
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

var swaggerFilesUI = sync.OnceValue(func() gin.HandlerFunc {
	return ginSwagger.WrapHandler(swaggerFiles.Handler, ginSwagger.URL("/openapi.json"))
})

// openAPI serves the OpenAPI 3 description, api/openapi.yaml as embedded in
// the binary, as YAML or as the same document in JSON.
// The JSON form is converted once per process; TestServedOpenAPI proves the
// embedded YAML converts.
func openAPI(contentType string) gin.HandlerFunc {
	body := apispec.YAML
	if contentType == "application/json" {
		var err error
		if body, err = apispec.JSON(); err != nil {
			return web.Handle(func(*gin.Context) error { return err })
		}
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-cache")
		c.Header("ETag", etag)
		if web.ETagMatches(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, contentType+"; charset=utf-8", body)
	}
}
