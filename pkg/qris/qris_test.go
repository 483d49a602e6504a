package qris_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	qrcode "github.com/yeqown/go-qrcode/v2"

	"github.com/solodestination/api/pkg/qris"
)

var city = qris.Merchant{
	AcquirerGUID: "ID.CO.BANKJATENG.WWW",
	MerchantPAN:  "9360011300001234567",
	MerchantID:   "BPPKAD3372",
	NMID:         "ID1020012345678",
	Criteria:     "UBE",
	MCC:          qris.MCCTaxPayments,
	Name:         "BAPENDA KOTA SURAKARTA",
	City:         "SURAKARTA",
	PostalCode:   "57111",
}

var bill = qris.Payment{AmountIDR: 151500, BillNumber: "PBB2026337201000100200030", ReferenceLabel: "pay_01JD8X"}

func TestCRC16(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint16
	}{
		{"123456789", 0x29B1}, // the CRC-16/CCITT-FALSE check value
		{"", 0xFFFF},
		{"A", 0xB915},
	} {
		if got := qris.CRC16([]byte(c.in)); got != c.want {
			t.Errorf("CRC16(%q) = %04X, want %04X", c.in, got, c.want)
		}
	}
}

func TestBuildDynamic(t *testing.T) {
	s, err := qris.BuildDynamic(city, bill)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "000201010212") {
		t.Fatalf("payload starts %q", s[:12])
	}
	if !strings.Contains(s, "5303360"+"5406151500"+"5802ID") || !strings.Contains(s, "6009SURAKARTA") || !strings.Contains(s, "52049311") {
		t.Fatalf("payload lacks fixed fields: %s", s)
	}
	crc := s[len(s)-8:]
	if crc[:4] != "6304" || crc[4:] != fmt.Sprintf("%04X", qris.CRC16([]byte(s[:len(s)-4]))) {
		t.Fatalf("CRC field = %s", crc)
	}
	p, err := qris.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ id, sub, want string }{
		{"26", "00", "ID.CO.BANKJATENG.WWW"},
		{"26", "01", "9360011300001234567"},
		{"26", "02", "BPPKAD3372"},
		{"26", "03", "UBE"},
		{"51", "00", "ID.CO.QRIS.WWW"},
		{"51", "02", "ID1020012345678"},
		{"62", "01", "PBB2026337201000100200030"},
		{"62", "05", "pay_01JD8X"},
	} {
		if got, ok := p.Sub(c.id, c.sub); !ok || got != c.want {
			t.Errorf("%s.%s = %q, want %q", c.id, c.sub, got, c.want)
		}
	}
	for id, want := range map[string]string{"52": "9311", "53": "360", "58": "ID", "59": "BAPENDA KOTA SURAKARTA", "60": "SURAKARTA", "61": "57111"} {
		if got, _ := p.Get(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if a, err := p.AmountIDR(); err != nil || a != 151500 {
		t.Errorf("AmountIDR = %d, %v", a, err)
	}
	if _, ok := p.Sub("62", "07"); ok {
		t.Error("an empty terminal label was written")
	}
}

func TestBuildDynamicRejects(t *testing.T) {
	for name, mod := range map[string]func(*qris.Merchant, *qris.Payment){
		"zero amount":        func(_ *qris.Merchant, p *qris.Payment) { p.AmountIDR = 0 },
		"negative amount":    func(_ *qris.Merchant, p *qris.Payment) { p.AmountIDR = -1 },
		"14-digit amount":    func(_ *qris.Merchant, p *qris.Payment) { p.AmountIDR = 10_000_000_000_000 },
		"no bill number":     func(_ *qris.Merchant, p *qris.Payment) { p.BillNumber = "" },
		"long bill number":   func(_ *qris.Merchant, p *qris.Payment) { p.BillNumber = strings.Repeat("1", 26) },
		"non-ASCII bill":     func(_ *qris.Merchant, p *qris.Payment) { p.BillNumber = "PBB–2026" },
		"control char label": func(_ *qris.Merchant, p *qris.Payment) { p.ReferenceLabel = "a\nb" },
		"long name":          func(m *qris.Merchant, _ *qris.Payment) { m.Name = strings.Repeat("A", 26) },
		"no city":            func(m *qris.Merchant, _ *qris.Payment) { m.City = "" },
		"long city":          func(m *qris.Merchant, _ *qris.Payment) { m.City = "KOTA SURAKARTA J" },
		"bad MCC":            func(m *qris.Merchant, _ *qris.Payment) { m.MCC = "93A1" },
		"bad criteria":       func(m *qris.Merchant, _ *qris.Payment) { m.Criteria = "XYZ" },
		"no NMID":            func(m *qris.Merchant, _ *qris.Payment) { m.NMID = "" },
		"no merchant ids":    func(m *qris.Merchant, _ *qris.Payment) { m.MerchantPAN, m.MerchantID = "", "" },
		"PAN with letters":   func(m *qris.Merchant, _ *qris.Payment) { m.MerchantPAN = "93600113X" },
		"no GUID":            func(m *qris.Merchant, _ *qris.Payment) { m.AcquirerGUID = "" },
		"non-ASCII name":     func(m *qris.Merchant, _ *qris.Payment) { m.Name = "BAPENDA SÖLO" },
	} {
		m, p := city, bill
		mod(&m, &p)
		if _, err := qris.BuildDynamic(m, p); !errors.Is(err, qris.ErrInput) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	good, err := qris.BuildDynamic(city, bill)
	if err != nil {
		t.Fatal(err)
	}
	// Every single-character change is caught, by the CRC or the structure.
	for i := range len(good) - 4 {
		b := []byte(good)
		b[i] ^= 0x01
		if _, err := qris.Parse(string(b)); err == nil {
			t.Fatalf("changing offset %d went unnoticed", i)
		}
	}
	lower := good[:len(good)-4] + strings.ToLower(good[len(good)-4:])
	if _, err := qris.Parse(lower); err != nil {
		t.Errorf("lowercase CRC rejected: %v", err)
	}
	resign := func(body string) string {
		body += "6304"
		return body + fmt.Sprintf("%04X", qris.CRC16([]byte(body)))
	}
	for name, c := range map[string]struct {
		s    string
		want error
	}{
		"empty":             {"", qris.ErrPayload},
		"truncated":         {good[:len(good)-1], qris.ErrTLV},
		"CRC changed":       {good[:len(good)-1] + "G", qris.ErrPayload},
		"wrong CRC":         {good[:len(good)-4] + "0000", qris.ErrCRC},
		"no CRC":            {good[:len(good)-8], qris.ErrPayload},
		"not format 01":     {resign("000202010212"), qris.ErrPayload},
		"dynamic no amount": {resign("00020101021253033605802ID"), qris.ErrPayload},
		"fractional amount": {resign("000201010212530336054059.5005802ID"), qris.ErrPayload},
		"CRC not last":      {"00020101021254021063040000" + "5802ID", qris.ErrPayload},
		"repeated":          {resign("000201010212540210540210"), qris.ErrPayload},
		"non-ASCII":         {resign("000201010212540210590ŞOLO"), qris.ErrTLV},
		"length past end":   {"0002010199ab", qris.ErrTLV},
		"letters as length": {"00020101a112", qris.ErrTLV},
	} {
		if _, err := qris.Parse(c.s); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	// Fields between the first and the last may come in any order.
	if _, err := qris.Parse(resign("0002010102125802ID5303360540210")); err != nil {
		t.Errorf("out-of-order fields rejected: %v", err)
	}
	// A whole-rupiah amount written with zero cents is accepted.
	p, err := qris.Parse(resign("00020101021254091500.00005802ID"))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := p.AmountIDR(); err != nil || a != 1500 {
		t.Errorf("AmountIDR = %d, %v", a, err)
	}
}

// bitmapWriter keeps the QR matrix in memory so the test needs no files.
type bitmapWriter struct{ bits [][]bool }

func (w *bitmapWriter) Write(m qrcode.Matrix) error { w.bits = m.Bitmap(); return nil }
func (w *bitmapWriter) Close() error                { return nil }

// A QR library renders the payload; a payer's app scans that image.
func TestRendersAsQRCode(t *testing.T) {
	s, err := qris.BuildDynamic(city, bill)
	if err != nil {
		t.Fatal(err)
	}
	qr, err := qrcode.NewWith(s, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		t.Fatal(err)
	}
	var w bitmapWriter
	if err := qr.Save(&w); err != nil {
		t.Fatal(err)
	}
	n := len(w.bits)
	if n < 21 || len(w.bits[0]) != n {
		t.Fatalf("matrix %d×%d", n, len(w.bits[0]))
	}
	img := image.NewGray(image.Rect(0, 0, n*4, n*4))
	for y := range n * 4 {
		for x := range n * 4 {
			c := color.Gray{Y: 255}
			if w.bits[y/4][x/4] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil || buf.Len() == 0 {
		t.Fatalf("png: %v", err)
	}
}

// FuzzParse: Parse never panics, and whatever it accepts re-encodes to the
// same string.
func FuzzParse(f *testing.F) {
	good, _ := qris.BuildDynamic(city, bill)
	for _, s := range []string{good, "", "000201", "00020101021163040000", "0002010102115802ID6304ABCD", "99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := qris.Parse(s)
		if err != nil {
			return
		}
		again, err := qris.Encode(p.Fields...)
		if err != nil || again != s {
			t.Fatalf("re-encoded %q as %q, %v", s, again, err)
		}
		if v, _ := p.Get(qris.IDPointOfInitiation); v == qris.Dynamic {
			if a, err := p.AmountIDR(); err != nil || a <= 0 {
				t.Fatalf("dynamic QR with amount %d, %v", a, err)
			}
		}
	})
}

// FuzzBuildDynamic: any payment that builds parses back with the same
// amount and bill number.
func FuzzBuildDynamic(f *testing.F) {
	f.Add(int64(151500), "PBB2026337201000100200030", "pay_01JD8X", "BAPENDA KOTA SURAKARTA")
	f.Add(int64(1), "1", "", "A")
	f.Add(int64(9_999_999_999_999), strings.Repeat("9", 25), strings.Repeat("x", 25), strings.Repeat("N", 25))
	f.Fuzz(func(t *testing.T, amount int64, billNo, ref, name string) {
		m := city
		m.Name = name
		s, err := qris.BuildDynamic(m, qris.Payment{AmountIDR: amount, BillNumber: billNo, ReferenceLabel: ref})
		if err != nil {
			if !errors.Is(err, qris.ErrInput) {
				t.Fatalf("err = %v", err)
			}
			return
		}
		p, err := qris.Parse(s)
		if err != nil {
			t.Fatalf("Parse(BuildDynamic) = %v for %q", err, s)
		}
		a, _ := p.AmountIDR()
		b, _ := p.Sub(qris.IDAdditionalData, qris.SubBillNumber)
		n, _ := p.Get(qris.IDMerchantName)
		if a != amount || b != billNo || n != name {
			t.Fatalf("round trip: %d %q %q", a, b, n)
		}
	})
}
