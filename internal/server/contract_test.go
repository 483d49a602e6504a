package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"gorm.io/gorm"
	"pgregory.net/rapid"

	"github.com/solodestination/api/internal/apitest"
)

// rapidTB reports the harness's findings to rapid, so a failing request is
// shrunk to a small one before it is shown.
type rapidTB struct {
	testing.TB
	rt *rapid.T
}

func (r rapidTB) Helper()                           {}
func (r rapidTB) Errorf(format string, args ...any) { r.rt.Errorf(format, args...) }
func (r rapidTB) Fatalf(format string, args ...any) { r.rt.Fatalf(format, args...) }
func (r rapidTB) Fatal(args ...any)                 { r.rt.Fatal(args...) }

// TestPublicReadsKeepTheContract generates requests to every public read
// from api/openapi.yaml itself, within its rules and outside them, and
// holds each answer to the document (through apitest's check of every
// exchange): no 5xx, no status, header or body the document does not
// describe, and a 4xx whenever a request breaks the document's rules. It
// stands in for a schema-driven fuzzer such as Schemathesis.
func TestPublicReadsKeepTheContract(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	seedCatalog(t, api)
	doc, err := apitest.Spec()
	if err != nil {
		t.Fatal(err)
	}
	type read struct {
		path string
		op   *openapi3.Operation
	}
	var reads []read
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		if op := item.Get; op != nil && len(item.Servers) == 0 && public(op) {
			reads = append(reads, read{path, op})
		}
	}
	sort.Slice(reads, func(i, j int) bool { return reads[i].op.OperationID < reads[j].op.OperationID })
	if len(reads) < 5 {
		t.Fatalf("only %d public reads in the document", len(reads))
	}
	slugs := demoSlugs(t, api)

	rapid.Check(t, func(rt *rapid.T) {
		r := rapid.SampledFrom(reads).Draw(rt, "operation")
		path := r.path
		query := url.Values{}
		header := map[string]string{}
		for _, p := range r.op.Parameters {
			param := p.Value
			if param.In != openapi3.ParameterInPath && !param.Required && rapid.IntRange(0, 3).Draw(rt, "send "+param.Name) != 0 {
				continue
			}
			var v string
			switch {
			case param.In == openapi3.ParameterInPath && (param.Name == "idOrSlug" || param.Name == "id") && rapid.Bool().Draw(rt, "known listing"):
				v = rapid.SampledFrom(slugs).Draw(rt, param.Name)
			default:
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
		target := "/api/v1" + path
		if len(query) > 0 {
			target += "?" + query.Encode()
		}
		a := *api
		a.T = rapidTB{TB: t, rt: rt}
		resp := a.Do(apitest.Req{Method: http.MethodGet, Path: target, Header: header})
		if resp.Code >= 500 {
			rt.Fatalf("GET %s: %d %s", target, resp.Code, resp.Body)
		}
	})
}

// public reports whether op may be called without a token.
func public(op *openapi3.Operation) bool {
	if op.Security == nil {
		return true
	}
	for _, req := range *op.Security {
		if len(req) == 0 {
			return true
		}
	}
	return false
}

// value draws a parameter value: mostly one the schema allows, sometimes
// one it forbids (too long, off the pattern, out of range, not an enum
// member), so both sides of each documented rule are exercised.
func value(rt *rapid.T, name string, s *openapi3.Schema) string {
	if rapid.IntRange(0, 4).Draw(rt, name+" breaks the rules") == 0 {
		return brokenValue(rt, name, s)
	}
	switch {
	case len(s.Enum) > 0:
		return fmt.Sprint(rapid.SampledFrom(s.Enum).Draw(rt, name))
	case s.Type.Is("integer"):
		lo, hi := -1000, 1000
		if s.Min != nil {
			lo = int(*s.Min)
		}
		if s.Max != nil && *s.Max < 1e9 {
			hi = int(*s.Max)
		}
		return fmt.Sprint(rapid.IntRange(lo, hi).Draw(rt, name))
	case s.Type.Is("number"):
		lo, hi := -1e6, 1e6
		if s.Min != nil {
			lo = *s.Min
		}
		if s.Max != nil {
			hi = *s.Max
		}
		return fmt.Sprint(rapid.Float64Range(lo, hi).Draw(rt, name))
	case s.Type.Is("boolean"):
		return fmt.Sprint(rapid.Bool().Draw(rt, name))
	}
	maxLen := 50
	if s.MaxLength != nil && int(*s.MaxLength) < maxLen {
		maxLen = int(*s.MaxLength)
	}
	if s.Pattern != "" {
		return rapid.StringMatching(s.Pattern).Filter(func(v string) bool { return len([]rune(v)) <= maxLen }).Draw(rt, name)
	}
	return rapid.StringOfN(printable, int(s.MinLength), -1, maxLen).Draw(rt, name)
}

// printable draws letters, digits, punctuation, symbols and spaces of any
// script. Control characters are left to the decoding layer's own tests.
var printable = rapid.RuneFrom(nil, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs)

// brokenValue draws a value just past one of the schema's rules, or junk.
func brokenValue(rt *rapid.T, name string, s *openapi3.Schema) string {
	var broken []string
	if s.MaxLength != nil && *s.MaxLength < 4096 { // longer limits are the query string and header caps
		broken = append(broken, strings.Repeat("a", int(*s.MaxLength)+1))
	}
	if s.MinLength > 0 {
		broken = append(broken, "")
	}
	if s.Max != nil && *s.Max < 1e9 {
		broken = append(broken, fmt.Sprint(*s.Max+1))
	}
	if s.Min != nil && *s.Min > -1e9 {
		broken = append(broken, fmt.Sprint(*s.Min-1))
	}
	if len(s.Enum) > 0 || s.Pattern != "" {
		broken = append(broken, "not-a-member!")
	}
	broken = append(broken, "", " ", "abc", "1e9", "NaN", "%", "🙂")
	return rapid.SampledFrom(broken).Draw(rt, name)
}

// seedCatalog loads the demo listings the way app.Seed does.
func seedCatalog(t *testing.T, api *apitest.API) {
	t.Helper()
	ctx := context.Background()
	if err := api.DB.InTx(ctx, func(tx *gorm.DB) error { return api.App.Catalog.SeedDemo(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// demoSlugs returns the slugs of some published demo listings.
func demoSlugs(t *testing.T, api *apitest.API) []string {
	t.Helper()
	var out []string
	for _, kind := range []string{"attractions", "culinary", "events"} {
		var page struct {
			Data []struct {
				Slug string `json:"slug"`
			} `json:"data"`
		}
		api.Get("/api/v1/"+kind+"?limit=5", apitest.Anonymous).Expect(http.StatusOK).JSON(&page)
		for _, l := range page.Data {
			out = append(out, l.Slug)
		}
	}
	if len(out) == 0 {
		t.Fatal("no demo listings")
	}
	return out
}
