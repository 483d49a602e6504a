// Command oas3 converts the generated Swagger 2 spec (docs/swagger.json) to
// OpenAPI 3 (api/openapi.yaml), the form most client generators want.
//
//	go run ./cmd/oas3 [-in docs/swagger.json] [-out api/openapi.yaml]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

func main() {
	in := flag.String("in", "docs/swagger.json", "Swagger 2 input")
	out := flag.String("out", "api/openapi.yaml", "OpenAPI 3 output")
	flag.Parse()
	if err := convert(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "oas3:", err)
		os.Exit(1)
	}
}

func convert(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(raw, &v2); err != nil {
		return fmt.Errorf("parse %s: %w", in, err)
	}
	v3, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	// Swagger 2 has no bearer scheme; OpenAPI 3 does, and generated
	// clients then send "Authorization: Bearer <token>" themselves.
	if s, ok := v3.Components.SecuritySchemes["BearerAuth"]; ok && s.Value != nil {
		s.Value = openapi3.NewJWTSecurityScheme().WithDescription(s.Value.Description)
	}
	// Error responses are problem documents with their own media type.
	for _, item := range v3.Paths.Map() {
		for _, op := range item.Operations() {
			for code, resp := range op.Responses.Map() {
				if len(code) == 3 && code >= "400" && resp.Value != nil {
					if mt, ok := resp.Value.Content["application/json"]; ok {
						delete(resp.Value.Content, "application/json")
						resp.Value.Content["application/problem+json"] = mt
					}
				}
			}
		}
	}
	// Round-trip through JSON so the YAML keeps the spec's field names, and
	// through a generic value so it is written in block style, keys sorted.
	j, err := v3.MarshalJSON()
	if err != nil {
		return err
	}
	var doc any
	if err := json.Unmarshal(j, &doc); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	enc := yaml.NewEncoder(f)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
