package apitest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	apispec "github.com/solodestination/api/api"
)

// The test suite holds the API to its description: every request Do sends
// and every response it gets are checked against api/openapi.yaml, so a
// handler that answers what the document does not say fails its test. A
// request that breaks the document's rules (a test probing bad input) must
// be answered with a 4xx the operation documents; one a test marks
// Req.Invalid must also really be outside the document's rules.

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRoutes []*specRoute
	specErr    error
)

// Spec returns api/openapi.yaml, loaded and validated.
func Spec() (*openapi3.T, error) {
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(apispec.YAML)
		if specErr == nil {
			specErr = specDoc.Validate(context.Background())
		}
		if specErr == nil {
			specRoutes = buildRoutes(specDoc)
		}
	})
	return specDoc, specErr
}

// specRoute is one operation of the document with its full path split into
// segments: the server's base path joined with the path template.
type specRoute struct {
	route *routers.Route
	segs  []segment
}

type segment struct {
	literal string   // when not a parameter
	param   string   // path parameter name
	enum    []string // allowed values of the parameter, if the document lists them
	rest    bool     // the parameter takes the rest of the path, slashes included
}

func buildRoutes(doc *openapi3.T) []*specRoute {
	var out []*specRoute
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		servers := item.Servers
		if len(servers) == 0 {
			servers = doc.Servers
		}
		base := ""
		if len(servers) > 0 {
			base = strings.TrimSuffix(servers[0].URL, "/")
		}
		for method, op := range item.Operations() {
			r := &specRoute{route: &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}}
			if len(servers) > 0 {
				r.route.Server = servers[0]
			}
			for _, s := range strings.Split(strings.Trim(base+path, "/"), "/") {
				if !strings.HasPrefix(s, "{") {
					r.segs = append(r.segs, segment{literal: s})
					continue
				}
				name := strings.Trim(s, "{}")
				seg := segment{param: name}
				if p := pathParam(item, op, name); p != nil && p.Schema != nil && p.Schema.Value != nil {
					for _, v := range p.Schema.Value.Enum {
						seg.enum = append(seg.enum, fmt.Sprint(v))
					}
					seg.rest = p.Extensions["x-matches-slashes"] == true
				}
				r.segs = append(r.segs, seg)
			}
			out = append(out, r)
		}
	}
	return out
}

func pathParam(item *openapi3.PathItem, op *openapi3.Operation, name string) *openapi3.Parameter {
	for _, ps := range []openapi3.Parameters{op.Parameters, item.Parameters} {
		if p := ps.GetByInAndName(openapi3.ParameterInPath, name); p != nil {
			return p
		}
	}
	return nil
}

// match reports the path parameters when path fits r. A final parameter
// marked x-matches-slashes takes the rest of the path (a storage key).
func (r *specRoute) match(parts []string) (map[string]string, int, bool) {
	if len(parts) < len(r.segs) || len(r.segs) == 0 {
		return nil, 0, false
	}
	if len(parts) > len(r.segs) && !r.segs[len(r.segs)-1].rest {
		return nil, 0, false
	}
	params := map[string]string{}
	score := 0
	for i, s := range r.segs {
		p := parts[i]
		if i == len(r.segs)-1 && len(parts) > len(r.segs) {
			p = strings.Join(parts[i:], "/")
		}
		switch {
		case s.param == "":
			if s.literal != p {
				return nil, 0, false
			}
			score += 2
		case len(s.enum) > 0:
			if !contains(s.enum, p) {
				return nil, 0, false
			}
			params[s.param] = p
			score++
		default:
			params[s.param] = p // may be empty: the router passes "" for "//"
		}
	}
	if len(parts) > len(r.segs) {
		score -= len(parts) // an exact-length match wins over a rest match
	}
	return params, score, true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// findRoute returns the documented operation a request reaches: the most
// specific template (literal segments first) whose method matches.
func findRoute(method, rawPath string) (*routers.Route, map[string]string) {
	if len(rawPath) > 1 && strings.HasSuffix(rawPath, "/") {
		return nil, nil // the router redirects to the path without the slash
	}
	parts := strings.Split(strings.Trim(rawPath, "/"), "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	var best *specRoute
	var bestParams map[string]string
	bestScore := -1 << 30
	for _, r := range specRoutes {
		if r.route.Method != method {
			continue
		}
		if params, score, ok := r.match(parts); ok && score > bestScore {
			best, bestParams, bestScore = r, params, score
		}
	}
	if best == nil {
		return nil, nil
	}
	return best.route, bestParams
}

// DocumentedOperations lists every operation of the document as
// "METHOD /full/path", with enumerated path parameters expanded to their
// values and the other parameters written as {}.
func DocumentedOperations() ([]string, error) {
	if _, err := Spec(); err != nil {
		return nil, err
	}
	var out []string
	for _, r := range specRoutes {
		paths := []string{""}
		for _, s := range r.segs {
			var next []string
			for _, p := range paths {
				switch {
				case s.param == "":
					next = append(next, p+"/"+s.literal)
				case len(s.enum) > 0:
					for _, v := range s.enum {
						next = append(next, p+"/"+v)
					}
				default:
					next = append(next, p+"/{}")
				}
			}
			paths = next
		}
		for _, p := range paths {
			out = append(out, r.route.Method+" "+p)
		}
	}
	sort.Strings(out)
	return out, nil
}

var validationOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc, // the server decides; 401s are documented
	IncludeResponseStatus: true,
	MultiError:            true,
}

// checkAgainstSpec validates one exchange of Do against the document.
func (a *API) checkAgainstSpec(r Req, req *http.Request, body []byte, code int, header http.Header, respBody []byte) {
	a.T.Helper()
	if _, err := Spec(); err != nil {
		a.T.Errorf("api/openapi.yaml: %v", err)
		return
	}
	if strings.HasPrefix(req.URL.Path, "/swagger/") || req.URL.Path == "/console" || strings.HasPrefix(req.URL.Path, "/console/") || req.Method == http.MethodOptions {
		return // Swagger UI's and the staff console's own files; CORS preflights, answered before any route
	}
	route, params := findRoute(req.Method, req.URL.Path)
	if route == nil {
		if a.testOnlyRoute(req.Method, req.URL.Path) {
			return // added by a test; TestSpecMatchesRouter covers the real ones
		}
		// Only the router's own answers may reach paths the document lacks:
		// not found, method not allowed, a redirect of a trailing slash, or
		// the query-length guard that runs before routing.
		switch code {
		case http.StatusRequestURITooLong, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		default:
			a.T.Errorf("%s %s: answered %d, but api/openapi.yaml has no such operation", req.Method, req.URL.Path, code)
		}
		return
	}
	where := fmt.Sprintf("%s %s (operation %s)", req.Method, req.URL.RequestURI(), route.Operation.OperationID)

	check := req.Clone(context.Background())
	check.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route, Options: validationOptions}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	documented := route.Operation.Responses.Status(code) != nil
	switch {
	case reqErr != nil && !r.Invalid:
		if code < 400 || code >= 500 || !documented {
			a.T.Errorf("%s: the request breaks api/openapi.yaml, yet the answer is %d:\n%v", where, code, reqErr)
		}
	case reqErr == nil && r.Invalid:
		a.T.Errorf("%s: marked Invalid, but api/openapi.yaml allows it: state the rule in the annotations", where)
	case r.Invalid && (code < 400 || code >= 500):
		a.T.Errorf("%s: a deliberately invalid request got %d, want a documented 4xx", where, code)
	}

	if !documented {
		a.T.Errorf("%s: status %d is not documented in api/openapi.yaml", where, code)
		return
	}
	if header.Get("Content-Encoding") == "gzip" && len(respBody) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(respBody))
		if err == nil {
			respBody, err = io.ReadAll(zr)
		}
		if err != nil {
			a.T.Errorf("%s: gzip body: %v", where, err)
			return
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: code, Header: header, Options: validationOptions,
	}
	out.SetBodyBytes(respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		a.T.Errorf("%s: the %d response does not match api/openapi.yaml:\n%v\nbody: %.600s", where, code, err, respBody)
	}
}

// testOnlyRoute reports whether the engine serves method and path with a
// route the document lacks, which only a test can have added.
func (a *API) testOnlyRoute(method, path string) bool {
	if a.Engine == nil {
		return false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range a.Engine.Routes() {
		if r.Method != method {
			continue
		}
		segs := strings.Split(strings.Trim(r.Path, "/"), "/")
		ok := len(segs) == len(parts)
		for i := 0; ok && i < len(segs); i++ {
			switch {
			case strings.HasPrefix(segs[i], "*"):
				return true
			case strings.HasPrefix(segs[i], ":"):
			default:
				ok = segs[i] == parts[i]
			}
		}
		if ok {
			return true
		}
	}
	return false
}
