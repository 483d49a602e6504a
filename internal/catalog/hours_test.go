package catalog

import (
	"testing"
	"time"
)

// at is a Jakarta wall-clock time in the week of Monday 2026-03-02.
func at(day time.Weekday, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-03-01 "+hhmm, Jakarta) // a Sunday
	if err != nil {
		panic(err)
	}
	return t.AddDate(0, 0, int(day))
}

func TestOpenAt(t *testing.T) {
	t.Parallel()
	everyDay := func(open, close string) []Hours {
		var hs []Hours
		for d := range 7 {
			hs = append(hs, Hours{Day: d, Open: open, Close: close})
		}
		return hs
	}
	keraton := []Hours{ // closed on Friday
		{1, "09:00", "14:00"}, {2, "09:00", "14:00"}, {3, "09:00", "14:00"}, {4, "09:00", "14:00"},
		{6, "09:00", "15:00"}, {0, "09:00", "15:00"},
	}
	nightMarket := []Hours{{Day: 5, Open: "17:00", Close: "01:00"}} // Friday night only
	saturdayNight := []Hours{{Day: 6, Open: "20:00", Close: "02:00"}}
	tests := []struct {
		name  string
		hours []Hours
		at    time.Time
		want  bool
	}{
		{"keraton thursday morning", keraton, at(time.Thursday, "10:00"), true},
		{"keraton friday morning", keraton, at(time.Friday, "10:00"), false},
		{"keraton before opening", keraton, at(time.Monday, "08:59"), false},
		{"keraton at opening minute", keraton, at(time.Monday, "09:00"), true},
		{"keraton at closing minute", keraton, at(time.Monday, "14:00"), false},
		{"keraton sunday afternoon", keraton, at(time.Sunday, "14:30"), true},
		{"night market friday evening", nightMarket, at(time.Friday, "23:59"), true},
		{"night market saturday 00:30", nightMarket, at(time.Saturday, "00:30"), true},
		{"night market saturday 01:00", nightMarket, at(time.Saturday, "01:00"), false},
		{"night market friday 00:30 (Thursday night)", nightMarket, at(time.Friday, "00:30"), false},
		{"saturday night into sunday", saturdayNight, at(time.Sunday, "01:30"), true},
		{"saturday night, sunday evening", saturdayNight, at(time.Sunday, "21:00"), false},
		{"close 24:00 at 23:59", []Hours{{2, "08:00", "24:00"}}, at(time.Tuesday, "23:59"), true},
		{"close 24:00 next day 00:00", []Hours{{2, "08:00", "24:00"}}, at(time.Wednesday, "00:00"), false},
		{"all day", everyDay("00:00", "24:00"), at(time.Wednesday, "03:17"), true},
		{"close 00:00 means midnight", []Hours{{3, "18:00", "00:00"}}, at(time.Wednesday, "23:00"), true},
		{"close 00:00 does not spill", []Hours{{3, "18:00", "00:00"}}, at(time.Thursday, "00:00"), false},
		{"two spans a day, gap", []Hours{{1, "03:00", "11:00"}, {1, "13:00", "18:00"}}, at(time.Monday, "12:00"), false},
		{"two spans a day, second", []Hours{{1, "03:00", "11:00"}, {1, "13:00", "18:00"}}, at(time.Monday, "13:00"), true},
		{"no hours", nil, at(time.Monday, "12:00"), false},
		{"utc input is converted", keraton, at(time.Thursday, "10:00").UTC(), true},
	}
	for _, tc := range tests {
		if got := openAt(tc.hours, tc.at); got != tc.want {
			t.Errorf("%s: openAt = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSpans(t *testing.T) {
	t.Parallel()
	got := spans([]Hours{{6, "17:00", "01:00"}, {2, "08:00", "24:00"}, {3, "22:00", "00:00"}})
	want := []span{{6, 1020, 1440}, {0, 0, 60}, {2, 480, 1440}, {3, 1320, 1440}}
	if len(got) != len(want) {
		t.Fatalf("spans = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("span %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestValidateHours(t *testing.T) {
	t.Parallel()
	tests := []struct {
		h     Hours
		field string // "" when valid
	}{
		{Hours{1, "09:00", "17:00"}, ""},
		{Hours{1, "00:00", "24:00"}, ""},
		{Hours{1, "17:00", "01:00"}, ""},
		{Hours{7, "09:00", "17:00"}, "opening_hours[0].day"},
		{Hours{-1, "09:00", "17:00"}, "opening_hours[0].day"},
		{Hours{1, "24:00", "17:00"}, "opening_hours[0].open"},
		{Hours{1, "9:00", "17:00"}, "opening_hours[0].open"},
		{Hours{1, "09:60", "17:00"}, "opening_hours[0].open"},
		{Hours{1, "09:00", "24:01"}, "opening_hours[0].close"},
		{Hours{1, "09:00", "ab:cd"}, "opening_hours[0].close"},
		{Hours{1, "09:00", "09:00"}, "opening_hours[0].close"},
	}
	for _, tc := range tests {
		p := validateHours([]Hours{tc.h})
		if tc.field == "" && len(p) > 0 {
			t.Errorf("%v: unexpected problems %v", tc.h, p)
		}
		if tc.field != "" {
			if _, ok := p[tc.field]; !ok {
				t.Errorf("%v: problems %v, want one for %s", tc.h, p, tc.field)
			}
		}
	}
	if p := validateHours(make([]Hours, maxHours+1)); p["opening_hours"] == "" {
		t.Errorf("too many hours not reported: %v", p)
	}
}

func TestDemoSpan(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, Jakarta)
	tests := []struct {
		start, end         string
		wantStart, wantEnd string
	}{
		{"12-31T20:00", "01-01T02:00", "2026-12-31T20:00:00+07:00", "2027-01-01T02:00:00+07:00"},
		{"01-31T13:00", "01-31T18:00", "2027-01-31T13:00:00+07:00", "2027-01-31T18:00:00+07:00"},
		{"11-27T11:00", "11-27T12:00", "2026-11-27T11:00:00+07:00", "2026-11-27T12:00:00+07:00"},
		{"11-27T09:00", "11-27T12:00", "2027-11-27T09:00:00+07:00", "2027-11-27T12:00:00+07:00"},
		{"08-08T10:00", "08-15T08:00", "2027-08-08T10:00:00+07:00", "2027-08-15T08:00:00+07:00"},
	}
	for _, tc := range tests {
		s, e, err := demoSpan(tc.start, tc.end, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.In(Jakarta).Format(time.RFC3339); got != tc.wantStart {
			t.Errorf("%s: start %s, want %s", tc.start, got, tc.wantStart)
		}
		if got := e.In(Jakarta).Format(time.RFC3339); got != tc.wantEnd {
			t.Errorf("%s: end %s, want %s", tc.end, got, tc.wantEnd)
		}
		if s.Before(now) || s.After(now.AddDate(1, 0, 0)) {
			t.Errorf("%s: start %s outside the coming twelve months", tc.start, s)
		}
	}
	if _, _, err := demoSpan("13-01T10:00", "13-01T12:00", now); err == nil {
		t.Error("month 13 accepted")
	}
}
