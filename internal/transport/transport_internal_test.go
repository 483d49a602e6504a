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

func TestInitialsAndCodes(t *testing.T) {
	for name, want := range map[string]string{"  sari  wulandari ": "SW", "Ñoño de la Peña": "ÑDL", "'ahmad": "A", "": "", "123": ""} {
		if got := initials(name); got != want {
			t.Errorf("initials(%q) = %q, want %q", name, got, want)
		}
	}
	for raw, want := range map[string]string{" k7f3q2mx ": "K7F3Q2MX", "ZZZZZZZZ": "ZZZZZZZZ"} {
		if got, err := NormalizeCode(raw); err != nil || got != want {
			t.Errorf("NormalizeCode(%q) = %q, %v", raw, got, err)
		}
	}
	for _, raw := range []string{"K7F3Q2M0", "K7F3Q2MO", "K7F3Q2M1", "K7F3Q2MI", "K7F3Q2M", "K7F3Q2MXY", "K7F3Q2Mé"} {
		if _, err := NormalizeCode(raw); err == nil {
			t.Errorf("NormalizeCode(%q) accepted", raw)
		}
	}
	for range 100 {
		if _, err := NormalizeCode(newCode()); err != nil {
			t.Fatal("a drawn code is refused:", err)
		}
	}
}
