package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	apispec "github.com/solodestination/api/api"
	"github.com/solodestination/api/internal/apitest"
)

var ginParam = regexp.MustCompile(`[:*][A-Za-z_]+`)

// TestSpecMatchesRouter fails when a served route is missing from
// api/openapi.yaml, or the document lists a route the router does not
// serve. Templated paths are expanded by their enums ({kind} is
// attractions, culinary or events), so one documented path stands for the
// router's concrete ones.
func TestSpecMatchesRouter(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)

	served := map[string]bool{}
	for _, r := range api.Engine.Routes() {
		if strings.HasPrefix(r.Path, "/swagger/") || r.Path == "/console" || strings.HasPrefix(r.Path, "/console/") {
			continue // the documentation UI and the staff console, pages rather than API operations
		}
		served[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{}")] = true
	}
	ops, err := apitest.DocumentedOperations()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, op := range ops {
		documented[op] = true
	}

	var missing, stale []string
	for r := range served {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !served[r] {
			stale = append(stale, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("served but not in api/openapi.yaml (add swag annotations, run make docs):\n  %s", strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("in api/openapi.yaml but not served:\n  %s", strings.Join(stale, "\n  "))
	}
}

// TestOpenAPIDocument holds api/openapi.yaml to what generated clients
// need: valid OpenAPI 3, a unique operationId and a declared tag on every
// operation, and on every /api/v1 operation the platform's answers (429
// with RateLimit-* headers, 503 with Retry-After, 414, 500).
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	doc, err := apitest.Spec()
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Errorf("servers = %v, want one: /api/v1", doc.Servers)
	}
	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		if tag.Description == "" {
			t.Errorf("tag %q has no description", tag.Name)
		}
		tags[tag.Name] = true
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		infra := len(item.Servers) > 0
		if infra && item.Servers[0].URL != "/" {
			t.Errorf("%s: path-level server %q, want /", path, item.Servers[0].URL)
		}
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", where)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %s also used by %s", where, op.OperationID, prev)
			}
			ids[op.OperationID] = where
			if len(op.Tags) == 0 {
				t.Errorf("%s: no tag", where)
			}
			for _, tag := range op.Tags {
				if !tags[tag] {
					t.Errorf("%s: tag %q is not declared at the top level", where, tag)
				}
			}
			for code, resp := range op.Responses.Map() {
				if code >= "400" && resp.Value != nil && resp.Value.Content != nil && resp.Value.Content.Get("application/json") != nil &&
					resp.Value.Content.Get("application/problem+json") == nil {
					t.Errorf("%s: %s is declared application/json; problems are application/problem+json", where, code)
				}
			}
			if infra {
				continue
			}
			for _, code := range []int{401, 414, 429, 500, 503} {
				if op.Responses.Status(code) == nil {
					t.Errorf("%s: %d is not documented", where, code)
				}
			}
			if r := op.Responses.Status(429); r != nil && r.Value.Headers["Retry-After"] == nil {
				t.Errorf("%s: 429 without Retry-After", where)
			}
			if r := op.Responses.Status(503); r != nil && r.Value.Headers["Retry-After"] == nil {
				t.Errorf("%s: 503 without Retry-After", where)
			}
			for code, r := range op.Responses.Map() {
				if r.Value.Headers["RateLimit-Remaining"] == nil {
					t.Errorf("%s: %s response without RateLimit-* headers", where, code)
				}
			}
		}
	}
}

// TestServedOpenAPI checks that /openapi.yaml is api/openapi.yaml byte for
// byte and /openapi.json the same document, and that the Swagger 2 document
// at /swagger/doc.json avoids what strict validators reject.
func TestServedOpenAPI(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)

	committed, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, apispec.YAML) {
		t.Fatal("the embedded description differs from api/openapi.yaml")
	}
	y := api.Get("/openapi.yaml", apitest.Anonymous).Expect(http.StatusOK)
	if !bytes.Equal(y.Body, committed) {
		t.Error("GET /openapi.yaml differs from api/openapi.yaml")
	}
	if ct := y.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/yaml") {
		t.Errorf("GET /openapi.yaml: Content-Type %q", ct)
	}
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/openapi.yaml", Header: map[string]string{"If-None-Match": y.Header.Get("ETag")}}).
		Expect(http.StatusNotModified)

	j := api.Get("/openapi.json", apitest.Anonymous).Expect(http.StatusOK)
	var fromJSON, fromYAML any
	if err := json.Unmarshal(j.Body, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(committed, &fromYAML); err != nil {
		t.Fatal(err)
	}
	if a, b := canonical(t, fromJSON), canonical(t, fromYAML); a != b {
		t.Error("GET /openapi.json is not the document of api/openapi.yaml")
	}
	if _, err := openapi3.NewLoader().LoadFromData(j.Body); err != nil {
		t.Errorf("GET /openapi.json does not load: %v", err)
	}

	swagger := api.Get("/swagger/doc.json", apitest.Anonymous).Expect(http.StatusOK)
	var v2 struct {
		Host     *string `json:"host"`
		BasePath string  `json:"basePath"`
		Paths    map[string]map[string]struct {
			Parameters []map[string]any `json:"parameters"`
		} `json:"paths"`
	}
	swagger.JSON(&v2)
	if v2.Host != nil && *v2.Host == "" {
		t.Error(`/swagger/doc.json has "host": "", which Swagger 2 forbids`)
	}
	if v2.BasePath != "/api/v1" {
		t.Errorf("/swagger/doc.json basePath %q, want /api/v1", v2.BasePath)
	}
	for path, ops := range v2.Paths {
		for method, op := range ops {
			for _, p := range op.Parameters {
				if _, ok := p["example"]; ok && p["in"] != "body" {
					t.Errorf("/swagger/doc.json %s %s: parameter %v has an example, which Swagger 2 allows only in schemas", method, path, p["name"])
				}
			}
		}
	}
}

func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
