package database

import (
	"testing"
	"time"
)

// A standby's lag is the age of the oldest primary position it has not
// replayed; having replayed the newest means none, however old it is.
func TestReplicaLagFromWALSamples(t *testing.T) {
	t0 := time.Date(2026, 8, 17, 9, 0, 0, 0, time.UTC)
	r := &router{samples: []walSample{{t0, 100}, {t0.Add(time.Second), 200}, {t0.Add(2 * time.Second), 300}}}
	now := t0.Add(2500 * time.Millisecond)
	for _, tc := range []struct {
		replayed int64
		want     time.Duration
	}{
		{300, 0},                       // caught up: an idle primary never looks behind
		{400, 0},                       // ahead of the last sample
		{250, 500 * time.Millisecond},  // misses only what came after the 1 s sample
		{200, 500 * time.Millisecond},  // has the 1 s sample's position exactly
		{150, 1500 * time.Millisecond}, // misses the 1 s sample
		{50, 2500 * time.Millisecond},  // misses everything kept
		{-1, 2500 * time.Millisecond},  // no replay position at all
	} {
		if got := r.lagOf(tc.replayed, now); got != tc.want {
			t.Errorf("replayed %d: lag %v, want %v", tc.replayed, got, tc.want)
		}
	}
	if got := (&router{}).lagOf(0, now); got != 0 {
		t.Errorf("no samples yet: lag %v, want 0", got)
	}
}
