package nop_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/solodestination/api/pkg/nop"
)

func TestParse(t *testing.T) {
	const want = "337201000100020003"
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"337201000100020003", true},
		{" 337201000100020003\n", true},
		{"33.72.010.001.000-2000.3", true}, // same digits, dotted
		{"\t33.72.010.001.000-2000.3 ", true},
		{"33.72.010.001.002.0003.0", false}, // dot where the dash goes
		{"33-72-010-001-002-0003-0", false},
		{"33 72 010 001 002 0003 0", false},
		{"33.72.010.001.002-0003", false},
		{"3372010001000200030", false},
		{"33720100010002000", false},
		{"33.72.010.001.002-0003.0.", false},
		{"33.72.01O.001.002-0003.0", false},
		{"٣٣٧٢٠١٠٠٠١٠٠٠٢٠٠٠٣", false},
		{"33.72.010.001.002–0003.0", false}, // en dash
		{"+33720100010002000", false},
		{"", false},
	} {
		n, err := nop.Parse(c.in)
		if c.ok {
			if err != nil || n.Digits() != want {
				t.Errorf("Parse(%q) = %s, %v", c.in, n.Digits(), err)
			}
			continue
		}
		if !errors.Is(err, nop.ErrFormat) {
			t.Errorf("Parse(%q) err = %v", c.in, err)
		}
	}
}

func TestFormatPartsMask(t *testing.T) {
	n := nop.MustParse("33.72.010.001.002-0003.0")
	if n.Format() != "33.72.010.001.002-0003.0" || n.String() != n.Format() || n.Digits() != "337201000100200030" {
		t.Fatalf("Format = %s", n.Format())
	}
	got := []string{n.Province(), n.Regency(), n.District(), n.Village(), n.Block(), n.Number(), n.Code()}
	if strings.Join(got, " ") != "33 72 010 001 002 0003 0" {
		t.Fatalf("parts = %v", got)
	}
	if n.Mask() != "33.72.010.001.***-**03.0" {
		t.Fatalf("Mask = %s", n.Mask())
	}
	if !n.InSurakarta() || !n.InCity("33", "72") || n.InCity("33", "71") || n.InCity("34", "72") {
		t.Fatal("InCity is wrong")
	}
	if nop.MustParse("347101000100200030").InSurakarta() {
		t.Fatal("a Yogyakarta NOP is not in Surakarta")
	}
	var zero nop.NOP
	if !zero.IsZero() || zero.Format() != "" || zero.Mask() != "" || zero.InCity("", "") || zero.Block() != "" {
		t.Fatal("zero NOP is not empty")
	}
}

func TestJSON(t *testing.T) {
	var v struct {
		NOP nop.NOP `json:"nop"`
	}
	if err := json.Unmarshal([]byte(`{"nop":"337201000100200030"}`), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"nop":"33.72.010.001.002-0003.0"}` {
		t.Fatalf("json = %s", b)
	}
	if err := json.Unmarshal([]byte(`{"nop":"33.72"}`), &v); err == nil {
		t.Fatal("a short NOP was accepted")
	}
}

// FuzzParse: Parse never panics, accepts only 18 digits or the exact dotted
// form, and Parse(Format(x)) and Parse(Digits(x)) give x back.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"33.72.010.001.002-0003.0", "337201000100200030", " 337201000100200030 ", "33.72.010.001.002.0003.0", "", "99.99.999.999.999-9999.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := nop.Parse(s)
		if err != nil {
			if !errors.Is(err, nop.ErrFormat) {
				t.Fatalf("err = %v", err)
			}
			return
		}
		d := n.Digits()
		if len(d) != 18 || strings.Trim(d, "0123456789") != "" {
			t.Fatalf("Digits = %q", d)
		}
		for _, form := range []string{n.Format(), d} {
			again, err := nop.Parse(form)
			if err != nil || again != n {
				t.Fatalf("Parse(%q) = %v, %v; want %v", form, again, err, n)
			}
		}
		trimmed := strings.TrimSpace(s)
		if trimmed != d && trimmed != n.Format() {
			t.Fatalf("accepted %q as %s", s, n)
		}
		m := n.Mask()
		if len(m) != len(n.Format()) || strings.Count(m, "*") != 5 || m[:14] != n.Format()[:14] || m[20:] != n.Format()[20:] {
			t.Fatalf("Mask = %s", m)
		}
	})
}
