package web

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/solodestination/api/pkg/problem"
)

// problemRender writes a problem document with its own media type; gin's
// JSON renderer would label it application/json.
type problemRender struct{ p problem.Problem }

func (r problemRender) Render(w http.ResponseWriter) error {
	r.WriteContentType(w)
	return json.NewEncoder(w).Encode(r.p)
}

func (problemRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", problem.ContentType)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
