package nik_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/nik"
)

// A made-up Surakarta (33.72), Laweyan (01) number of a man born 1990-05-17.
const man = "3372011705900001"

// The same place for a woman born 2001-02-03: day 03 + 40 = 43.
const woman = "3372014302010002"

func date(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     error
	}{
		{"man", man, nil},
		{"woman", woman, nil},
		{"white space around", " \t" + man + "\n", nil},
		{"29 February of a year ending 00", "3372012902000001", nil},
		{"29 February of a leap year, woman", "3372016902960001", nil},
		{"short", "337201170590000", nik.ErrLength},
		{"long", "33720117059000011", nik.ErrLength},
		{"empty", "", nik.ErrLength},
		{"letters", "3372011705900O01", nik.ErrDigits},
		{"dots", "33.72.01.170590.0001", nik.ErrDigits},
		{"inner space", "3372 011705900001", nik.ErrDigits},
		{"arabic-indic digits", "٣٣٧٢٠١١٧٠٥٩٠٠٠٠١", nik.ErrDigits},
		{"sign", "+372011705900001", nik.ErrDigits},
		{"province 00", "0072011705900001", nik.ErrProvince},
		{"province 10", "1072011705900001", nik.ErrProvince},
		{"province 99", "9972011705900001", nik.ErrProvince},
		{"regency 00", "3300011705900001", nik.ErrRegency},
		{"district 00", "3372001705900001", nik.ErrDistrict},
		{"day 00", "3372010005900001", nik.ErrBirthDate},
		{"day 32", "3372013205900001", nik.ErrBirthDate},
		{"day 40 (neither)", "3372014005900001", nik.ErrBirthDate},
		{"woman day 72", "3372017205900001", nik.ErrBirthDate},
		{"month 13", "3372011713900001", nik.ErrBirthDate},
		{"month 00", "3372011700900001", nik.ErrBirthDate},
		{"31 April", "3372013104900001", nik.ErrBirthDate},
		{"29 February of a common year", "3372012902970001", nik.ErrBirthDate},
		{"woman 30 February", "3372017002960001", nik.ErrBirthDate},
		{"serial 0000", "3372011705900000", nik.ErrSerial},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := nik.Parse(c.in)
			if c.want == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if n.Full() != strings.TrimSpace(c.in) {
					t.Fatalf("Full = %s", n.Full())
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var e *nik.Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "nik: ") {
				t.Fatalf("err %v is not a *nik.Error", err)
			}
			if len(c.in) >= 12 && strings.Contains(err.Error(), c.in[4:12]) {
				t.Fatalf("error message %q quotes the number", err)
			}
		})
	}
}

func TestParts(t *testing.T) {
	n := nik.MustParse(man)
	if n.Province() != "33" || n.Regency() != "3372" || n.District() != "337201" {
		t.Fatalf("parts = %s %s %s", n.Province(), n.Regency(), n.District())
	}
	if nik.Provinces[n.Province()] != "Jawa Tengah" {
		t.Fatal("33 is Jawa Tengah")
	}
	if n.Female() || !nik.MustParse(woman).Female() {
		t.Fatal("Female is wrong")
	}
	var zero nik.NIK
	if !zero.IsZero() || zero.Female() || zero.Province() != "" || zero.Mask() != "" || zero.ConsistentWith(date("1990-05-17")) {
		t.Fatal("the zero NIK is not empty")
	}
	if _, ok := zero.BirthDate(date("2026-01-01")); ok {
		t.Fatal("the zero NIK has a birth date")
	}
}

func TestBirthDate(t *testing.T) {
	for _, c := range []struct {
		in, today, want string
	}{
		{man, "2026-12-05", "1990-05-17"},
		{woman, "2026-12-05", "2001-02-03"},
		{"3372011712260001", "2026-12-05", "1926-12-17"}, // twelve days from now would be the future
		{"3372010512260001", "2026-12-05", "2026-12-05"}, // born today
		{"3372010112260001", "2026-12-05", "2026-12-01"},
		{"3372010101000001", "2026-12-05", "2000-01-01"},
		{"3372012902000001", "2026-12-05", "2000-02-29"},
		{"3372012902000001", "2000-02-28", "1600-02-29"}, // 1900 and 1800, 1700 are not leap years
		{"3372016902960001", "2026-12-05", "1996-02-29"},
		{"3372011705990001", "2026-12-05", "1999-05-17"},
	} {
		got, ok := nik.MustParse(c.in).BirthDate(date(c.today))
		if !ok || got != date(c.want) {
			t.Errorf("%s.BirthDate(%s) = %s, %v; want %s", c.in, c.today, got, ok, c.want)
		}
	}
}

func TestConsistentWith(t *testing.T) {
	n := nik.MustParse(woman)
	for _, c := range []struct {
		birth string
		want  bool
	}{
		{"2001-02-03", true},
		{"1901-02-03", true}, // the NIK carries two digits of the year only
		{"2001-02-04", false},
		{"2001-03-03", false},
		{"2002-02-03", false},
	} {
		if got := n.ConsistentWith(date(c.birth)); got != c.want {
			t.Errorf("ConsistentWith(%s) = %v", c.birth, got)
		}
	}
	if n.ConsistentWith(civil.Date{}) {
		t.Error("consistent with the zero date")
	}
}

// Every way the value can leave the process shows the masked form only.
func TestNoPrintingShowsTheFullNumber(t *testing.T) {
	n := nik.MustParse("3372011705900001")
	const masked = "33720…0001"
	if n.Mask() != masked || n.String() != masked {
		t.Fatalf("Mask = %s", n.Mask())
	}
	type dto struct {
		NIK  nik.NIK  `json:"nik"`
		Ptr  *nik.NIK `json:"ptr"`
		List []nik.NIK
	}
	v := dto{NIK: n, Ptr: &n, List: []nik.NIK{n}}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%10v", "%T"} {
		outs = append(outs, fmt.Sprintf(verb, n), fmt.Sprintf(verb, v), fmt.Sprintf(verb, &v))
	}
	outs = append(outs, fmt.Sprint(n), fmt.Sprintln(n, &n), "x"+n.String())
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := jsonv2.Marshal(v) // the JSON v2 the request binding uses
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(b), string(b2))
	for _, j := range [][]byte{b, b2} {
		if !strings.Contains(string(j), `"nik":"33720…0001"`) {
			t.Errorf("json = %s", j)
		}
	}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("profile", "nik", n, "ptr", &n, slog.Group("g", "nik", n), slog.Any("any", n))
	}
	outs = append(outs, buf.String())
	if !strings.Contains(buf.String(), masked) {
		t.Errorf("log = %s", buf.String())
	}
	for _, o := range outs {
		if strings.Contains(o, "1705900001") || strings.Contains(o, "3372011705") {
			t.Errorf("full number leaked: %s", o)
		}
	}
	if got := fmt.Sprintf("%#v", n); got != `nik.NIK("33720…0001")` {
		t.Errorf("%%#v = %s", got)
	}
}

func TestUnmarshalJSON(t *testing.T) {
	var v struct {
		NIK nik.NIK `json:"nik"`
	}
	if err := json.Unmarshal([]byte(`{"nik":"3372011705900001"}`), &v); err != nil || v.NIK.Full() != man {
		t.Fatalf("unmarshal = %v", err)
	}
	var w struct {
		NIK nik.NIK `json:"nik"`
	}
	if err := jsonv2.Unmarshal([]byte(`{"nik":"3372011705900001"}`), &w); err != nil || w.NIK.Full() != man {
		t.Fatalf("json v2 unmarshal = %v", err)
	}
	for _, bad := range []string{`{"nik":"33720…0001"}`, `{"nik":3372011705900001}`, `{"nik":"3372011705900000"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

// FuzzParse: Parse never panics; what it accepts is 16 ASCII digits whose
// parts, birth date and mask agree with each other.
func FuzzParse(f *testing.F) {
	for _, s := range []string{man, woman, "3372012902000001", "3372017002960001", "", "٣٣٧٢", "0000000000000000", "9672014302010002"} {
		f.Add(s)
	}
	today := date("2026-12-05")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := nik.Parse(s)
		if err != nil {
			var e *nik.Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		full := n.Full()
		if len(full) != 16 || full != strings.TrimSpace(s) {
			t.Fatalf("Full = %q for %q", full, s)
		}
		if again, err := nik.Parse(full); err != nil || again != n {
			t.Fatalf("reparse: %v", err)
		}
		m := n.Mask()
		if m != full[:5]+"…"+full[12:] || fmt.Sprint(n) != m {
			t.Fatalf("Mask = %s", m)
		}
		b, ok := n.BirthDate(today)
		if !ok || b.After(today) || !n.ConsistentWith(b) {
			t.Fatalf("BirthDate = %s, %v", b, ok)
		}
		if today.Year-b.Year > 100 && !(b.Month == 2 && b.Day == 29) {
			t.Fatalf("BirthDate %s more than a century back", b)
		}
	})
}
