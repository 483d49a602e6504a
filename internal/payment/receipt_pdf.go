package payment

import (
	"bytes"
	"fmt"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yeqown/go-qrcode/v2"
)

// bitmap keeps a QR code's modules (true = dark) for drawing.
type bitmap struct{ bits [][]bool }

func (b *bitmap) Write(m qrcode.Matrix) error { b.bits = m.Bitmap(); return nil }
func (b *bitmap) Close() error                { return nil }

// ReceiptPDF renders a receipt as a one-page A5 PDF with a QR code that
// opens checkURL, the public check of its NTPD. The QR is drawn as vector
// squares, so it prints sharp at any size. Text is ASCII (the PDF core
// fonts' Latin-1 covers it).
func ReceiptPDF(r Receipt, checkURL string) ([]byte, error) {
	qr, err := qrcode.NewWith(checkURL, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("encode receipt QR: %w", err)
	}
	var bm bitmap
	if err := qr.Save(&bm); err != nil {
		return nil, fmt.Errorf("draw receipt QR: %w", err)
	}
	paid := r.PaidAt.In(wib)
	pdf := fpdf.New("P", "mm", "A5", "")
	pdf.SetCreationDate(paid) // the receipt's dates are the payment's, not the rendering's
	pdf.SetModificationDate(paid)
	pdf.SetTitle("Bukti pembayaran "+r.NTPD, false)
	pdf.SetAuthor("Pemerintah Kota Surakarta", false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 8, "PEMERINTAH KOTA SURAKARTA", "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, "Bukti Pembayaran Pajak Daerah / Regional tax receipt", "", 1, "C", false, 0, "")
	pdf.Ln(4)
	rows := [][2]string{
		{"NTPD", r.NTPD},
		{"NOP", r.Reference},
		{"Masa pajak / Period", r.Period},
		{"Jumlah / Amount", "Rp" + rupiah(r.AmountIDR)},
		{"Saluran / Channel", string(r.Channel)},
		{"Dibayar / Paid at", paid.Format("02-01-2006 15:04") + " WIB"},
	}
	for _, row := range rows {
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(45, 7, row[0], "B", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(0, 7, row[1], "B", 1, "L", false, 0, "")
	}
	// The QR code, 40 mm wide with its quiet zone, centred below.
	n := len(bm.bits)
	if n > 0 {
		module := 40.0 / float64(n)
		pageW, _ := pdf.GetPageSize()
		x0, y0 := (pageW-40)/2, pdf.GetY()+8
		pdf.SetFillColor(0, 0, 0)
		for y, line := range bm.bits {
			for x, dark := range line {
				if dark {
					pdf.Rect(x0+float64(x)*module, y0+float64(y)*module, module, module, "F")
				}
			}
		}
		pdf.SetY(y0 + 42)
	}
	pdf.SetFont("Helvetica", "", 8)
	pdf.MultiCell(0, 4, "Pindai kode QR atau buka "+checkURL+" untuk memeriksa keaslian bukti ini. "+
		"Scan the QR code or open the address to check this receipt.", "", "C", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render receipt PDF: %w", err)
	}
	return buf.Bytes(), nil
}
