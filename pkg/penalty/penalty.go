// Package penalty computes the late-payment interest (sanksi administratif
// bunga) on regional tax bills. The rules change with the law, and a bill
// keeps the rule that was in force for its due date, so they are data — a
// Table of rows with effective dates — rather than branches in code: a new
// regional regulation is a new row.
//
// Every amount is whole rupiah in int64; there are no floats anywhere, and a
// computation that would not fit is an error rather than a wrapped number.
package penalty

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/solodestination/api/pkg/civil"
)

// Errors returned by this package.
var (
	ErrNegative = errors.New("penalty: amounts cannot be negative")
	ErrOverflow = errors.New("penalty: amount too large")
	ErrNoRule   = errors.New("penalty: no rule in force for this due date")
	ErrDate     = errors.New("penalty: invalid date")
	ErrTable    = errors.New("penalty: invalid rule table")
)

// BasisPointsPerPercent: rates are in basis points so 1 % is the integer 100.
const BasisPointsPerPercent = 100

// Rule is one row of a Table.
type Rule struct {
	// EffectiveFrom: the rule applies to bills due on or after this day
	// (until the next row's day).
	EffectiveFrom civil.Date
	// RateBP is the interest per started month in basis points (100 = 1 %).
	RateBP int64
	// MaxMonths caps the months charged (24 under HKPD; 15 for an STPD under
	// UU 28/2009).
	MaxMonths int
	// Basis names the legal source, for staff screens and audits.
	Basis string
}

// Table is a list of rules in ascending EffectiveFrom order.
type Table struct{ rules []Rule }

// Limits a row must respect: more than 100 % a month or a century of months
// is a typo, not a law.
const (
	maxRateBP    = 100 * BasisPointsPerPercent
	maxMaxMonths = 1200
)

// NewTable checks the rows: valid dates in strictly ascending order, rates
// and caps in range.
func NewTable(rules ...Rule) (Table, error) {
	if len(rules) == 0 {
		return Table{}, fmt.Errorf("%w: no rules", ErrTable)
	}
	for i, r := range rules {
		switch {
		case !r.EffectiveFrom.IsValid():
			return Table{}, fmt.Errorf("%w: row %d: invalid effective date %s", ErrTable, i, r.EffectiveFrom)
		case i > 0 && !r.EffectiveFrom.After(rules[i-1].EffectiveFrom):
			return Table{}, fmt.Errorf("%w: row %d: effective dates must ascend", ErrTable, i)
		case r.RateBP < 0 || r.RateBP > maxRateBP:
			return Table{}, fmt.Errorf("%w: row %d: rate %d bp out of range", ErrTable, i, r.RateBP)
		case r.MaxMonths < 0 || r.MaxMonths > maxMaxMonths:
			return Table{}, fmt.Errorf("%w: row %d: cap %d months out of range", ErrTable, i, r.MaxMonths)
		}
	}
	return Table{rules: append([]Rule(nil), rules...)}, nil
}

// MustTable is NewTable for package-level tables; it panics on error.
func MustTable(rules ...Rule) Table {
	t, err := NewTable(rules...)
	if err != nil {
		panic(err)
	}
	return t
}

// Rules returns a copy of the rows.
func (t Table) Rules() []Rule { return append([]Rule(nil), t.rules...) }

// Surakarta is the table the API applies to its bills: bills due before
// 2024-01-01 follow the older practice for PBB (2 % per started month, at
// most 24 months); bills due on or after it, the city's regional-tax
// regulation under UU 1/2022 (HKPD): 1 % per started month, at most 24.
var Surakarta = MustTable(
	Rule{EffectiveFrom: civil.Date{Year: 1, Month: 1, Day: 1}, RateBP: 200, MaxMonths: 24,
		Basis: "UU 28/2009 practice for PBB: 2 % per month, at most 24 months"},
	Rule{EffectiveFrom: civil.Date{Year: 2024, Month: 1, Day: 1}, RateBP: 100, MaxMonths: 24,
		Basis: "regional-tax regulation under UU 1/2022 (HKPD): 1 % per month, at most 24 months"},
)

// STPD2009 is the UU 28/2009 rule for a tax assessed by STPD (2 % per month
// for at most 15 months), kept as its own table for bills that were issued
// under it; the cap is just another value of the MaxMonths column.
var STPD2009 = MustTable(
	Rule{EffectiveFrom: civil.Date{Year: 1, Month: 1, Day: 1}, RateBP: 200, MaxMonths: 15,
		Basis: "UU 28/2009 STPD: 2 % per month, at most 15 months"},
)

// RuleFor is the row in force for a bill due on due: the last row whose
// EffectiveFrom is not after it.
func (t Table) RuleFor(due civil.Date) (Rule, error) {
	if !due.IsValid() {
		return Rule{}, fmt.Errorf("%w: due date %s", ErrDate, due)
	}
	for i := len(t.rules) - 1; i >= 0; i-- {
		if !t.rules[i].EffectiveFrom.After(due) {
			return t.rules[i], nil
		}
	}
	return Rule{}, ErrNoRule
}

// StartedMonths counts the months late with a started month counted whole:
// the smallest m ≥ 1 such that paid ≤ due + m months, adding months with
// civil.Date.AddMonthsClamped (from the due date each time, so a bill due
// 01-31 is one month late until 02-28 and two until 03-31); 0 when paid is
// on or before due. Due 2026-09-30: paid 10-01 → 1, 10-30 → 1, 10-31 → 2.
// Both dates must be valid (Assess checks them).
func StartedMonths(due, paid civil.Date) int {
	if !paid.After(due) {
		return 0
	}
	// due + m months lies in month due.Month+m, so the calendar-month
	// difference is the answer or one short of it.
	m := max((paid.Year-due.Year)*12+int(paid.Month)-int(due.Month), 1)
	if paid.After(due.AddMonthsClamped(m)) {
		m++
	}
	return m
}

// Interest is principal × rateBP/10000 × months rounded down to the rupiah,
// computed in 128 bits so that it either is exact or fails with ErrOverflow.
func Interest(principal, rateBP int64, months int) (int64, error) {
	if principal < 0 || rateBP < 0 || months < 0 {
		return 0, ErrNegative
	}
	if rateBP > maxRateBP || months > maxMaxMonths {
		return 0, fmt.Errorf("%w: rate or months out of range", ErrOverflow)
	}
	hi, lo := bits.Mul64(uint64(principal), uint64(rateBP)*uint64(months))
	if hi >= 10000 { // the quotient would not fit 64 bits
		return 0, ErrOverflow
	}
	q, _ := bits.Div64(hi, lo, 10000)
	if q > math.MaxInt64 {
		return 0, ErrOverflow
	}
	return int64(q), nil
}

// Assessment is a bill's penalty as of one day.
type Assessment struct {
	Rule       Rule
	Months     int // started months late after the cap
	PenaltyIDR int64
	TotalIDR   int64
}

// Assess applies the rule in force for due to principal as of the day asOf
// (for the API: today in Asia/Jakarta, civil.TodayInJakarta).
func (t Table) Assess(principal int64, due, asOf civil.Date) (Assessment, error) {
	if principal < 0 {
		return Assessment{}, ErrNegative
	}
	if !asOf.IsValid() {
		return Assessment{}, fmt.Errorf("%w: %s", ErrDate, asOf)
	}
	r, err := t.RuleFor(due)
	if err != nil {
		return Assessment{}, err
	}
	months := min(StartedMonths(due, asOf), r.MaxMonths)
	p, err := Interest(principal, r.RateBP, months)
	if err != nil {
		return Assessment{}, err
	}
	if p > math.MaxInt64-principal {
		return Assessment{}, ErrOverflow
	}
	return Assessment{Rule: r, Months: months, PenaltyIDR: p, TotalIDR: principal + p}, nil
}
