package penalty_test

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/penalty"
)

func d(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestStartedMonths(t *testing.T) {
	for _, c := range []struct {
		due, paid string
		want      int
	}{
		// API.md's examples.
		{"2026-09-30", "2026-10-01", 1},
		{"2026-09-30", "2026-10-30", 1},
		{"2026-09-30", "2026-10-31", 2},
		// On time.
		{"2026-09-30", "2026-09-30", 0},
		{"2026-09-30", "2026-09-01", 0},
		{"2026-09-30", "2025-12-31", 0},
		// One day late is a started month.
		{"2026-09-15", "2026-09-16", 1},
		{"2026-09-15", "2026-10-15", 1},
		{"2026-09-15", "2026-10-16", 2},
		// Month ends clamp: 01-31 + 1 month is the last day of February.
		{"2026-01-31", "2026-02-28", 1},
		{"2026-01-31", "2026-03-01", 2},
		{"2026-01-31", "2026-03-31", 2}, // + 2 months is 03-31, not 03-28
		{"2026-01-31", "2026-04-01", 3},
		{"2026-08-31", "2026-09-30", 1},
		{"2026-08-31", "2026-10-01", 2},
		// 29 February.
		{"2024-01-31", "2024-02-29", 1},
		{"2024-01-31", "2024-03-01", 2},
		{"2024-02-29", "2024-03-29", 1},
		{"2024-02-29", "2024-03-30", 2},
		{"2024-02-29", "2025-02-28", 12}, // + 12 months clamps to 2025-02-28
		{"2024-02-29", "2025-03-01", 13},
		{"2023-02-28", "2023-03-28", 1},
		{"2023-02-28", "2023-03-29", 2},
		// Across years and far past any cap.
		{"2025-12-31", "2026-01-31", 1},
		{"2025-12-31", "2026-02-01", 2},
		{"2023-09-30", "2026-09-30", 36},
		{"2023-09-30", "2026-10-01", 37},
		{"0001-01-01", "9999-12-31", 119988},
	} {
		if got := penalty.StartedMonths(d(c.due), d(c.paid)); got != c.want {
			t.Errorf("StartedMonths(%s, %s) = %d, want %d", c.due, c.paid, got, c.want)
		}
	}
}

func TestRuleFor(t *testing.T) {
	for _, c := range []struct {
		due    string
		rateBP int64
		cap    int
	}{
		{"2023-12-31", 200, 24},
		{"2024-01-01", 100, 24},
		{"2026-09-30", 100, 24},
		{"2010-09-30", 200, 24},
		{"0001-01-01", 200, 24},
	} {
		r, err := penalty.Surakarta.RuleFor(d(c.due))
		if err != nil || r.RateBP != c.rateBP || r.MaxMonths != c.cap || r.Basis == "" {
			t.Errorf("RuleFor(%s) = %+v, %v", c.due, r, err)
		}
	}
	if _, err := penalty.Surakarta.RuleFor(civil.Date{}); !errors.Is(err, penalty.ErrDate) {
		t.Errorf("zero due date: %v", err)
	}
	late := penalty.MustTable(penalty.Rule{EffectiveFrom: d("2024-01-01"), RateBP: 100, MaxMonths: 24})
	if _, err := late.RuleFor(d("2023-12-31")); !errors.Is(err, penalty.ErrNoRule) {
		t.Errorf("before the first row: %v", err)
	}
}

func TestAssess(t *testing.T) {
	for _, c := range []struct {
		name           string
		table          penalty.Table
		principal      int64
		due, asOf      string
		months         int
		penalty, total int64
	}{
		{"HKPD on time", penalty.Surakarta, 150000, "2026-09-30", "2026-09-30", 0, 0, 150000},
		{"HKPD a day late", penalty.Surakarta, 150000, "2026-09-30", "2026-10-01", 1, 1500, 151500},
		{"HKPD 10-30", penalty.Surakarta, 150000, "2026-09-30", "2026-10-30", 1, 1500, 151500},
		{"HKPD 10-31", penalty.Surakarta, 150000, "2026-09-30", "2026-10-31", 2, 3000, 153000},
		{"HKPD 24 months", penalty.Surakarta, 150000, "2024-09-30", "2026-09-30", 24, 36000, 186000},
		{"HKPD capped at 24", penalty.Surakarta, 150000, "2024-01-01", "2026-12-05", 24, 36000, 186000},
		{"HKPD rounds down", penalty.Surakarta, 99, "2026-09-30", "2026-10-01", 1, 0, 99},
		{"HKPD rounds down 2", penalty.Surakarta, 1999, "2026-09-30", "2026-11-15", 2, 39, 2038}, // 39.98
		{"old regime 2 %", penalty.Surakarta, 150000, "2023-09-30", "2023-10-01", 1, 3000, 153000},
		{"old regime boundary day", penalty.Surakarta, 150000, "2023-12-31", "2024-01-01", 1, 3000, 153000},
		{"new regime boundary day", penalty.Surakarta, 150000, "2024-01-01", "2024-01-02", 1, 1500, 151500},
		{"old regime capped at 24", penalty.Surakarta, 150000, "2020-09-30", "2026-12-05", 24, 72000, 222000},
		{"old regime rounds down", penalty.Surakarta, 1234567, "2023-09-30", "2024-01-15", 4, 98765, 1333332}, // 98765.36
		{"STPD capped at 15", penalty.STPD2009, 150000, "2020-09-30", "2026-12-05", 15, 45000, 195000},
		{"STPD under the cap", penalty.STPD2009, 150000, "2026-01-31", "2026-03-31", 2, 6000, 156000},
		{"zero principal", penalty.Surakarta, 0, "2020-01-01", "2026-12-05", 24, 0, 0},
		{"largest principal without interest", penalty.Surakarta, math.MaxInt64, "2026-09-30", "2026-09-01", 0, 0, math.MaxInt64},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := c.table.Assess(c.principal, d(c.due), d(c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			if a.Months != c.months || a.PenaltyIDR != c.penalty || a.TotalIDR != c.total {
				t.Fatalf("Assess = %d months, penalty %d, total %d; want %d, %d, %d", a.Months, a.PenaltyIDR, a.TotalIDR, c.months, c.penalty, c.total)
			}
		})
	}
}

func TestAssessRejects(t *testing.T) {
	for _, c := range []struct {
		name      string
		principal int64
		due, asOf civil.Date
		want      error
	}{
		{"negative principal", -1, d("2026-09-30"), d("2026-10-01"), penalty.ErrNegative},
		{"overflowing total", math.MaxInt64, d("2026-09-30"), d("2026-10-01"), penalty.ErrOverflow},
		{"overflowing total by one rupiah", math.MaxInt64 - 1, d("2026-09-30"), d("2028-10-01"), penalty.ErrOverflow},
		{"invalid today", 1000, d("2026-09-30"), civil.Date{Year: 2026, Month: 2, Day: 30}, penalty.ErrDate},
		{"invalid due date", 1000, civil.Date{}, d("2026-10-01"), penalty.ErrDate},
	} {
		if _, err := penalty.Surakarta.Assess(c.principal, c.due, c.asOf); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestInterest(t *testing.T) {
	for _, c := range []struct {
		principal, rateBP int64
		months            int
		want              int64
		err               error
	}{
		{150000, 100, 1, 1500, nil},
		{150001, 100, 1, 1500, nil},
		{math.MaxInt64, 100, 24, 2213609288845146193, nil}, // 24 % of MaxInt64 fits (the total would not)
		{math.MaxInt64 / 2, 10000, 2, math.MaxInt64 - 1, nil},
		{math.MaxInt64, 10000, 1, math.MaxInt64, nil},
		{math.MaxInt64, 10000, 2, 0, penalty.ErrOverflow},
		{math.MaxInt64, 10000, 1200, 0, penalty.ErrOverflow},
		{1, 10001, 1, 0, penalty.ErrOverflow},
		{1, 100, 1201, 0, penalty.ErrOverflow},
		{-1, 100, 1, 0, penalty.ErrNegative},
		{1, -100, 1, 0, penalty.ErrNegative},
		{1, 100, -1, 0, penalty.ErrNegative},
	} {
		got, err := penalty.Interest(c.principal, c.rateBP, c.months)
		if !errors.Is(err, c.err) || (c.err == nil && got != c.want) {
			t.Errorf("Interest(%d, %d, %d) = %d, %v; want %d, %v", c.principal, c.rateBP, c.months, got, err, c.want, c.err)
		}
	}
}

func TestNewTableRejects(t *testing.T) {
	good := penalty.Rule{EffectiveFrom: d("2024-01-01"), RateBP: 100, MaxMonths: 24}
	for name, rules := range map[string][]penalty.Rule{
		"empty":         nil,
		"invalid date":  {{RateBP: 100, MaxMonths: 24}},
		"not ascending": {good, {EffectiveFrom: d("2023-01-01"), RateBP: 200, MaxMonths: 24}},
		"duplicate":     {good, good},
		"negative rate": {{EffectiveFrom: d("2024-01-01"), RateBP: -1, MaxMonths: 24}},
		"huge rate":     {{EffectiveFrom: d("2024-01-01"), RateBP: 10001, MaxMonths: 24}},
		"negative cap":  {{EffectiveFrom: d("2024-01-01"), RateBP: 100, MaxMonths: -1}},
		"huge cap":      {{EffectiveFrom: d("2024-01-01"), RateBP: 100, MaxMonths: 1201}},
	} {
		if _, err := penalty.NewTable(rules...); !errors.Is(err, penalty.ErrTable) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	rs := penalty.Surakarta.Rules()
	rs[0].RateBP = 9999
	if penalty.Surakarta.Rules()[0].RateBP != 200 {
		t.Error("Rules exposes the table's storage")
	}
}

// FuzzStartedMonths checks StartedMonths against its definition (the
// smallest m ≥ 1 with paid ≤ due + m months) and Interest against math/big.
func FuzzStartedMonths(f *testing.F) {
	f.Add(2026, 9, 30, 2026, 10, 31, int64(150000))
	f.Add(2024, 1, 31, 2024, 2, 29, int64(1))
	f.Add(2024, 2, 29, 2025, 2, 28, int64(math.MaxInt64))
	f.Add(2026, 9, 30, 2026, 9, 30, int64(-5))
	f.Fuzz(func(t *testing.T, dy, dm, dd, py, pm, pd int, principal int64) {
		due := civil.Date{Year: 1900 + abs(dy)%300, Month: time.Month(1 + abs(dm)%12), Day: 1 + abs(dd)%31}
		paid := civil.Date{Year: 1900 + abs(py)%300, Month: time.Month(1 + abs(pm)%12), Day: 1 + abs(pd)%31}
		if !due.IsValid() || !paid.IsValid() {
			return
		}
		m := penalty.StartedMonths(due, paid)
		if !paid.After(due) {
			if m != 0 {
				t.Fatalf("on time but %d months", m)
			}
		} else if m < 1 || paid.After(due.AddMonthsClamped(m)) || (m > 1 && !paid.After(due.AddMonthsClamped(m-1))) {
			t.Fatalf("StartedMonths(%s, %s) = %d is not the smallest sufficient m", due, paid, m)
		}
		a, err := penalty.Surakarta.Assess(principal, due, paid)
		if principal < 0 {
			if !errors.Is(err, penalty.ErrNegative) {
				t.Fatalf("negative principal: %v", err)
			}
			return
		}
		r, _ := penalty.Surakarta.RuleFor(due)
		months := min(m, r.MaxMonths)
		want := new(big.Int).Mul(big.NewInt(principal), big.NewInt(r.RateBP*int64(months)))
		want.Quo(want, big.NewInt(10000))
		total := new(big.Int).Add(want, big.NewInt(principal))
		if !total.IsInt64() {
			if !errors.Is(err, penalty.ErrOverflow) {
				t.Fatalf("overflow not reported: %v", err)
			}
			return
		}
		if err != nil || a.PenaltyIDR != want.Int64() || a.TotalIDR != total.Int64() || a.Months != months {
			t.Fatalf("Assess = %+v, %v; want penalty %s", a, err, want)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == math.MinInt {
			return 0
		}
		return -n
	}
	return n
}
