package civil_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/solodestination/api/pkg/civil"
)

func d(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"2026-09-30", true},
		{"2024-02-29", true},
		{"2000-02-29", true},
		{"0001-01-01", true},
		{"9999-12-31", true},
		{"2026-02-29", false}, // not a leap year
		{"1900-02-29", false}, // century, not divisible by 400
		{"2026-04-31", false},
		{"2026-13-01", false},
		{"2026-00-10", false},
		{"2026-01-00", false},
		{"0000-01-01", false},
		{"2026-9-30", false},
		{"2026/09/30", false},
		{"2026-09-30T00:00:00Z", false},
		{" 2026-09-30", false},
		{"+026-09-30", false},
		{"", false},
	} {
		_, err := civil.Parse(c.in)
		if (err == nil) != c.ok {
			t.Errorf("Parse(%q) err = %v, want ok=%v", c.in, err, c.ok)
		}
		if err != nil && !errors.Is(err, civil.ErrInvalid) {
			t.Errorf("Parse(%q) error does not wrap ErrInvalid: %v", c.in, err)
		}
	}
}

func TestAddMonthsClamped(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2026-01-31", 2, "2026-03-31"}, // clamps from the original day, not step by step
		{"2026-09-30", 1, "2026-10-30"},
		{"2026-08-31", 1, "2026-09-30"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-01-15", -1, "2025-12-15"},
		{"2026-05-10", 0, "2026-05-10"},
		{"2026-05-10", 24, "2028-05-10"},
	} {
		if got := d(c.from).AddMonthsClamped(c.n); got != d(c.want) {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
	// time.AddDate, for contrast, overflows into the next month.
	if got := civil.Of(d("2026-01-31").In(time.UTC).AddDate(0, 1, 0)); got != d("2026-03-03") {
		t.Errorf("time.AddDate behaviour changed: %s", got)
	}
}

func TestTodayInJakarta(t *testing.T) {
	// 17:00 UTC is already midnight in Surakarta.
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 9, 30, 16, 59, 59, 0, time.UTC), "2026-09-30"},
		{time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), "2026-10-01"},
		{time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), "2027-01-01"},
	} {
		if got := civil.TodayInJakarta(c.now); got != d(c.want) {
			t.Errorf("TodayInJakarta(%s) = %s, want %s", c.now, got, c.want)
		}
	}
}

func TestCompareAndDays(t *testing.T) {
	a, b := d("2026-09-30"), d("2026-10-01")
	if !a.Before(b) || !b.After(a) || a.Compare(a) != 0 || a.After(b) || b.Before(a) {
		t.Error("ordering is wrong")
	}
	if d("2025-12-31").Compare(d("2026-01-01")) != -1 || d("2026-02-01").Compare(d("2026-01-31")) != 1 {
		t.Error("ordering across months and years is wrong")
	}
	if got := a.AddDays(1); got != b {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d("2024-03-01").AddDays(-1); got != d("2024-02-29") {
		t.Errorf("AddDays(-1) = %s", got)
	}
	if civil.DaysIn(2024, time.February) != 29 || civil.DaysIn(2100, time.February) != 28 {
		t.Error("DaysIn February is wrong")
	}
}

func TestJSONAndSQL(t *testing.T) {
	var v struct {
		Due civil.Date `json:"due_date"`
	}
	if err := json.Unmarshal([]byte(`{"due_date":"2026-09-30"}`), &v); err != nil || v.Due != d("2026-09-30") {
		t.Fatalf("unmarshal = %v, %v", v, err)
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) != `{"due_date":"2026-09-30"}` {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"due_date":"2026-02-30"}`), &v); err == nil {
		t.Error("an impossible day was accepted")
	}
	if _, err := json.Marshal(struct{ D civil.Date }{}); err == nil {
		t.Error("the zero date was marshalled")
	}

	for _, src := range []any{
		time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), "2026-09-30", []byte("2026-09-30"),
		"2026-09-30 00:00:00+00:00", "2026-09-30T00:00:00Z",
	} {
		var got civil.Date
		if err := got.Scan(src); err != nil || got != d("2026-09-30") {
			t.Errorf("Scan(%#v) = %s, %v", src, got, err)
		}
	}
	var got civil.Date
	if err := got.Scan(42); err == nil {
		t.Error("Scan(int) succeeded")
	}
	if v, err := d("2026-09-30").Value(); err != nil || v != "2026-09-30" {
		t.Errorf("Value = %v, %v", v, err)
	}
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// prints back to the same text and survives a month round trip sanely.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-09-30", "2024-02-29", "0001-01-01", "9999-12-31", "2026-02-29", "abcd-ef-gh", ""} {
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		v, err := civil.Parse(s)
		if err != nil {
			return
		}
		if v.String() != s || !v.IsValid() {
			t.Fatalf("Parse(%q) = %s", s, v)
		}
		n %= 1200
		w := v.AddMonthsClamped(n)
		if w.Year < 1 || w.Year > 9999 {
			return
		}
		if !w.IsValid() || w.Day > v.Day {
			t.Fatalf("%s + %d months = %s", v, n, w)
		}
		if n > 0 && !w.After(v) || n < 0 && !w.Before(v) {
			t.Fatalf("%s + %d months = %s goes the wrong way", v, n, w)
		}
	})
}
func TestScheduleArithmetic(t *testing.T) {
	for _, bad := range []string{"", "2026-02-30", "2026-2-3", "2026-13-01", "26-01-01", "2026-01-01T00:00"} {
		if _, err := civil.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	d, err := civil.Parse("2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("2026-12-31 + 1 = %s", got)
	}
	if got := (civil.Date{Year: 2028, Month: time.February, Day: 28}).AddDays(1).String(); got != "2028-02-29" {
		t.Errorf("leap day: %s", got)
	}
	if n := d.AddDays(40).DaysSince(d); n != 40 {
		t.Errorf("DaysSince = %d", n)
	}
	if d.Weekday() != time.Thursday {
		t.Errorf("2026-12-31 is a %s", d.Weekday())
	}
	wib := time.FixedZone("WIB", 7*3600)
	if got := civil.Of(time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC).In(wib)).String(); got != "2027-01-01" {
		t.Errorf("17:30 UTC on New Year's Eve is %s in WIB", got)
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 {
		t.Error("Compare")
	}
}
