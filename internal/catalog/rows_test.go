package catalog

import (
	"testing"
	"time"
)

func TestDollarPlaceholdersNumberPlainArguments(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		args []any
		want string
		ok   bool
	}{
		{"SELECT 1", nil, "SELECT 1", true},
		{"a = ? AND b < ? LIMIT 21", []any{"x", 1.5}, "a = $1 AND b < $2 LIMIT 21", true},
		{"t > ? OR ? OR ?", []any{time.Now(), true, 3}, "t > $1 OR $2 OR $3", true},
		{"a = ?", []any{"x", "y"}, "", false},       // counts differ
		{"a IN ?", []any{[]string{"x"}}, "", false}, // GORM expands slices
		{"a = ? AND b = ?", []any{"x"}, "", false},  // a placeholder without its argument
		{"a = ?", []any{&struct{}{}}, "", false},    // nothing GORM would not be asked about
	} {
		got, ok := dollarPlaceholders(tc.sql, tc.args)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("dollarPlaceholders(%q, %d args) = %q, %v; want %q, %v", tc.sql, len(tc.args), got, ok, tc.want, tc.ok)
		}
	}
}
