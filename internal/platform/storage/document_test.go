package storage_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image/color"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// pdfFile writes a PDF by hand: the header, the objects numbered from 1, an
// xref table with their real offsets, a trailer whose extra entries are
// trailerExtra, startxref and %%EOF.
func pdfFile(objects []string, trailerExtra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, trailerExtra, xref)
	return b.Bytes()
}

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// helloPDF is a one-page PDF saying hello, with catalog extras in catalog.
func helloPDF(catalog string, extra ...string) []byte {
	objs := append([]string{
		"<< /Type /Catalog /Pages 2 0 R" + catalog + " >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		stream("", "BT /F1 12 Tf 72 770 Td (Hello \\(permit\\) stream of text) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}, extra...)
	return pdfFile(objs, "")
}

// objStmPDF is helloPDF whose font dictionary lives compressed in an object
// stream, as PDF 1.5+ writers store most objects; inner is that dictionary.
func objStmPDF(t testing.TB, inner string) []byte {
	return objStmPDFAs(t, "/Type /ObjStm", inner, 1)
}

// objStmPDFAs is objStmPDF with the object stream's type entry typ and its
// data deflated times times (and as many FlateDecode filters).
func objStmPDFAs(t testing.TB, typ, inner string, times int) []byte {
	header := "7 0 "
	data := []byte(header + inner)
	for range times {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		data = z.Bytes()
	}
	filters := strings.Repeat("/FlateDecode ", times)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 7 0 R >> >> >>",
		"null", "null",
		fmt.Sprintf("<< %s /N 1 /First %d /Filter [%s] /Length %d >>\nstream\n%s\nendstream",
			typ, len(header), filters, len(data), data),
	}
	return pdfFile(objs, "")
}

// xrefStreamPDF ends in an xref stream instead of a table and trailer.
func xrefStreamPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}
	var rows []byte
	rows = append(rows, 0, 0, 0, 0xff)
	for i, o := range objs {
		rows = append(rows, 1)
		rows = binary.BigEndian.AppendUint16(rows, uint16(b.Len()))
		rows = append(rows, 0)
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	rows = append(rows, 1)
	rows = binary.BigEndian.AppendUint16(rows, uint16(xref))
	rows = append(rows, 0)
	fmt.Fprintf(&b, "3 0 obj\n<< /Type /XRef /Size 4 /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n", len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF", xref)
	return b.Bytes()
}

// jpegWithComment inserts a COM segment holding text after the SOI marker.
func jpegWithComment(jpg []byte, text string) []byte {
	seg := []byte{0xFF, 0xFE}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(text)+2))
	seg = append(seg, text...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngWithText inserts a tEXt chunk holding text after the IHDR chunk.
func pngWithText(p []byte, text string) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, storagetest.Chunk("tEXt", append([]byte("Comment\x00"), text...))...)
	return append(out, p[ihdrEnd:]...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var (
	docs   = []storage.Format{storage.PDF, storage.JPEG, storage.PNG, storage.WebP}
	images = []storage.Format{storage.JPEG, storage.PNG}
)

func TestCheckDocument(t *testing.T) {
	t.Parallel()
	small := storagetest.Halves(8, 6)
	jpg := storagetest.JPEG(t, small)
	png := storagetest.PNG(t, small)
	webp := storagetest.WebP(5, 3, color.NRGBA{R: 9, G: 8, B: 7, A: 255}, nil)
	hello := helloPDF("")
	brokenPNG := append([]byte{}, png...)
	brokenPNG[len(png)-12-4-1] ^= 0xFF // the last byte of IDAT: its CRC fails
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00payload.js")
	badRIFF := append([]byte{}, webp...)
	binary.LittleEndian.PutUint32(badRIFF[4:], uint32(len(webp)))
	noStartxref := bytes.Replace(hello, []byte("startxref"), []byte("startxreg"), 1)
	farXref := bytes.Replace(hello, []byte("startxref\n"), []byte("startxref\n9"), 1)
	// An object the xref can reach, hidden inside the page's content stream.
	hidden := helloPDF("", stream("", "q Q\n9 0 obj << /S /Launch /F (cmd.exe) >> endobj"))

	tests := []struct {
		name     string
		data     []byte
		accepted []storage.Format
		want     storage.Format // zero: refused
		wantKind apperr.Kind
	}{
		{"hand-written PDF", hello, docs, storage.PDF, 0},
		{"PDF with white space after %%EOF", cat(hello, []byte("\r\n \n")), docs, storage.PDF, 0},
		{"PDF with an open action that is not a script", helloPDF(" /OpenAction [3 0 R /Fit]"), docs, storage.PDF, 0},
		{"PDF with an empty embedded files list (as fpdf writes)", helloPDF(" /Names << /EmbeddedFiles << /Names [ ] >> >>"), docs, storage.PDF, 0},
		{"PDF with an xref stream", xrefStreamPDF(), docs, storage.PDF, 0},
		{"PDF with a clean object stream", objStmPDF(t, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"), docs, storage.PDF, 0},
		{"JPEG", jpg, docs, storage.JPEG, 0},
		{"PNG", png, docs, storage.PNG, 0},
		{"WebP is stored re-encoded", webp, docs, storage.JPEG, 0},
		{"JPEG followed by a second JPEG (multi-picture)", cat(jpg, jpg), docs, storage.JPEG, 0},

		{"PDF when only images are accepted (whatever its name)", hello, images, storage.Format{}, apperr.UnsupportedMediaType},
		{"HTML sent as a PDF", []byte("<!DOCTYPE html><html><body>permit</body></html>"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"JPEG with a ZIP appended", cat(jpg, zip), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"JPEG with bytes after its end", cat(jpg, []byte{0}), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"JPEG with a ZIP in a comment", jpegWithComment(jpg, string(zip)), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"JPEG with a script in a comment", jpegWithComment(jpg, "x<SCRIPT>alert(1)</script>"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"JPEG with a PDF in a comment", jpegWithComment(jpg, "%PDF-1.4 "), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"JPEG without its end", jpg[:len(jpg)-2], docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PNG with HTML appended", cat(png, []byte("<html><script>alert(1)</script>")), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PNG with SVG in a text chunk", pngWithText(png, `<svg xmlns="http://www.w3.org/2000/svg">`), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PNG without IEND", png[:len(png)-12], docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"WebP with a wrong RIFF size", badRIFF, docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"WebP with data appended", cat(webp, []byte("PK\x05\x06")), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with data after %%EOF", cat(hello, []byte("<html>")), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a ZIP after %%EOF", cat(hello, zip), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a second PDF header", cat([]byte("%PDF-1.4\n"), hello), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a second PDF inside", helloPDF("", stream("", string(hello))), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with HTML inside", helloPDF("", stream("", "<HTML><body>")), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with JavaScript", helloPDF(" /Names << /JavaScript 6 0 R >>", "<< /Names [(a) 7 0 R] >>", "<< /S /JavaScript /JS (app.alert(1)) >>"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a script as its open action", helloPDF(" /OpenAction 6 0 R", "<< /S /JavaScript /JS (app.alert(1)) >>"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with an escaped JavaScript name", helloPDF(" /OpenAction << /S /J#61vaScript /J#53 6 0 R >>"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a launch action", helloPDF(" /OpenAction << /S /Launch /F (calc.exe) >>"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with an embedded file", helloPDF("", stream("/Type /EmbeddedFile", "MZ")), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a file attached without a type", helloPDF(" /Names << /EmbeddedFiles << /Names [(a) 6 0 R] >> >>",
			"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>", stream("", "MZ")), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with an XFA form", helloPDF(" /AcroForm << /XFA 6 0 R >>", "[]"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a script in an object stream", objStmPDF(t, "<< /S /JavaScript /JS (x) >>"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a script in an object stream without a type", objStmPDFAs(t, "", "<< /S /JavaScript /JS (x) >>", 1), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with a script in an object stream deflated twice", objStmPDFAs(t, "/Type /ObjStm", "<< /S /JavaScript /JS (x) >>", 2), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with an object stream that does not inflate", bytes.Replace(objStmPDF(t, "<< >>"), []byte("stream\nx"), []byte("stream\ny"), 1), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF with an object hidden in a stream", hidden, docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF without startxref", noStartxref, docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF whose startxref points past its end", farXref, docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF without %%EOF", hello[:bytes.LastIndex(hello, []byte("%%EOF"))], docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF cut short", hello[:len(hello)/2], docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PDF without a version", append([]byte("%PDF-\n"), hello[9:]...), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"Windows program", []byte("MZ\x90\x00\x03\x00\x00\x00"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"ELF program", []byte("\x7fELF\x02\x01\x01\x00"), docs, storage.Format{}, apperr.UnsupportedMediaType},
		{"PNG whose pixels are broken", brokenPNG, docs, storage.Format{}, apperr.Unprocessable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := storage.CheckDocument(context.Background(), tt.data, tt.accepted...)
			if tt.want == (storage.Format{}) {
				e, ok := apperr.As(err)
				if !ok || e.Kind != tt.wantKind {
					t.Fatalf("err = %v, want kind %d", err, tt.wantKind)
				}
				t.Log(e.Detail)
				if tt.wantKind == apperr.UnsupportedMediaType && (e.Code != "unsupported_media_type" || e.Detail == "") {
					t.Fatalf("err = %+v, want code unsupported_media_type with a detail", e)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckDocument: %v", err)
			}
			if doc.Format != tt.want {
				t.Fatalf("format %s, want %s", doc.Format.Name, tt.want.Name)
			}
			if tt.want == storage.PDF && !bytes.Equal(doc.Data, tt.data) {
				t.Fatal("a PDF is stored as sent")
			}
			if tt.want != storage.PDF {
				if _, err := storage.SanitizeImage(context.Background(), doc.Data, storage.DefaultImageLimits); err != nil {
					t.Fatalf("stored image does not decode: %v", err)
				}
			}
			sum := sha256.Sum256(doc.Data)
			if doc.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("SHA256 %s, want that of Data", doc.SHA256)
			}
		})
	}
}

func TestReadFormKeepsTheFilename(t *testing.T) {
	t.Parallel()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "Surat izin.pdf")
	w.Write([]byte("%PDF-1.7"))
	mw.WriteField("code", "ktp")
	mw.Close()
	r := httptest.NewRequest("POST", "/", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	form, err := storage.ReadForm(r, storage.FormSpec{File: "file", MaxBytes: 1 << 10, Fields: map[string]int64{"code": 20}})
	if err != nil {
		t.Fatal(err)
	}
	if form.Filename != "Surat izin.pdf" || form.Values["code"] != "ktp" || string(form.File) != "%PDF-1.7" {
		t.Fatalf("form = %+v", form)
	}
}

func TestSafeFilename(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 300) + ".pdf"
	longUnicode := strings.Repeat("é", 80) + ".pdf" // two bytes each
	tests := []struct {
		name string
		f    storage.Format
		want string
	}{
		{"Surat Izin.pdf", storage.PDF, "Surat Izin.pdf"},
		{"foto ktp.JPG", storage.PDF, "foto ktp.pdf"},
		{"scan", storage.JPEG, "scan.jpg"},
		{"laporan.final.docx", storage.PDF, "laporan.final.pdf"},
		{"../../etc/passwd", storage.PDF, "passwd.pdf"},
		{"..", storage.PDF, "document.pdf"},
		{"...pdf", storage.PDF, "document.pdf"},
		{`C:\x\y.exe`, storage.PDF, "y.pdf"},
		{`\\server\share\..\evil.pdf`, storage.PDF, "evil.pdf"},
		{"a\x00b\nc\r\td.pdf", storage.PDF, "ab c d.pdf"},
		{`say "hi" 'there'.pdf`, storage.PDF, "say hi there.pdf"},
		{"inv\u202Egpj.exe", storage.PDF, "invgpj.pdf"},
		{"zero\u200bwidth\ufeff.png", storage.PNG, "zerowidth.png"},
		{"a<b>c:d|e?f*g%h;i.pdf", storage.PDF, "abcdefghi.pdf"},
		{"Cafe\u0301.pdf", storage.PDF, "Café.pdf"},
		{"  spaced   out . . pdf ", storage.PDF, "spaced out.pdf"},
		{"CON.pdf", storage.PDF, "CON_.pdf"},
		{"lpt1", storage.PDF, "lpt1_.pdf"},
		{"", storage.PDF, "document.pdf"},
		{"\x01\x02\x03", storage.PNG, "document.png"},
		{"\xff\xfeinvalid.pdf", storage.PDF, "invalid.pdf"},
		{long, storage.PDF, strings.Repeat("a", 96) + ".pdf"},
		{longUnicode, storage.PDF, strings.Repeat("é", 48) + ".pdf"},
	}
	for _, tt := range tests {
		got := storage.SafeFilename(tt.name, tt.f)
		if got != tt.want {
			t.Errorf("SafeFilename(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
