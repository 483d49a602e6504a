package server

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"sync"

	"github.com/gin-gonic/gin"
	swaggerFiles "github.com/swaggo/files/v2"
	ginSwagger "github.com/swaggo/gin-swagger"
	"golang.org/x/net/webdav"

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
	files := &webdav.Handler{FileSystem: readOnlyFS{http.FS(swaggerFiles.FS)}, LockSystem: webdav.NewMemLS()}
	return ginSwagger.WrapHandler(files, ginSwagger.URL("/openapi.json"))
})

// readOnlyFS serves Swagger UI's embedded files through the webdav file
// system gin-swagger's handler reads. The files stay in the binary's
// read-only data until asked for; the first version of the files package
// copied all 10 MB of them into the heap at start-up, a third of the idle
// process's memory.
type readOnlyFS struct{ files http.FileSystem }

func (r readOnlyFS) OpenFile(_ context.Context, name string, flag int, _ os.FileMode) (webdav.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC|os.O_APPEND) != 0 {
		return nil, fs.ErrPermission
	}
	f, err := r.files.Open(name)
	if err != nil {
		return nil, err
	}
	return readOnlyFile{f}, nil
}

func (r readOnlyFS) Stat(ctx context.Context, name string) (os.FileInfo, error) {
	f, err := r.files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Stat()
}

func (readOnlyFS) Mkdir(context.Context, string, os.FileMode) error { return fs.ErrPermission }
func (readOnlyFS) RemoveAll(context.Context, string) error          { return fs.ErrPermission }
func (readOnlyFS) Rename(context.Context, string, string) error     { return fs.ErrPermission }

type readOnlyFile struct{ http.File }

func (readOnlyFile) Write([]byte) (int, error) { return 0, fs.ErrPermission }

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
