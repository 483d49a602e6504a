package problem_test

import (
	"encoding/json"
	"testing"

	"github.com/solodestination/api/pkg/problem"
)

// Extension members travel beside the standard ones and never replace them.
func TestExtensionsRoundTrip(t *testing.T) {
	p := problem.Problem{Type: problem.TypeURI("already_checked_in"), Title: "Conflict", Status: 409, Code: "already_checked_in",
		Extensions: map[string]any{"boarded_at": "2031-03-14T08:00:00+07:00", "code": "overridden?"}}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back problem.Problem
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Code != "already_checked_in" || back.Status != 409 || len(back.Extensions) != 1 ||
		back.Extensions["boarded_at"] != "2031-03-14T08:00:00+07:00" {
		t.Fatalf("%s -> %+v", b, back)
	}
	plain, _ := json.Marshal(problem.Problem{Code: "x"})
	if err := json.Unmarshal(plain, &back); err != nil || back.Extensions != nil {
		t.Fatalf("a plain problem read back with extensions %v", back.Extensions)
	}
}
