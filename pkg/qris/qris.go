// Package qris builds and reads QRIS payloads: Bank Indonesia's national QR
// standard, which is EMVCo Merchant-Presented Mode. A tax bill is paid with a
// dynamic QR (point of initiation "12"), which carries the exact amount so
// the payer cannot key in a different one, and the bill number so the
// acquirer's notification can be matched to it.
//
// A payload is a run of TLV fields — a two-digit ID, a two-digit length,
// the value — opened by field 00 and closed by field 63: a CRC-16/CCITT-FALSE
// over everything before its value, "6304" included. Templates (26–51, 62)
// hold TLV fields of their own.
//
// Only printable ASCII is produced or accepted: the language template (64),
// the one place the standard allows other characters, is not used here.
package qris

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Field IDs this package writes.
const (
	IDPayloadFormat     = "00"
	IDPointOfInitiation = "01"
	IDMerchantAccount   = "26" // the acquirer's merchant account (26–45 are free for acquirers)
	IDNationalAccount   = "51" // the national QRIS merchant ID (NMID)
	IDMCC               = "52"
	IDCurrency          = "53"
	IDAmount            = "54"
	IDCountry           = "58"
	IDMerchantName      = "59"
	IDMerchantCity      = "60"
	IDPostalCode        = "61"
	IDAdditionalData    = "62"
	IDCRC               = "63"
)

// Sub-field IDs inside the merchant account templates and template 62.
const (
	SubGUID           = "00"
	SubMerchantPAN    = "01"
	SubMerchantID     = "02"
	SubCriteria       = "03"
	SubBillNumber     = "01"
	SubReferenceLabel = "05"
	SubTerminalLabel  = "07"
)

// Fixed values.
const (
	PayloadFormatV1 = "01"
	Static          = "11"
	Dynamic         = "12"
	CurrencyIDR     = "360" // ISO 4217 numeric
	CountryID       = "ID"
	NationalGUID    = "ID.CO.QRIS.WWW"
	MCCTaxPayments  = "9311" // ISO 18245: tax payments
)

// Errors of this package.
var (
	ErrTLV     = errors.New("qris: malformed TLV")
	ErrCRC     = errors.New("qris: CRC mismatch")
	ErrPayload = errors.New("qris: invalid payload")
	ErrInput   = errors.New("qris: invalid merchant or payment data")
)

// Field is one TLV element.
type Field struct {
	ID    string
	Value string
}

// Encode writes fields in the given order. IDs must be two digits, values
// printable ASCII of at most 99 characters.
func Encode(fields ...Field) (string, error) {
	var b strings.Builder
	for _, f := range fields {
		if len(f.ID) != 2 || !isDigits(f.ID) {
			return "", fmt.Errorf("%w: field ID %q", ErrTLV, f.ID)
		}
		if len(f.Value) > 99 || !printable(f.Value) {
			return "", fmt.Errorf("%w: field %s value too long or not printable ASCII", ErrTLV, f.ID)
		}
		fmt.Fprintf(&b, "%s%02d%s", f.ID, len(f.Value), f.Value)
	}
	return b.String(), nil
}

// Decode splits s into TLV fields; it does not look inside templates (call
// Decode on a template's value for that).
func Decode(s string) ([]Field, error) {
	if !printable(s) {
		return nil, fmt.Errorf("%w: not printable ASCII", ErrTLV)
	}
	var out []Field
	for i := 0; i < len(s); {
		if len(s)-i < 4 || !isDigits(s[i:i+4]) {
			return nil, fmt.Errorf("%w: bad ID or length at offset %d", ErrTLV, i)
		}
		n, _ := strconv.Atoi(s[i+2 : i+4])
		if i+4+n > len(s) {
			return nil, fmt.Errorf("%w: field %s at offset %d runs past the end", ErrTLV, s[i:i+2], i)
		}
		out = append(out, Field{ID: s[i : i+2], Value: s[i+4 : i+4+n]})
		i += 4 + n
	}
	return out, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// CRC16 is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no
// final XOR), the checksum EMVCo prescribes for field 63.
func CRC16(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range data {
		crc ^= uint16(c) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// withCRC appends field 63 to a payload that lacks it.
func withCRC(body string) string {
	body += IDCRC + "04"
	return body + fmt.Sprintf("%04X", CRC16([]byte(body)))
}

// Merchant is who is paid: the city's revenue office as registered with its
// acquiring bank and in the national QRIS repository.
type Merchant struct {
	// AcquirerGUID names the acquirer's account scheme in reverse-domain
	// form, e.g. "ID.CO.BANKJATENG.WWW" (field 26.00).
	AcquirerGUID string
	// MerchantPAN is the merchant's PAN at the acquirer, up to 19 digits (26.01).
	MerchantPAN string
	// MerchantID is the acquirer's merchant ID, up to 15 characters (26.02).
	MerchantID string
	// NMID is the national merchant ID from the QRIS repository, e.g.
	// "ID1020012345678" (51.02).
	NMID string
	// Criteria is the merchant size class: UMI, UKE, UME, UBE or URE (x.03).
	Criteria string
	// MCC is the four-digit merchant category code; MCCTaxPayments for taxes.
	MCC string
	// Name (at most 25) and City (at most 15) are what the payer's app shows.
	Name, City string
	// PostalCode is optional (at most 10).
	PostalCode string
}

// Payment is one dynamic QR's transaction data.
type Payment struct {
	// AmountIDR is whole rupiah, more than zero.
	AmountIDR int64
	// BillNumber identifies what is paid (62.01, at most 25).
	BillNumber string
	// ReferenceLabel is an optional reference, e.g. our payment ID (62.05, at most 25).
	ReferenceLabel string
	// TerminalLabel is optional (62.07, at most 25).
	TerminalLabel string
}

var criteria = map[string]bool{"UMI": true, "UKE": true, "UME": true, "UBE": true, "URE": true}

func (m Merchant) check() error {
	bad := func(what string) error { return fmt.Errorf("%w: %s", ErrInput, what) }
	switch {
	case m.AcquirerGUID == "" || len(m.AcquirerGUID) > 32:
		return bad("acquirer GUID is required, at most 32 characters")
	case m.MerchantPAN != "" && (len(m.MerchantPAN) > 19 || !isDigits(m.MerchantPAN)):
		return bad("merchant PAN is at most 19 digits")
	case len(m.MerchantID) > 15:
		return bad("merchant ID is at most 15 characters")
	case m.MerchantPAN == "" && m.MerchantID == "":
		return bad("merchant PAN or merchant ID is required")
	case m.NMID == "" || len(m.NMID) > 15:
		return bad("NMID is required, at most 15 characters")
	case !criteria[m.Criteria]:
		return bad("criteria must be UMI, UKE, UME, UBE or URE")
	case len(m.MCC) != 4 || !isDigits(m.MCC):
		return bad("MCC is four digits")
	case m.Name == "" || len(m.Name) > 25:
		return bad("merchant name is required, at most 25 characters")
	case m.City == "" || len(m.City) > 15:
		return bad("merchant city is required, at most 15 characters")
	case len(m.PostalCode) > 10:
		return bad("postal code is at most 10 characters")
	}
	return nil
}

// maxAmountIDR: field 54 holds at most 13 characters.
const maxAmountIDR = 9_999_999_999_999

// BuildDynamic returns the payload of a dynamic QR for one payment. Every
// text must be printable ASCII; Encode reports anything else.
func BuildDynamic(m Merchant, p Payment) (string, error) {
	if err := m.check(); err != nil {
		return "", err
	}
	switch {
	case p.AmountIDR <= 0 || p.AmountIDR > maxAmountIDR:
		return "", fmt.Errorf("%w: amount must be 1 to %d rupiah", ErrInput, int64(maxAmountIDR))
	case p.BillNumber == "" || len(p.BillNumber) > 25:
		return "", fmt.Errorf("%w: bill number is required, at most 25 characters", ErrInput)
	case len(p.ReferenceLabel) > 25 || len(p.TerminalLabel) > 25:
		return "", fmt.Errorf("%w: reference and terminal labels are at most 25 characters", ErrInput)
	}
	acct := []Field{{SubGUID, m.AcquirerGUID}}
	acct = appendIf(acct, SubMerchantPAN, m.MerchantPAN)
	acct = appendIf(acct, SubMerchantID, m.MerchantID)
	acct = append(acct, Field{SubCriteria, m.Criteria})
	national := []Field{{SubGUID, NationalGUID}, {SubMerchantID, m.NMID}, {SubCriteria, m.Criteria}}
	extra := []Field{{SubBillNumber, p.BillNumber}}
	extra = appendIf(extra, SubReferenceLabel, p.ReferenceLabel)
	extra = appendIf(extra, SubTerminalLabel, p.TerminalLabel)

	var tmpl [3]string
	for i, fs := range [][]Field{acct, national, extra} {
		s, err := Encode(fs...)
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrInput, err)
		}
		tmpl[i] = s
	}
	top := []Field{
		{IDPayloadFormat, PayloadFormatV1},
		{IDPointOfInitiation, Dynamic},
		{IDMerchantAccount, tmpl[0]},
		{IDNationalAccount, tmpl[1]},
		{IDMCC, m.MCC},
		{IDCurrency, CurrencyIDR},
		{IDAmount, strconv.FormatInt(p.AmountIDR, 10)},
		{IDCountry, CountryID},
		{IDMerchantName, m.Name},
		{IDMerchantCity, m.City},
	}
	top = appendIf(top, IDPostalCode, m.PostalCode)
	top = append(top, Field{IDAdditionalData, tmpl[2]})
	body, err := Encode(top...)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInput, err)
	}
	return withCRC(body), nil
}

func appendIf(fs []Field, id, v string) []Field {
	if v == "" {
		return fs
	}
	return append(fs, Field{id, v})
}

// Payload is a decoded, CRC-checked QRIS string.
type Payload struct {
	Fields []Field // top level, field 63 included
}

// Parse decodes s and checks what a payer's app checks before paying: the
// TLV structure, payload format "01" first, the CRC as the last field and
// matching, no ID repeated, and for a dynamic QR an amount. EMVCo fixes only
// the first and the last field, so other fields may come in any order
// (BuildDynamic writes them ascending).
func Parse(s string) (Payload, error) {
	fields, err := Decode(s)
	if err != nil {
		return Payload{}, err
	}
	if len(fields) < 2 || fields[0] != (Field{IDPayloadFormat, PayloadFormatV1}) {
		return Payload{}, fmt.Errorf("%w: must start with 000201", ErrPayload)
	}
	last := fields[len(fields)-1]
	if last.ID != IDCRC || len(last.Value) != 4 {
		return Payload{}, fmt.Errorf("%w: must end with the 4-character CRC field 63", ErrPayload)
	}
	want, err := strconv.ParseUint(last.Value, 16, 16)
	if err != nil {
		return Payload{}, fmt.Errorf("%w: CRC is not hexadecimal", ErrPayload)
	}
	if CRC16([]byte(s[:len(s)-4])) != uint16(want) {
		return Payload{}, ErrCRC
	}
	seen := make(map[string]bool, len(fields))
	for _, f := range fields {
		if seen[f.ID] {
			return Payload{}, fmt.Errorf("%w: field %s repeated", ErrPayload, f.ID)
		}
		seen[f.ID] = true
	}
	p := Payload{Fields: fields}
	if v, _ := p.Get(IDPointOfInitiation); v == Dynamic {
		if _, err := p.AmountIDR(); err != nil {
			return Payload{}, err
		}
	}
	return p, nil
}

// Get is the value of top-level field id.
func (p Payload) Get(id string) (string, bool) {
	for _, f := range p.Fields {
		if f.ID == id {
			return f.Value, true
		}
	}
	return "", false
}

// Sub is the value of sub-field sub inside template id.
func (p Payload) Sub(id, sub string) (string, bool) {
	v, ok := p.Get(id)
	if !ok {
		return "", false
	}
	fs, err := Decode(v)
	if err != nil {
		return "", false
	}
	for _, f := range fs {
		if f.ID == sub {
			return f.Value, true
		}
	}
	return "", false
}

// AmountIDR reads field 54 as whole rupiah; a fraction other than zeros
// (e.g. "150000.00" is fine) is an error, since rupiah have no cents here.
func (p Payload) AmountIDR() (int64, error) {
	v, ok := p.Get(IDAmount)
	if !ok {
		return 0, fmt.Errorf("%w: no amount", ErrPayload)
	}
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" || !isDigits(whole) || !isDigits(frac) || strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("%w: amount %q is not whole rupiah", ErrPayload, v)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%w: amount %q out of range", ErrPayload, v)
	}
	return n, nil
}
