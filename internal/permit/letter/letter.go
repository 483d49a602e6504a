// Package letter renders the decision letter of an approved permit: an A4
// PDF with bilingual headings (Indonesian first, English below) and a QR
// code of the public verification address. It reads no database and no
// clock: everything printed comes in the Letter.
package letter

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yeqown/go-qrcode/v2"

	"github.com/solodestination/api/pkg/civil"
)

// Letter is what a decision letter shows.
type Letter struct {
	PermitNumber   string     // e.g. "503/KRM/2026/000123"
	TrackingNumber string     // e.g. "SKT-2026-000123"
	TypeName       string     // the permit type's Indonesian name, e.g. "Izin Keramaian"
	TypeNameEN     string     // its English name
	HolderMasked   string     // the holder's name, already masked by the caller, e.g. "Bu** Sa****"
	Summary        []Field    // a few key fields of the application
	IssuedAt       time.Time  // shown in Asia/Jakarta
	ValidUntil     civil.Date // the last day the permit is valid
	Department     string     // the issuing office, e.g. "DPMPTSP Kota Surakarta"
	VerifyURL      string     // the public verification address, encoded in the QR code and printed
}

// Field is one labelled value of the application summary.
type Field struct{ Label, Value string }

// Layout, in millimetres.
const (
	margin     = 20.0
	labelWidth = 58.0
	qrSize     = 42.0
)

// Render draws l as a one-page A4 PDF (more pages only if the summary is
// long). It reads no clock: the document's dates are IssuedAt's, so the
// same Letter gives the same text and dates. Only the QR code may differ
// between two renderings: when two of its eight masks score the same, the
// encoder (which scores them concurrently) picks either, and both encode the
// same address. The PDF core fonts cover Windows-1252
// only, so other characters are written without their accents when they
// have a base letter there, and as "?" otherwise (see pdfText).
func Render(l Letter) ([]byte, error) {
	switch {
	case strings.TrimSpace(l.PermitNumber) == "":
		return nil, errors.New("render decision letter: no permit number")
	case strings.TrimSpace(l.VerifyURL) == "":
		return nil, errors.New("render decision letter: no verification URL")
	case l.IssuedAt.IsZero() || !l.ValidUntil.IsValid():
		return nil, errors.New("render decision letter: no issue or validity date")
	}
	qr, err := qrcode.NewWith(l.VerifyURL, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("encode decision letter QR: %w", err)
	}
	var bm bitmap
	if err := qr.Save(&bm); err != nil {
		return nil, fmt.Errorf("draw decision letter QR: %w", err)
	}
	issued := l.IssuedAt.In(civil.Jakarta)

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.SetCatalogSort(true) // fonts in a fixed order, not a map's
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetTitle("Surat Keputusan Izin "+l.PermitNumber, true)
	pdf.SetAuthor(l.Department, true)
	pdf.SetCreator("Pemerintah Kota Surakarta", true)
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 7, "PEMERINTAH KOTA SURAKARTA", "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(0, 6, pdfText(l.Department), "", 1, "C", false, 0, "")
	pageW, pageH := pdf.GetPageSize()
	pdf.SetLineWidth(0.6)
	pdf.Line(margin, pdf.GetY()+2, pageW-margin, pdf.GetY()+2)
	pdf.SetLineWidth(0.2)
	pdf.Ln(8)

	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 7, "SURAT KEPUTUSAN IZIN", "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "I", 10)
	pdf.CellFormat(0, 5, "Permit decision letter", "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(0, 7, pdfText(l.TypeName), "", 1, "C", false, 0, "")
	if l.TypeNameEN != "" {
		pdf.SetFont("Helvetica", "I", 10)
		pdf.CellFormat(0, 5, pdfText(l.TypeNameEN), "", 1, "C", false, 0, "")
	}
	pdf.Ln(6)

	rows := []struct{ id, en, value string }{
		{"Nomor izin", "Permit number", l.PermitNumber},
		{"Nomor pendaftaran", "Tracking number", l.TrackingNumber},
		{"Pemegang izin", "Permit holder", l.HolderMasked},
		{"Diterbitkan", "Issued", indonesianDate(civil.Of(issued)) + issued.Format(" 15:04") + " WIB" +
			"\n" + englishDate(civil.Of(issued)) + issued.Format(", 15:04") + " WIB"},
		{"Berlaku sampai dengan", "Valid until", indonesianDate(l.ValidUntil) + "\n" + englishDate(l.ValidUntil)},
	}
	for _, r := range rows {
		row(pdf, r.id, r.en, r.value)
	}

	if len(l.Summary) > 0 {
		pdf.Ln(5)
		heading(pdf, "Rincian permohonan", "Application details")
		for _, f := range l.Summary {
			row(pdf, f.Label, "", f.Value)
		}
	}

	// The QR code, with its quiet zone, centred below; on a new page if this
	// one has no room for it and its caption.
	if pdf.GetY()+qrSize+30 > pageH-margin {
		pdf.AddPage()
	}
	pdf.Ln(6)
	if n := len(bm.bits); n > 0 {
		module := qrSize / float64(n)
		x0, y0 := (pageW-qrSize)/2, pdf.GetY()
		pdf.SetFillColor(0, 0, 0)
		for y, line := range bm.bits {
			for x, dark := range line {
				if dark {
					pdf.Rect(x0+float64(x)*module, y0+float64(y)*module, module, module, "F")
				}
			}
		}
		pdf.SetY(y0 + qrSize + 2)
	}
	pdf.SetFont("Helvetica", "", 9)
	pdf.MultiCell(0, 4.5, "Pindai kode QR atau buka alamat di bawah untuk memeriksa keaslian surat ini.", "", "C", false)
	pdf.SetFont("Helvetica", "I", 8)
	pdf.MultiCell(0, 4, "Scan the QR code or open the address below to check that this letter is genuine.", "", "C", false)
	pdf.SetFont("Courier", "", 9)
	pdf.MultiCell(0, 4.5, pdfText(l.VerifyURL), "", "C", false)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render decision letter PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// heading writes a section heading: Indonesian in bold, English in italics
// beside it.
func heading(pdf *fpdf.Fpdf, id, en string) {
	pdf.SetFont("Helvetica", "B", 11)
	w := pdf.GetStringWidth(id + " ")
	pdf.CellFormat(w, 6, id, "", 0, "L", false, 0, "")
	pdf.SetFont("Helvetica", "I", 9)
	pdf.CellFormat(0, 6, "/ "+en, "", 1, "L", false, 0, "")
	pdf.Ln(1)
}

// row writes a label (with its English below when en is given) and a value
// that may wrap, then a thin rule under the taller of the two.
func row(pdf *fpdf.Fpdf, id, en, value string) {
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+12 > pageH-margin {
		pdf.AddPage()
	}
	y0 := pdf.GetY()
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(labelWidth, 5, pdfText(id), "", "L", false)
	if en != "" {
		pdf.SetFont("Helvetica", "I", 8)
		pdf.MultiCell(labelWidth, 4, en, "", "L", false)
	}
	yLabel := pdf.GetY()
	pdf.SetXY(margin+labelWidth, y0)
	pdf.SetFont("Helvetica", "B", 10)
	if value == "" {
		value = "-"
	}
	pdf.MultiCell(0, 5, pdfText(value), "", "L", false)
	y := max(yLabel, pdf.GetY()) + 1
	pageW, _ := pdf.GetPageSize()
	pdf.SetDrawColor(190, 190, 190)
	pdf.Line(margin, y, pageW-margin, y)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetXY(margin, y+1.5)
}

// bitmap keeps a QR code's modules (true = dark) for drawing as vector
// squares, which print sharp at any size.
type bitmap struct{ bits [][]bool }

func (b *bitmap) Write(m qrcode.Matrix) error { b.bits = m.Bitmap(); return nil }
func (b *bitmap) Close() error                { return nil }

var (
	bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
		"Agustus", "September", "Oktober", "November", "Desember"}
)

// indonesianDate is d as "31 Desember 2026".
func indonesianDate(d civil.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day, bulan[d.Month-1], d.Year)
}

// englishDate is d as "31 December 2026".
func englishDate(d civil.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
}
