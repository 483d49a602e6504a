package transport

import (
	"strings"
	"testing"
	"time"
)

func TestBookingCodesAreShortAndUnambiguous(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		c := newCode()
		if len(c) != CodeLength || strings.ContainsAny(c, "0O1I") {
			t.Fatalf("code %q", c)
		}
		for _, r := range c {
			if !strings.ContainsRune(codeAlphabet, r) {
				t.Fatalf("code %q has %q", c, r)
			}
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice in 10 000", c)
		}
		seen[c] = true
	}
}

func TestTripStatusAt(t *testing.T) {
	dep := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		stored TripStatus
		now    time.Time
		want   TripStatus
	}{
		{TripScheduled, dep.Add(-time.Second), TripScheduled},
		{TripScheduled, dep, TripDeparted},
		{TripScheduled, dep.Add(time.Hour), TripDeparted},
		{TripCancelled, dep.Add(-time.Hour), TripCancelled},
		{TripCancelled, dep.Add(time.Hour), TripCancelled},
	} {
		if got := (Trip{Status: c.stored, DepartsAt: dep}).StatusAt(c.now); got != c.want {
			t.Errorf("%s at %v: %s, want %s", c.stored, c.now.Sub(dep), got, c.want)
		}
	}
}
