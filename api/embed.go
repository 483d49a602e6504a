// Package apispec embeds the OpenAPI 3 description (openapi.yaml, generated
// by cmd/oas3 from the handler annotations), so the binary serves the same
// document clients generate their SDKs from.
package apispec

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"
)

// YAML is api/openapi.yaml, byte for byte.
//
//go:embed openapi.yaml
var YAML []byte

// JSON returns the same document encoded as JSON. It is converted once per
// process (about 30 ms of parsing), however many servers are built.
var JSON = sync.OnceValues(func() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(YAML, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi.yaml: %w", err)
	}
	return json.Marshal(doc)
})
