package audit_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// The audit log pages newest first through the shared cursor, each entry in
// the shape API.md gives, and a cursor of one filter is refused on another.
func TestAuditLogPagesAndKeepsItsShape(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	admin := api.Admin()
	for _, name := range []string{"a", "b", "c"} {
		u := api.User(name)
		api.Send(http.MethodPatch, "/api/v1/admin/users/"+u.ID.String(),
			map[string]any{"role": "staff", "department": string(identity.DeptTourism)}, admin).Expect(http.StatusOK)
	}

	const log = "/api/v1/admin/audit-log?action=user.update_access"
	entries := api.All(apitest.PageLimit(log, 2), admin)
	if len(entries) != 3 {
		t.Fatalf("walked %d entries, want 3", len(entries))
	}
	var prev string
	for _, raw := range entries {
		var e map[string]any
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "actor_id", "actor_email", "action", "entity", "entity_id", "request_id", "ip", "at"} {
			if _, ok := e[k]; !ok {
				t.Errorf("entry lacks %s: %v", k, e)
			}
		}
		if id := e["id"].(string); prev != "" && id >= prev {
			t.Errorf("entries not newest first: %s after %s", id, prev)
		}
		prev = e["id"].(string)
	}

	var first struct {
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	api.Get(apitest.PageLimit(log, 1), admin).Expect(http.StatusOK).JSON(&first)
	if first.Meta.NextCursor == nil {
		t.Fatal("no next cursor")
	}
	api.Get("/api/v1/admin/audit-log?action=user.update&cursor="+*first.Meta.NextCursor, admin).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	api.Get("/api/v1/admin/audit-log?actor_id=nope", admin).ExpectProblem(http.StatusBadRequest, "bad_request")
}
