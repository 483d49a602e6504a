// Command oas3 converts the generated Swagger 2 spec (docs/swagger.json) to
// OpenAPI 3 (api/openapi.yaml), the description clients generate SDKs from,
// and says what Swagger 2 cannot: a bearer scheme, the infrastructure routes
// at the server root, the responses every operation gets from the platform
// middleware (platform.yaml), localised fields as string-or-object and
// problem documents as application/problem+json. The result is validated
// before it is written.
//
//	go run ./cmd/oas3 [-in docs/swagger.json] [-out api/openapi.yaml]
//	go run ./cmd/oas3 -validate api/openapi.yaml
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

//go:embed platform.yaml
var platformYAML []byte

func main() {
	in := flag.String("in", "docs/swagger.json", "Swagger 2 input")
	out := flag.String("out", "api/openapi.yaml", "OpenAPI 3 output")
	check := flag.String("validate", "", "only load and validate this OpenAPI 3 file")
	flag.Parse()
	if *check != "" {
		if err := validateFile(*check); err != nil {
			fmt.Fprintln(os.Stderr, "oas3:", err)
			os.Exit(1)
		}
		fmt.Println(*check, "is a valid OpenAPI 3 document")
		return
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "oas3:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	doc, err := convert(raw)
	if err != nil {
		return err
	}
	return os.WriteFile(out, doc, 0o644)
}

// validateFile loads an OpenAPI 3 file with kin-openapi and validates it.
func validateFile(path string) error {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// convert returns the OpenAPI 3 YAML of a Swagger 2 JSON document.
func convert(swagger2 []byte) ([]byte, error) {
	var v2 openapi2.T
	if err := json.Unmarshal(swagger2, &v2); err != nil {
		return nil, fmt.Errorf("parse swagger 2: %w", err)
	}
	v3, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	var platform fragment
	if err := yamlToJSONInto(platformYAML, &platform); err != nil {
		return nil, fmt.Errorf("platform.yaml: %w", err)
	}

	v3.Servers = openapi3.Servers{{
		URL:         "/api/v1",
		Description: "The API on the host that serves this document (production, staging or local alike); infrastructure routes override it with the server root.",
		Extensions:  map[string]any{"x-internal": false},
	}}
	// Swagger 2 has no bearer scheme; OpenAPI 3 does, and generated clients
	// then send "Authorization: Bearer <token>" themselves.
	if s, ok := v3.Components.SecuritySchemes["BearerAuth"]; ok && s.Value != nil {
		s.Value = openapi3.NewJWTSecurityScheme().WithDescription(s.Value.Description)
	}
	for _, item := range v3.Paths.Map() {
		for _, op := range item.Operations() {
			problemMediaType(op)
			documentMediaTypes(op)
			addPlatformResponses(op)
		}
	}
	localisedFields(v3)
	arrayResponseLimits(v3)
	requiredResponseFields(v3)
	if err := namedPatterns(v3, platform.Patterns); err != nil {
		return nil, err
	}
	if err := mergePlatform(v3, platform); err != nil {
		return nil, err
	}
	sharedHeaders(v3)
	return render(v3)
}

// fragment is the shape of platform.yaml: paths at the server root and
// components shared with the API's operations.
type fragment struct {
	Patterns   map[string]string             `json:"patterns"`
	Paths      map[string]*openapi3.PathItem `json:"paths"`
	Components openapi3.Components           `json:"components"`
}

// problemMediaType declares error responses as problem documents, the media
// type web.RenderError sends (swag can only say application/json, or an
// operation's @Produce type such as application/pdf, for every response).
func problemMediaType(op *openapi3.Operation) {
	for code, resp := range op.Responses.Map() {
		if len(code) == 3 && code >= "400" && resp.Value != nil {
			for name, mt := range resp.Value.Content {
				if name == "application/json" || (mt != nil && mt.Schema != nil && strings.HasSuffix(mt.Schema.Ref, "/Problem")) {
					delete(resp.Value.Content, name)
					resp.Value.Content["application/problem+json"] = mt
				}
			}
		}
	}
}

// documentMediaTypes gives a success response that an operation offers as
// JSON and as a document (@Produce json,application/pdf: the same resource,
// chosen by Accept) a binary schema for the document type; swag repeats the
// JSON schema under every type.
func documentMediaTypes(op *openapi3.Operation) {
	for code, resp := range op.Responses.Map() {
		if len(code) != 3 || code >= "300" || resp.Value == nil {
			continue
		}
		if _, ok := resp.Value.Content["application/json"]; !ok {
			continue
		}
		for name, mt := range resp.Value.Content {
			if name == "application/pdf" && mt != nil {
				mt.Schema = openapi3.NewSchemaRef("", openapi3.NewStringSchema().WithFormat("binary"))
			}
		}
	}
}

// addPlatformResponses documents what the middleware in front of every
// /api/v1 handler may answer, once, so no handler has to repeat it: rate
// limits (429, and RateLimit-* on every response), overlong query strings
// (414), path segments or query values with forbidden characters (400),
// bodies too large, of another media type or not JSON (413, 415, 400), a sent but invalid bearer token (401, also on public operations)
// or one of a disabled account (403), the database deadline (503) and
// unexpected failures (500).
func addPlatformResponses(op *openapi3.Operation) {
	add := func(code int, name string) {
		if op.Responses.Status(code) == nil {
			op.Responses.Set(fmt.Sprint(code), &openapi3.ResponseRef{Ref: "#/components/responses/" + name})
		}
	}
	add(400, "BadRequest") // web.CleanURL checks every path and query value
	if op.RequestBody != nil {
		add(413, "PayloadTooLarge")
		add(415, "UnsupportedMediaType")
	}
	add(401, "InvalidToken")
	add(403, "AccountDisabled")
	add(414, "URITooLong")
	add(429, "TooManyRequests")
	add(500, "InternalError")
	add(503, "Unavailable")
	for code, resp := range op.Responses.Map() {
		if resp.Ref != "" || resp.Value == nil {
			continue
		}
		if resp.Value.Headers == nil {
			resp.Value.Headers = openapi3.Headers{}
		}
		headers := []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-Request-ID", "Access-Control-Allow-Origin"}
		if code == "429" || code == "503" {
			headers = append(headers, "Retry-After") // web.RenderError sends it with both
		}
		for _, h := range headers {
			if _, ok := resp.Value.Headers[h]; !ok {
				resp.Value.Headers[h] = &openapi3.HeaderRef{Ref: "#/components/headers/" + h}
			}
		}
	}
	// The handlers read an empty query value as an absent one.
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && !p.Value.Required {
			p.Value.AllowEmptyValue = true
		}
	}
	// Public operations take a bearer token when one is sent (staff then see
	// drafts); say so, so generated clients may send it.
	if op.Security == nil {
		op.Security = &openapi3.SecurityRequirements{{}, {"BearerAuth": {}}}
	}
}

// localisedFields gives every property marked x-localized (its value is the
// longest string in one language) its real type: a
// string in the language asked for, or the {id, en} object with ?lang=all
// and in create and update responses. Swagger 2 has no oneOf, so there the
// property stays untyped.
func localisedFields(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.SchemaRef)
	walk = func(s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		seen[s.Value] = true
		for _, p := range s.Value.Properties {
			if p.Value != nil && p.Value.Extensions["x-localized"] != nil {
				desc := p.Value.Description
				var maxLen *uint64
				if n, err := strconv.ParseUint(fmt.Sprint(p.Value.Extensions["x-localized"]), 10, 64); err == nil {
					maxLen = &n
				}
				p.Value = &openapi3.Schema{
					Description: desc,
					OneOf: openapi3.SchemaRefs{
						{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: maxLen, Description: "In the language of Content-Language."}},
						{Ref: "#/components/schemas/LocalizedText"},
					},
				}
				continue
			}
			walk(p)
		}
		walk(s.Value.Items)
		for _, x := range s.Value.AllOf {
			walk(x)
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
}

// requiredResponseFields marks every property of a schema that only
// responses use as required, except those tagged x-optional (omitempty
// fields, and fields of one listing kind): the server always sends them
// (null where nullable), so generated clients need not treat them as
// optional. Schemas that request bodies use stay as annotated.
func requiredResponseFields(doc *openapi3.T) {
	refsFrom := func(roots []*openapi3.SchemaRef) map[string]bool {
		seen := map[string]bool{}
		var walk func(s *openapi3.SchemaRef)
		walk = func(s *openapi3.SchemaRef) {
			if s == nil {
				return
			}
			if s.Ref != "" {
				name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
				if seen[name] {
					return
				}
				seen[name] = true
				walk(doc.Components.Schemas[name])
				return
			}
			if s.Value == nil {
				return
			}
			for _, p := range s.Value.Properties {
				walk(p)
			}
			walk(s.Value.Items)
			for _, x := range s.Value.AllOf {
				walk(x)
			}
			for _, x := range s.Value.OneOf {
				walk(x)
			}
		}
		for _, r := range roots {
			walk(r)
		}
		return seen
	}
	var inRequests, inResponses []*openapi3.SchemaRef
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					inRequests = append(inRequests, mt.Schema)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						inResponses = append(inResponses, mt.Schema)
					}
				}
			}
		}
	}
	requests := refsFrom(inRequests)
	// In a request body, null for an optional field is the same as leaving
	// it out (Go's JSON decoding), so the document allows it.
	for name := range requests {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			continue
		}
		for prop, p := range s.Value.Properties {
			switch {
			case slices.Contains(s.Value.Required, prop) || p.Value == nil:
			case p.Ref != "":
				// OpenAPI 3.0 cannot mark a $ref nullable; wrap it.
				s.Value.Properties[prop] = &openapi3.SchemaRef{Value: &openapi3.Schema{
					Nullable: true, AllOf: openapi3.SchemaRefs{{Ref: p.Ref}},
				}}
			default:
				p.Value.Nullable = true
			}
		}
	}
	for name := range refsFrom(inResponses) {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			continue
		}
		var required []string
		for prop, p := range s.Value.Properties {
			optional := p.Value != nil && p.Value.Extensions["x-optional"] != nil
			if p.Value != nil {
				delete(p.Value.Extensions, "x-optional")
			}
			if !optional && !requests[name] {
				required = append(required, prop)
			}
		}
		if !requests[name] {
			sort.Strings(required)
			s.Value.Required = required
		}
	}
}

// namedPatterns replaces each x-pattern=<name> extension with the pattern
// of that name from platform.yaml.
func namedPatterns(doc *openapi3.T, patterns map[string]string) error {
	var missing []string
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.SchemaRef)
	walk = func(s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		seen[s.Value] = true
		if name, ok := s.Value.Extensions["x-pattern"]; ok {
			if p, ok := patterns[fmt.Sprint(name)]; !ok {
				missing = append(missing, fmt.Sprint(name))
			} else if s.Value.Type.Is("array") && s.Value.Items != nil && s.Value.Items.Value != nil {
				// swag puts a []string field's tags on the array; the
				// pattern is the items' (a string rule on an array is void).
				s.Value.Items.Value.Pattern = p
			} else {
				s.Value.Pattern = p
			}
			delete(s.Value.Extensions, "x-pattern")
		}
		for _, p := range s.Value.Properties {
			walk(p)
		}
		walk(s.Value.Items)
		for _, x := range s.Value.AllOf {
			walk(x)
		}
		for _, x := range s.Value.OneOf {
			walk(x)
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value == nil {
					continue
				}
				// swag puts a parameter's extensions on the parameter.
				if name, ok := p.Value.Extensions["x-pattern"]; ok && p.Value.Schema != nil && p.Value.Schema.Value != nil {
					if p.Value.Schema.Value.Extensions == nil {
						p.Value.Schema.Value.Extensions = map[string]any{}
					}
					p.Value.Schema.Value.Extensions["x-pattern"] = name
					delete(p.Value.Extensions, "x-pattern")
				}
				walk(p.Value.Schema)
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("x-pattern names not in platform.yaml: %v", missing)
	}
	return nil
}

// arrayResponseLimits gives a bare array response (a handler annotated
// `@Success 200 {array} T` with `@x-max-items 100`) its maxItems, which
// swag cannot say; the extension itself is dropped.
func arrayResponseLimits(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			raw, ok := op.Extensions["x-max-items"]
			if !ok {
				continue
			}
			delete(op.Extensions, "x-max-items")
			n, ok := raw.(float64)
			if !ok {
				continue
			}
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					if mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Type.Is("array") {
						max := uint64(n)
						mt.Schema.Value.MaxItems = &max
					}
				}
			}
		}
	}
}

// mergePlatform adds the infrastructure routes, which live at the server
// root rather than under /api/v1, and the shared components.
func mergePlatform(doc *openapi3.T, f fragment) error {
	root := openapi3.Servers{{
		URL:         "/",
		Description: "The server root of the same host (production, staging or local alike): infrastructure routes are not under /api/v1.",
		Extensions:  map[string]any{"x-internal": false},
	}}
	for path, item := range f.Paths {
		if doc.Paths.Value(path) != nil {
			return fmt.Errorf("platform.yaml: %s is also annotated on a handler", path)
		}
		item.Servers = root
		for _, op := range item.Operations() {
			if op.Security == nil {
				op.Security = &openapi3.SecurityRequirements{}
			}
			if op.Responses.Status(500) == nil {
				op.Responses.Set("500", &openapi3.ResponseRef{Ref: "#/components/responses/InternalError"})
			}
			if op.Responses.Status(414) == nil {
				op.Responses.Set("414", &openapi3.ResponseRef{Ref: "#/components/responses/URITooLong"})
			}
		}
		doc.Paths.Set(path, item)
	}
	if doc.Components == nil {
		doc.Components = &openapi3.Components{}
	}
	c := doc.Components
	if c.Schemas == nil {
		c.Schemas = openapi3.Schemas{}
	}
	if c.Headers == nil {
		c.Headers = openapi3.Headers{}
	}
	if c.Responses == nil {
		c.Responses = openapi3.ResponseBodies{}
	}
	for k, v := range f.Components.Schemas {
		c.Schemas[k] = v
	}
	for k, v := range f.Components.Headers {
		c.Headers[k] = v
	}
	for k, v := range f.Components.Responses {
		c.Responses[k] = v
	}
	return nil
}

// sharedHeaders points every response header that platform.yaml describes
// (ETag, Content-Language, …) at that one description, with its limits; an
// annotation's @Header only names it.
func sharedHeaders(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil || resp.Ref != "" {
					continue
				}
				for name, h := range resp.Value.Headers {
					if _, ok := doc.Components.Headers[name]; ok && h.Ref == "" {
						resp.Value.Headers[name] = &openapi3.HeaderRef{Ref: "#/components/headers/" + name}
					}
				}
			}
		}
	}
}

// render writes doc as YAML with sorted keys in block style, after loading
// it back as a client would and validating it.
func render(doc *openapi3.T) ([]byte, error) {
	j, err := doc.MarshalJSON()
	if err != nil {
		return nil, err
	}
	loaded, err := openapi3.NewLoader().LoadFromData(j)
	if err != nil {
		return nil, fmt.Errorf("load the result: %w", err)
	}
	if err := loaded.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the result is not a valid OpenAPI 3 document: %w", err)
	}
	var generic any
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	generic = plainNumbers(generic)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(generic); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// yamlToJSONInto decodes YAML into v through JSON, so kin-openapi's JSON
// decoders (and their $ref handling) apply.
func yamlToJSONInto(y []byte, v any) error {
	var generic any
	if err := yaml.Unmarshal(y, &generic); err != nil {
		return err
	}
	j, err := json.Marshal(generic)
	if err != nil {
		return err
	}
	return json.Unmarshal(j, v)
}

// plainNumbers turns JSON numbers into ints where they are whole, so YAML
// says 1000000 rather than 1e+06.
func plainNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = plainNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = plainNumbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}
