// Package nik parses and checks the Indonesian national identity number
// (Nomor Induk Kependudukan), and makes it hard to leak one: a NIK is the
// key to a person's civil record, so every way a value of this type can be
// printed, logged or encoded to JSON shows only the masked form
// (33720…0001); the full number comes out only through Full, which a
// reviewer can grep for. For the same reason NIK implements no
// database/sql Valuer: a column receives Full() (or its ciphertext) only
// where someone wrote that down.
//
// Layout of the 16 digits: PP KK DD DDMMYY SSSS — province, regency/city and
// district codes (Kemendagri), the holder's birth date with 40 added to the
// day for women, and a serial that is never 0000.
package nik

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/solodestination/api/pkg/civil"
)

// Errors wrapped by Parse; each message says what is wrong without quoting
// the number, since an error text often ends up in a log.
var (
	ErrLength    = errors.New("a NIK has exactly 16 digits")
	ErrDigits    = errors.New("a NIK contains only the digits 0-9")
	ErrProvince  = errors.New("unknown province code")
	ErrRegency   = errors.New("invalid regency/city code")
	ErrDistrict  = errors.New("invalid district code")
	ErrBirthDate = errors.New("the encoded birth date is not a calendar day")
	ErrSerial    = errors.New("the serial number 0000 is never issued")
)

// Error is what Parse returns: Err is one of the Err* values above, Detail
// adds the offending part where that part is not personal data.
type Error struct {
	Err    error
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return "nik: " + e.Err.Error()
	}
	return "nik: " + e.Err.Error() + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

// Provinces maps the two-digit Kemendagri province codes to their names.
// 93–96 are the Papuan provinces created in 2022; people registered before
// then keep their 91/92 numbers.
var Provinces = map[string]string{
	"11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
	"16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
	"21": "Kepulauan Riau",
	"31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah", "34": "DI Yogyakarta", "35": "Jawa Timur",
	"36": "Banten",
	"51": "Bali", "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur",
	"61": "Kalimantan Barat", "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
	"65": "Kalimantan Utara",
	"71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara",
	"75": "Gorontalo", "76": "Sulawesi Barat",
	"81": "Maluku", "82": "Maluku Utara",
	"91": "Papua", "92": "Papua Barat", "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan",
	"96": "Papua Barat Daya",
}

// NIK is a parsed, format-valid identity number. The zero value is "no NIK"
// and prints as the empty string.
type NIK struct{ s string }

// Parse checks s (surrounding white space is ignored) and returns the NIK.
// It checks the structure only: whether the number was ever issued is for
// Dukcapil to say.
func Parse(s string) (NIK, error) {
	s = strings.TrimSpace(s)
	if len(s) != 16 {
		for _, r := range s {
			if r < '0' || r > '9' {
				return NIK{}, &Error{Err: ErrDigits}
			}
		}
		return NIK{}, &Error{Err: ErrLength, Detail: fmt.Sprintf("got %d characters", len([]rune(s)))}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return NIK{}, &Error{Err: ErrDigits}
		}
	}
	if _, ok := Provinces[s[0:2]]; !ok {
		return NIK{}, &Error{Err: ErrProvince, Detail: s[0:2]}
	}
	if s[2:4] == "00" {
		return NIK{}, &Error{Err: ErrRegency, Detail: "00"}
	}
	if s[4:6] == "00" {
		return NIK{}, &Error{Err: ErrDistrict, Detail: "00"}
	}
	n := NIK{s}
	day, month, yy := n.dmy()
	if day > 40 {
		day -= 40
	}
	// A two-digit year divisible by 4 may be a leap year (2000 is; 1900 is
	// not, which BirthDate sorts out), so 29 February is allowed for it.
	if month < 1 || month > 12 || day < 1 || day > civil.DaysIn(2000+yy, time.Month(month)) {
		return NIK{}, &Error{Err: ErrBirthDate}
	}
	if s[12:16] == "0000" {
		return NIK{}, &Error{Err: ErrSerial}
	}
	return n, nil
}

// MustParse is Parse for constants in tests and seed data; it panics on error.
func MustParse(s string) NIK {
	n, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return n
}

func (n NIK) dmy() (day, month, yy int) {
	two := func(i int) int { return int(n.s[i]-'0')*10 + int(n.s[i+1]-'0') }
	return two(6), two(8), two(10)
}

// IsZero reports whether n is the zero value.
func (n NIK) IsZero() bool { return n.s == "" }

// Full is the whole 16-digit number, for storage and for comparing with
// another record. Nothing shown to a person or written to a log should call it.
func (n NIK) Full() string { return n.s }

// Province is the two-digit province code (33 for Jawa Tengah).
func (n NIK) Province() string { return n.part(0, 2) }

// Regency is the four-digit province+regency/city code (3372 for Surakarta).
func (n NIK) Regency() string { return n.part(0, 4) }

// District is the six-digit province+regency+district code (337201 for
// Laweyan in Surakarta).
func (n NIK) District() string { return n.part(0, 6) }

func (n NIK) part(i, j int) string {
	if n.IsZero() {
		return ""
	}
	return n.s[i:j]
}

// Female reports whether the encoded day has the 40 added for women.
func (n NIK) Female() bool {
	if n.IsZero() {
		return false
	}
	day, _, _ := n.dmy()
	return day > 40
}

// BirthDate resolves the two-digit year to the latest year not after today
// in which the encoded day exists: a NIK holder has been born already, and
// there are no NIKs older than the 1900s in use, so for anyone younger than
// a hundred this is exact. It returns false for the zero NIK.
func (n NIK) BirthDate(today civil.Date) (civil.Date, bool) {
	if n.IsZero() {
		return civil.Date{}, false
	}
	day, month, yy := n.dmy()
	if day > 40 {
		day -= 40
	}
	y := today.Year - ((today.Year-yy)%100+100)%100
	// Four centuries always contain a year in which 29 February exists.
	for range 5 {
		d := civil.Date{Year: y, Month: time.Month(month), Day: day}
		if d.IsValid() && !d.After(today) {
			return d, true
		}
		y -= 100
	}
	return civil.Date{}, false
}

// ConsistentWith reports whether the birth date a person stated matches the
// day, month and two-digit year encoded in the NIK.
func (n NIK) ConsistentWith(birth civil.Date) bool {
	if n.IsZero() {
		return false
	}
	day, month, yy := n.dmy()
	if day > 40 {
		day -= 40
	}
	return birth.IsValid() && birth.Day == day && int(birth.Month) == month && birth.Year%100 == yy
}

// Mask keeps the first five and the last four digits, enough for a person to
// recognise their own number and for staff to tell two apart, not enough to
// reconstruct it: 33720…0001.
func (n NIK) Mask() string {
	if n.IsZero() {
		return ""
	}
	return n.s[:5] + "…" + n.s[12:]
}

// String is the masked form, so %v, %s and string concatenation never show
// the full number.
func (n NIK) String() string { return n.Mask() }

// GoString is the masked form too, for %#v.
func (n NIK) GoString() string { return fmt.Sprintf("nik.NIK(%q)", n.Mask()) }

// Format prints the masked form for every verb; without it %d or %x would
// print the struct's field, the full number.
func (n NIK) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", n.Mask())
	default:
		if verb == 'v' && f.Flag('#') {
			_, _ = io.WriteString(f, n.GoString())
			return
		}
		_, _ = io.WriteString(f, n.Mask())
	}
}

// LogValue makes slog print the masked form, also inside groups and JSON
// handlers.
func (n NIK) LogValue() slog.Value { return slog.StringValue(n.Mask()) }

// MarshalJSON writes the masked form: a response that embeds a NIK by
// mistake shows 33720…0001, not the number. Send Full explicitly where the
// full number is really meant (nowhere in this API).
func (n NIK) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, "%q", n.Mask()), nil
}

// UnmarshalJSON parses a full NIK from a JSON string, so a request body can
// carry one; a masked value does not parse back.
func (n *NIK) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &Error{Err: ErrDigits, Detail: "want a JSON string"}
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*n = v
	return nil
}
