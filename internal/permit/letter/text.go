package letter

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// pdfText turns UTF-8 text into the Windows-1252 bytes the PDF core fonts
// (Helvetica, Courier) draw, as fpdf expects for them. A character outside
// Windows-1252 is written as its base letter when it has one ("ş" → "s",
// "ō" → "o"), a few common symbols are spelled out, and anything else
// becomes "?"; control characters are dropped and any white space is a
// space, except newlines, which MultiCell breaks lines on.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(strings.ToValidUTF8(s, "?")) {
		switch {
		case r == '\n':
			b.WriteByte('\n')
			continue
		case unicode.IsSpace(r):
			b.WriteByte(' ')
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteByte(c)
			continue
		}
		if alt, ok := spelled[r]; ok {
			b.WriteString(alt)
			continue
		}
		wrote := false
		for _, d := range norm.NFD.String(string(r)) {
			if unicode.Is(unicode.Mn, d) {
				continue
			}
			if c, ok := charmap.Windows1252.EncodeRune(d); ok {
				b.WriteByte(c)
				wrote = true
			}
		}
		if !wrote {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// spelled are symbols outside Windows-1252 that letters and forms commonly
// carry, written the way a typewriter would.
var spelled = map[rune]string{
	'→': "->", '←': "<-", '≤': "<=", '≥': ">=", '≠': "!=", '−': "-", '‐': "-", '‑': "-",
	'′': "'", '″': "\"", '✓': "v", '№': "No.", 'ı': "i", 'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D",
}
