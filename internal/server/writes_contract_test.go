package server_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/solodestination/api/internal/apitest"
)

// TestEveryOperationKeepsTheContract generates whole requests, bodies
// included, to every /api/v1 operation from api/openapi.yaml, as an
// administrator, a tourist or anonymously, mostly within the document's
// rules and sometimes just outside them, and holds every answer to the
// document: no 5xx, nothing undocumented, and a documented 4xx for every
// request the document forbids. It is the stateless part of what a
// schema-driven fuzzer does.
func TestEveryOperationKeepsTheContract(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	seedCatalog(t, api)
	doc, err := apitest.Spec()
	if err != nil {
		t.Fatal(err)
	}
	type operation struct {
		method, path string
		op           *openapi3.Operation
	}
	var ops []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		if len(item.Servers) > 0 {
			continue // infrastructure
		}
		for method, op := range item.Operations() {
			if path == "/auth/logout" || (path == "/admin/users/{id}" && method == http.MethodPatch) {
				continue // would end the sessions the generator signs requests with
			}
			ops = append(ops, operation{method, path, op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].op.OperationID < ops[j].op.OperationID })
	admin, tourist := api.Admin(), api.User("tourist")
	slugs := demoSlugs(t, api)
	answers := map[string]int{}
	t.Cleanup(func() { t.Logf("answers by operation and status: %v", answers) })

	rapid.Check(t, func(rt *rapid.T) {
		o := rapid.SampledFrom(ops).Draw(rt, "operation")
		path, query, header := o.path, url.Values{}, map[string]string{}
		for _, p := range o.op.Parameters {
			param := p.Value
			if param.In != openapi3.ParameterInPath && !param.Required && rapid.IntRange(0, 3).Draw(rt, "send "+param.Name) != 0 {
				continue
			}
			var v string
			if param.In == openapi3.ParameterInPath && param.Name != "kind" && rapid.Bool().Draw(rt, "known listing") {
				v = rapid.SampledFrom(slugs).Draw(rt, param.Name)
			} else {
				v = value(rt, param.Name, param.Schema.Value)
			}
			switch param.In {
			case openapi3.ParameterInPath:
				path = strings.Replace(path, "{"+param.Name+"}", url.PathEscape(v), 1)
			case openapi3.ParameterInQuery:
				query.Add(param.Name, v)
			case openapi3.ParameterInHeader:
				header[param.Name] = v
			}
		}
		req := apitest.Req{Method: o.method, Path: "/api/v1" + path, Header: header}
		if len(query) > 0 {
			req.Path += "?" + query.Encode()
		}
		req.As = rapid.SampledFrom([]apitest.Actor{admin, admin, tourist, apitest.Anonymous}).Draw(rt, "as")
		if rb := o.op.RequestBody; rb != nil && rb.Value != nil {
			if mt := rb.Value.Content.Get("application/json"); mt != nil {
				b, err := json.Marshal(instance(rt, "body", mt.Schema.Value, 0))
				if err != nil {
					rt.Fatal(err)
				}
				req.RawBody = b
			} else {
				return // multipart uploads have their own tests
			}
		}
		a := *api
		a.T = rapidTB{TB: t, rt: rt}
		resp := a.Do(req)
		answers[fmt.Sprintf("%s:%d", o.op.OperationID, resp.Code)]++
		if resp.Code >= 500 {
			rt.Fatalf("%s %s: %d %s", req.Method, req.Path, resp.Code, resp.Body)
		}
	})
}

// instance draws a JSON value for schema s: mostly one it allows,
// sometimes one just outside it.
func instance(rt *rapid.T, name string, s *openapi3.Schema, depth int) any {
	if s == nil {
		return nil
	}
	if len(s.OneOf) > 0 {
		return instance(rt, name, rapid.SampledFrom(s.OneOf).Draw(rt, name+" variant").Value, depth)
	}
	if rapid.IntRange(0, 19).Draw(rt, name+" breaks the rules") == 0 {
		junk := []any{"", 0, -1, 1e12, true, "🙂", strings.Repeat("a", 300), map[string]any{}, []any{}}
		if depth > 0 {
			junk = append(junk, nil) // a null body is the decoding layer's own test
		}
		return rapid.SampledFrom(junk).Draw(rt, name)
	}
	switch {
	case s.Nullable && rapid.IntRange(0, 4).Draw(rt, name+" null") == 0:
		return nil
	case len(s.Enum) > 0:
		return rapid.SampledFrom(s.Enum).Draw(rt, name)
	case s.Type.Is("object"):
		out := map[string]any{}
		for prop, p := range s.Properties {
			required := false
			for _, r := range s.Required {
				required = required || r == prop
			}
			if depth < 4 && (required || rapid.Bool().Draw(rt, name+"."+prop+" sent")) {
				out[prop] = instance(rt, name+"."+prop, p.Value, depth+1)
			}
		}
		return out
	case s.Type.Is("array"):
		n := 3
		if s.MaxItems != nil && int(*s.MaxItems) < n {
			n = int(*s.MaxItems)
		}
		items := make([]any, rapid.IntRange(int(s.MinItems), max(n, int(s.MinItems))).Draw(rt, name+" items"))
		for i := range items {
			items[i] = instance(rt, fmt.Sprintf("%s[%d]", name, i), s.Items.Value, depth+1)
		}
		return items
	case s.Type.Is("integer"):
		v := value(rt, name, s)
		var n int64
		fmt.Sscan(v, &n)
		return n
	case s.Type.Is("number"):
		v := value(rt, name, s)
		var f float64
		fmt.Sscan(v, &f)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return v // JSON has no NaN or Inf: send the junk as a string, which breaks the type instead
		}
		return f
	case s.Type.Is("boolean"):
		return rapid.Bool().Draw(rt, name)
	}
	switch s.Format {
	case "date-time":
		return time.Unix(rapid.Int64Range(1.7e9, 1.9e9).Draw(rt, name), 0).In(time.FixedZone("WIB", 7*3600)).Format(time.RFC3339)
	case "date":
		return time.Unix(rapid.Int64Range(1.7e9, 1.9e9).Draw(rt, name), 0).UTC().Format(time.DateOnly)
	case "uuid":
		return uuid.New().String()
	case "email":
		return fmt.Sprintf("u%d@example.org", rapid.Int64Range(0, 1e12).Draw(rt, name))
	}
	return value(rt, name, s)
}
