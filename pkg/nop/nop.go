// Package nop parses and formats the 18-digit Nomor Objek Pajak of PBB-P2,
// the number on every land and building tax notice (SPPT) and what people
// type into a payment channel. Citizens copy it in two forms, plain digits or
// the dotted form printed on the SPPT, so both are accepted; anything else is
// rejected rather than guessed at, because a mistyped NOP that happens to
// parse is somebody else's property.
//
// Layout: PP.KK.DDD.VVV.BBB-NNNN.C — province, regency/city, district
// (kecamatan), village (kelurahan), block, object number within the block,
// and a code digit (0 an object of one taxpayer, 9 a jointly used object,
// 7 a SISTEP-structured object).
package nop

import (
	"errors"
	"fmt"
	"strings"
)

// Errors Parse wraps.
var (
	ErrFormat = errors.New("nop: want 18 digits, plain or as PP.KK.DDD.VVV.BBB-NNNN.C")
)

// Surakarta's province and regency/city codes: the city's NOPs start 33.72.
const (
	SurakartaProvince = "33"
	SurakartaRegency  = "72"
)

// NOP is a parsed tax object number; the zero value is "none".
type NOP struct{ s string }

// dotted is the display template: '9' marks a digit position.
const dotted = "99.99.999.999.999-9999.9"

// Parse accepts exactly 18 ASCII digits or the dotted form, after trimming
// surrounding white space.
func Parse(s string) (NOP, error) {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 18:
		if !allDigits(s) {
			return NOP{}, ErrFormat
		}
		return NOP{s}, nil
	case len(dotted):
		var b [18]byte
		n := 0
		for i := 0; i < len(dotted); i++ {
			c := s[i]
			if dotted[i] == '9' {
				if c < '0' || c > '9' {
					return NOP{}, ErrFormat
				}
				b[n] = c
				n++
			} else if c != dotted[i] {
				return NOP{}, ErrFormat
			}
		}
		return NOP{string(b[:])}, nil
	}
	return NOP{}, ErrFormat
}

// MustParse is Parse for constants in tests and seed data; it panics on error.
func MustParse(s string) NOP {
	n, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return n
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsZero reports whether n is the zero value.
func (n NOP) IsZero() bool { return n.s == "" }

// Digits is the plain 18-digit form, the one to store and index.
func (n NOP) Digits() string { return n.s }

// Format is the dotted display form, 33.72.010.001.002-0003.0.
func (n NOP) Format() string { return n.apply(nil) }

// Mask is the dotted form with the block and the first two digits of the
// object number hidden: 33.72.010.001.***-**03.0. Where the object lies
// (district, village) stays readable for the payer to recognise, but the
// number cannot be used to look the object's bills up.
func (n NOP) Mask() string {
	return n.apply(func(i int) bool { return i >= 10 && i < 15 })
}

func (n NOP) apply(hide func(digit int) bool) string {
	if n.IsZero() {
		return ""
	}
	out := make([]byte, 0, len(dotted))
	d := 0
	for i := 0; i < len(dotted); i++ {
		if dotted[i] != '9' {
			out = append(out, dotted[i])
			continue
		}
		if hide != nil && hide(d) {
			out = append(out, '*')
		} else {
			out = append(out, n.s[d])
		}
		d++
	}
	return string(out)
}

// String is the dotted form: unlike a NIK, a NOP is printed on public notices.
func (n NOP) String() string { return n.Format() }

// Province is the two-digit province code (33).
func (n NOP) Province() string { return n.part(0, 2) }

// Regency is the two-digit regency/city code within the province (72).
func (n NOP) Regency() string { return n.part(2, 4) }

// District is the three-digit kecamatan code.
func (n NOP) District() string { return n.part(4, 7) }

// Village is the three-digit kelurahan/desa code.
func (n NOP) Village() string { return n.part(7, 10) }

// Block is the three-digit block of the tax map.
func (n NOP) Block() string { return n.part(10, 13) }

// Number is the four-digit object number within the block.
func (n NOP) Number() string { return n.part(13, 17) }

// Code is the special code digit (0, 9 or 7 in practice; not checked).
func (n NOP) Code() string { return n.part(17, 18) }

func (n NOP) part(i, j int) string {
	if n.IsZero() {
		return ""
	}
	return n.s[i:j]
}

// InCity reports whether the object lies in the given province and
// regency/city, e.g. InCity(SurakartaProvince, SurakartaRegency).
func (n NOP) InCity(province, regency string) bool {
	return !n.IsZero() && n.Province() == province && n.Regency() == regency
}

// InSurakarta is InCity for the city this API serves.
func (n NOP) InSurakarta() bool { return n.InCity(SurakartaProvince, SurakartaRegency) }

// MarshalText is the dotted form, so JSON and query strings show what the
// SPPT shows.
func (n NOP) MarshalText() ([]byte, error) {
	if n.IsZero() {
		return nil, fmt.Errorf("nop: marshalling an empty NOP")
	}
	return []byte(n.Format()), nil
}

// UnmarshalText accepts both forms, like Parse.
func (n *NOP) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}
