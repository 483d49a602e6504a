package ntpd_test

import (
	"errors"
	"testing"

	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/ntpd"
)

func d(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestNew(t *testing.T) {
	for _, c := range []struct {
		region string
		day    string
		serial int
		want   string
	}{
		// 337220261005000123 × 100 mod 97 = 64 → check 98 − 64 = 34.
		{"3372", "2026-10-05", 123, "33722026100500012334"},
		{"3372", "2026-10-05", 0, "33722026100500000015"},
		{"3372", "2026-10-05", 999999, "33722026100599999934"},
	} {
		got, err := ntpd.New(c.region, d(c.day), c.serial)
		if err != nil || got != c.want {
			t.Errorf("New(%s, %s, %d) = %s, %v; want %s", c.region, c.day, c.serial, got, err, c.want)
		}
		if !ntpd.Valid(got) {
			t.Errorf("%s is not Valid", got)
		}
		p, err := ntpd.Parse(got)
		if err != nil || p.Region != c.region || p.Date != d(c.day) || p.Serial != c.serial || p.String() != got {
			t.Errorf("Parse(%s) = %+v, %v", got, p, err)
		}
	}
	for name, f := range map[string]func() (string, error){
		"short region":    func() (string, error) { return ntpd.New("337", d("2026-10-05"), 1) },
		"letter region":   func() (string, error) { return ntpd.New("33A2", d("2026-10-05"), 1) },
		"zero date":       func() (string, error) { return ntpd.New("3372", civil.Date{}, 1) },
		"negative serial": func() (string, error) { return ntpd.New("3372", d("2026-10-05"), -1) },
		"serial too big":  func() (string, error) { return ntpd.New("3372", d("2026-10-05"), 1_000_000) },
	} {
		if _, err := f(); !errors.Is(err, ntpd.ErrInput) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestValidCatchesTypos(t *testing.T) {
	good, _ := ntpd.New(ntpd.SurakartaRegion, d("2026-10-05"), 4711)
	for i := range len(good) {
		for c := byte('0'); c <= '9'; c++ {
			if c == good[i] {
				continue
			}
			b := []byte(good)
			b[i] = c
			if ntpd.Valid(string(b)) {
				t.Fatalf("a single-digit change at %d is Valid: %s", i, b)
			}
		}
		if i+1 < len(good) && good[i] != good[i+1] {
			b := []byte(good)
			b[i], b[i+1] = b[i+1], b[i]
			if ntpd.Valid(string(b)) {
				t.Fatalf("swapping %d and %d is Valid: %s", i, i+1, b)
			}
		}
	}
	for _, bad := range []string{"", " " + good, good + "0", good[:19], "3372202610050047111A", "33722026023000000079",
		"33722026100500000500", // ≡ 1 mod 97 like the issued …0597, but not the canonical pair
	} {
		if ntpd.Valid(bad) {
			t.Errorf("Valid(%q)", bad)
		}
	}
	if _, err := ntpd.Parse(" " + good + "\n"); err != nil {
		t.Errorf("Parse trims white space: %v", err)
	}
}

func TestImpossibleDateWithValidChecksum(t *testing.T) {
	// A checksum-correct number whose date is 2026-02-30 is still rejected.
	body := "337220260230000001"
	r := 0
	for _, c := range body + "00" {
		r = (r*10 + int(c-'0')) % 97
	}
	s := body + string(rune('0'+(98-r)/10)) + string(rune('0'+(98-r)%10))
	if _, err := ntpd.Parse(s); !errors.Is(err, ntpd.ErrFormat) {
		t.Errorf("Parse(%s) = %v", s, err)
	}
}

func TestRandom(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s, err := ntpd.Random(ntpd.SurakartaRegion, d("2026-10-05"))
		if err != nil || !ntpd.Valid(s) || s[:12] != "337220261005" {
			t.Fatalf("Random = %s, %v", s, err)
		}
		seen[s] = true
	}
	if len(seen) < 90 {
		t.Fatalf("only %d distinct numbers in 100 draws", len(seen))
	}
}

// FuzzParse: Parse never panics; whatever is Valid rebuilds to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"33722026100500012334", "33722026100500000015", "", "00000000000000000000", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ntpd.Parse(s)
		if err != nil {
			if ntpd.Valid(s) {
				t.Fatalf("Valid but Parse fails: %v", err)
			}
			return
		}
		again, err := ntpd.New(p.Region, p.Date, p.Serial)
		if err != nil || (ntpd.Valid(s) && again != s) {
			t.Fatalf("rebuilt %q as %q, %v", s, again, err)
		}
	})
}
