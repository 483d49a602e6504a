package catalog

import "testing"

// The search words of the planner's last query are written into the SQL
// text: nothing a client sends may end the literal, even if tokens let a
// quote through.
func TestTSQueryLiteralKeepsToWordCharacters(t *testing.T) {
	got := tsQueryLiteral([]string{"taman", "a'); DROP TABLE listings; --", "x\\'y"})
	want := "to_tsquery('simple', 'taman:* & alistings:* & xy:*')"
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if toks := tokens(`O'Brien "Kopi" 'Solo'`); tsQueryLiteral(toks) != "to_tsquery('simple', 'o:* & brien:* & kopi:* & solo:*')" {
		t.Fatalf("tokens %q gave %s", toks, tsQueryLiteral(toks))
	}
}
