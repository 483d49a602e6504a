package letter_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/solodestination/api/internal/permit/letter"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/pkg/civil"
)

func sample() letter.Letter {
	return letter.Letter{
		PermitNumber:   "503/KRM/2026/000123",
		TrackingNumber: "SKT-2026-000123",
		TypeName:       "Izin Keramaian",
		TypeNameEN:     "Crowd event permit",
		HolderMasked:   "Bu** Sa****",
		Summary: []letter.Field{
			{"Nama acara / Event", "Festival Kuliner Ngarsopuro"},
			{"Tanggal acara / Event date", "2027-01-16"},
			{"Skala / Scale", "Nasional"},
			{"Lokasi / Place", "Jl. Diponegoro, Keprabon, Banjarsari, Surakarta — sepanjang koridor Ngarsopuro " +
				"dari perempatan Pasar Pon sampai pintu Pura Mangkunegaran"},
		},
		IssuedAt:   time.Date(2026, 12, 6, 2, 15, 0, 0, time.UTC), // 09:15 WIB
		ValidUntil: civil.Date{Year: 2027, Month: time.January, Day: 17},
		Department: "DPMPTSP Kota Surakarta",
		VerifyURL:  "https://solo-destination.example/api/v1/permits/verify/503%2FKRM%2F2026%2F000123",
	}
}

// pageText inflates the PDF's compressed streams (fpdf compresses page
// content) and returns them joined, so tests can look for printed text.
func pageText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			t.Fatal("a stream has no endstream")
		}
		if zr, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(zr)
			out.Write(b)
		} else {
			out.Write(rest[:j])
		}
		rest = rest[j+len("endstream"):]
	}
	return out.String()
}

// withoutQR drops the squares of the QR code from page content.
func withoutQR(content string) string {
	var kept []string
	for _, line := range strings.Split(content, "\n") {
		if !strings.HasSuffix(line, " re f") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// info returns the PDF's document information dictionary.
func info(pdf []byte) []byte {
	i := bytes.Index(pdf, []byte("/Producer"))
	j := bytes.Index(pdf[max(i, 0):], []byte(">>"))
	if i < 0 || j < 0 {
		return nil
	}
	return pdf[i : i+j]
}

func TestRender(t *testing.T) {
	t.Parallel()
	l := sample()
	pdf, err := letter.Render(l)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("starts with %q", pdf[:min(len(pdf), 8)])
	}
	// Our own uploads check must never refuse our own letters.
	doc, err := storage.CheckDocument(context.Background(), pdf, storage.PDF)
	if err != nil {
		t.Fatalf("CheckDocument refuses the letter: %v", err)
	}
	if !bytes.Equal(doc.Data, pdf) {
		t.Fatal("the checked letter changed")
	}
	text := pageText(t, pdf)
	for _, want := range []string{
		"(503/KRM/2026/000123)", "(SKT-2026-000123)", "(Bu** Sa****)", "(Izin Keramaian)", "(Crowd event permit)",
		"(SURAT KEPUTUSAN IZIN)", "(Permit decision letter)", "(DPMPTSP Kota Surakarta)",
		"(6 Desember 2026 09:15 WIB)", "(17 Januari 2027)", "(17 January 2027)",
		"(Festival Kuliner Ngarsopuro)", "(Rincian permohonan)",
		"https://solo-destination.example/api/v1/permits/verify/503%2FKRM%2F2026%2F000123",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter does not show %s", want)
		}
	}
	if !strings.Contains(string(pdf), "/MediaBox [0 0 595.28 841.89]") {
		t.Error("the letter is not A4")
	}
	if strings.Count(text, " re f") < 100 {
		t.Error("the letter has no QR code")
	}

	// Nothing depends on the clock: a second rendering draws the same,
	// except perhaps the QR code's mask (see Render).
	again, err := letter.Render(l)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := withoutQR(text), withoutQR(pageText(t, again)); a != b {
		t.Fatal("a second rendering draws something else")
	}
	if !bytes.Contains(info(pdf), []byte("/CreationDate (D:20261206091500")) {
		t.Errorf("the letter is not dated when it was issued: %s", info(pdf))
	}
	if !bytes.Equal(info(pdf), info(again)) {
		t.Fatalf("a second rendering has other metadata:\n%s\n%s", info(pdf), info(again))
	}
}

// Text outside the core fonts' Windows-1252 keeps its base letters, and a
// long summary runs onto further pages; the result still passes the check.
func TestRenderUnicodeAndLongSummary(t *testing.T) {
	t.Parallel()
	l := sample()
	l.HolderMasked = "Şe** Nguyễn 李**"
	l.TypeName = "Izin Keramaian → acara\u202e publik"
	l.TypeNameEN = ""
	l.Summary = append(l.Summary, letter.Field{Label: "Penanggung jawab", Value: "José Café"})
	for i := range 60 {
		l.Summary = append(l.Summary, letter.Field{Label: fmt.Sprintf("Kolom %d", i), Value: strings.Repeat("nilai ", 20)})
	}
	pdf, err := letter.Render(l)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.CheckDocument(context.Background(), pdf, storage.PDF); err != nil {
		t.Fatalf("CheckDocument refuses the letter: %v", err)
	}
	text := pageText(t, pdf)
	for _, want := range []string{"(Se** Nguyen ?**)", "(Izin Keramaian -> acara publik)", "(Jos\xe9 Caf\xe9)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter does not show %s", want)
		}
	}
	if n := bytes.Count(pdf, []byte("/Type /Page\n")); n < 2 {
		t.Errorf("%d pages, want the summary to run onto more", n)
	}
}

func TestRenderWithoutSummary(t *testing.T) {
	t.Parallel()
	l := sample()
	l.Summary, l.TrackingNumber = nil, ""
	pdf, err := letter.Render(l)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.CheckDocument(context.Background(), pdf, storage.PDF); err != nil {
		t.Fatalf("CheckDocument refuses the letter: %v", err)
	}
	if text := pageText(t, pdf); strings.Contains(text, "(Rincian permohonan)") || !strings.Contains(text, "(503/KRM/2026/000123)") {
		t.Error("a letter without a summary shows a summary heading, or no permit number")
	}
}

func TestRenderRefusesAnIncompleteLetter(t *testing.T) {
	t.Parallel()
	for name, change := range map[string]func(*letter.Letter){
		"no permit number": func(l *letter.Letter) { l.PermitNumber = " " },
		"no URL":           func(l *letter.Letter) { l.VerifyURL = "" },
		"no issue time":    func(l *letter.Letter) { l.IssuedAt = time.Time{} },
		"no validity":      func(l *letter.Letter) { l.ValidUntil = civil.Date{} },
	} {
		l := sample()
		change(&l)
		if _, err := letter.Render(l); err == nil {
			t.Errorf("%s: rendered", name)
		}
	}
}
