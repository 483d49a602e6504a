package civil_test

import (
	"testing"
	"time"

	"github.com/solodestination/api/pkg/civil"
)

func TestParseAndArithmetic(t *testing.T) {
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
