// Package ntpd makes and checks receipt numbers (Nomor Transaksi
// Penerimaan Daerah) for paid regional taxes. A citizen reads the number off
// a receipt and types it into the public verification page, so the format
// is all digits and carries a checksum that catches a mistyped digit or two
// swapped neighbours before any lookup.
//
// Format, 20 digits: RRRR YYYYMMDD SSSSSS CC
//
//	RRRR      region code of the issuing city (3372 for Surakarta)
//	YYYYMMDD  the payment's day in Asia/Jakarta
//	SSSSSS    serial within that day, 000000–999999
//	CC        ISO 7064 MOD 97-10 check digits over the first 18
//
// Twenty digits keep it apart from a NIK (16) and a NOP (18), the other
// numbers on the same receipt. MOD 97-10 (the IBAN checksum) detects every
// single-digit error and every transposition of adjacent digits.
package ntpd

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/solodestination/api/pkg/civil"
)

// Length is the number of digits in an NTPD.
const Length = 20

// MaxSerial is the largest serial of one day.
const MaxSerial = 999_999

// SurakartaRegion is the BPS/Kemendagri code of Kota Surakarta.
const SurakartaRegion = "3372"

// Errors of this package.
var (
	ErrFormat   = errors.New("ntpd: want 20 digits")
	ErrChecksum = errors.New("ntpd: check digits do not match")
	ErrInput    = errors.New("ntpd: invalid region, date or serial")
)

// NTPD is a parsed receipt number.
type NTPD struct {
	Region string
	Date   civil.Date
	Serial int
}

// New returns the NTPD for region (four digits), the payment's day and a
// serial the caller keeps unique per day (a counter, or Random's draw under a
// unique index).
func New(region string, day civil.Date, serial int) (string, error) {
	if len(region) != 4 || !digits(region) || !day.IsValid() || serial < 0 || serial > MaxSerial {
		return "", ErrInput
	}
	body := fmt.Sprintf("%s%04d%02d%02d%06d", region, day.Year, int(day.Month), day.Day, serial)
	return body + check(body), nil
}

// check is the ISO 7064 MOD 97-10 pair for body: 98 − (body·100 mod 97),
// always 02–98.
func check(body string) string { return fmt.Sprintf("%02d", 98-mod97(body+"00")) }

// Random is New with a serial drawn from crypto/rand; with a unique index on
// the column, a collision (one in a million per pair on a day) is retried.
func Random(region string, day civil.Date) (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(MaxSerial+1))
	if err != nil {
		return "", err
	}
	return New(region, day, int(n.Int64()))
}

// Parse checks s (surrounding white space ignored) and returns its parts.
func Parse(s string) (NTPD, error) {
	s = strings.TrimSpace(s)
	if len(s) != Length || !digits(s) {
		return NTPD{}, ErrFormat
	}
	// Comparing with the computed pair rather than testing "mod 97 == 1"
	// keeps one spelling per number: 00, 01 and 99 would pass that test
	// where 97, 98 and 02 are the check digits.
	if s[18:] != check(s[:18]) {
		return NTPD{}, ErrChecksum
	}
	var day civil.Date
	if err := day.UnmarshalText([]byte(s[4:8] + "-" + s[8:10] + "-" + s[10:12])); err != nil {
		return NTPD{}, fmt.Errorf("%w: %s is not a day", ErrFormat, s[4:12])
	}
	serial := 0
	for _, c := range s[12:18] {
		serial = serial*10 + int(c-'0')
	}
	return NTPD{Region: s[:4], Date: day, Serial: serial}, nil
}

// Valid reports whether s is an NTPD exactly as issued: 20 digits, no white
// space, a real date and matching check digits.
func Valid(s string) bool {
	if len(s) != Length {
		return false
	}
	_, err := Parse(s)
	return err == nil
}

// String is the 20-digit form.
func (n NTPD) String() string {
	s, err := New(n.Region, n.Date, n.Serial)
	if err != nil {
		return ""
	}
	return s
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mod97 is the decimal number s modulo 97, digit by digit so it never
// overflows.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + int(s[i]-'0')) % 97
	}
	return r
}
