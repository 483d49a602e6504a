package server_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/server"
)

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// TestSpecMatchesRouter fails when a served route is missing from the
// generated Swagger spec, or the spec lists a route the router does not serve.
func TestSpecMatchesRouter(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)

	served := map[string]bool{}
	for _, r := range api.Engine.Routes() {
		if strings.HasPrefix(r.Path, "/swagger/") {
			continue // the documentation itself
		}
		served[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}

	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(server.Spec(), &spec); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
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
		t.Errorf("served but not in the spec (add swag annotations, run make docs):\n  %s", strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("in the spec but not served:\n  %s", strings.Join(stale, "\n  "))
	}
}
