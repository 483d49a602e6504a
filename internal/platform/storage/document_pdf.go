package storage

import (
	"bytes"
	"compress/zlib"
	"io"
	"strconv"
)

// The PDF checks below read the file's syntax directly rather than through a
// PDF library: they need the trailer and every name token, not a rendering
// model, and a few hundred bounded lines are easier to trust with hostile
// input than a parser built to be lenient.

// activeNames are the PDF names of content that runs or unpacks something
// when the document is opened: scripts (also in an /OpenAction or /AA, which
// need /JS to carry one), launch actions, embedded files, Flash and XFA forms.
// An embedded file is a stream that a file specification's /EF entry points
// at (its /Type /EmbeddedFile is optional), so /EF is what marks one; the
// /EmbeddedFiles name tree only lists such specifications, and writers such
// as fpdf put an empty one in every catalog.
var activeNames = map[string]string{
	"JavaScript":   "JavaScript",
	"JS":           "JavaScript",
	"Launch":       "a launch action",
	"EmbeddedFile": "an embedded file",
	"EF":           "an embedded file",
	"RichMedia":    "embedded media",
	"XFA":          "an XFA form",
}

// maxObjectStreamBytes bounds what the object streams of one PDF may inflate
// to, so a small file cannot unpack into gigabytes.
const maxObjectStreamBytes = 64 << 20

// checkPDF checks a PDF's header, its end, its trailer, and every object for
// active content and for a second format inside.
func checkPDF(data []byte) error {
	if !pdfHeader(data) {
		return brokenStructure(PDF, "it does not start with a %PDF-1.x or %PDF-2.0 header")
	}
	eof := bytes.LastIndex(data, []byte("%%EOF"))
	if eof < 0 {
		return brokenStructure(PDF, "it does not end with %%EOF")
	}
	for _, c := range data[eof+5:] {
		if !pdfSpace(c) {
			return trailingData(PDF)
		}
	}
	if err := checkForeignSignatures(PDF, data, 1); err != nil {
		return err
	}
	if err := checkXref(data[:eof]); err != nil {
		return err
	}
	budget := maxObjectStreamBytes
	return scanPDFObjects(data, false, &budget)
}

// pdfHeader reports whether data starts with %PDF-1.0 … %PDF-1.7 or %PDF-2.0.
func pdfHeader(data []byte) bool {
	if len(data) < 9 || !bytes.HasPrefix(data, []byte("%PDF-")) {
		return false
	}
	v := string(data[5:8])
	ok := v == "2.0" || v[:2] == "1." && v[2] >= '0' && v[2] <= '7'
	return ok && (pdfSpace(data[8]) || data[8] == '%')
}

// checkXref finds the last startxref before the final %%EOF and checks that
// its offset points inside the file at a classic xref table followed by a
// trailer, or at an object that is an xref stream.
func checkXref(head []byte) error {
	i := bytes.LastIndex(head, []byte("startxref"))
	if i < 0 {
		return brokenStructure(PDF, "it has no startxref")
	}
	rest := bytes.TrimFunc(head[i+len("startxref"):], func(r rune) bool { return r < 0x80 && pdfSpace(byte(r)) })
	off, err := strconv.ParseInt(string(rest), 10, 64)
	if err != nil || len(rest) == 0 || rest[0] < '0' || rest[0] > '9' {
		return brokenStructure(PDF, "startxref is not followed by an offset")
	}
	if off >= int64(i) {
		return brokenStructure(PDF, "startxref points outside the file")
	}
	at := head[off:i]
	for len(at) > 0 && pdfSpace(at[0]) {
		at = at[1:]
	}
	switch {
	case bytes.HasPrefix(at, []byte("xref")):
		if !bytes.Contains(at, []byte("trailer")) {
			return brokenStructure(PDF, "its xref table has no trailer")
		}
	case objectHeaderAt(at) > 0:
		end := bytes.Index(at, []byte("stream"))
		if end < 0 || !bytes.Contains(at[:end], []byte("/XRef")) {
			return brokenStructure(PDF, "startxref does not point at an xref table or stream")
		}
	default:
		return brokenStructure(PDF, "startxref does not point at an xref table or stream")
	}
	return nil
}

// objectHeaderAt returns the length of an "N G obj" header at the start of
// b, or 0.
func objectHeaderAt(b []byte) int {
	i := 0
	for range 2 {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start || i >= len(b) || !pdfSpace(b[i]) {
			return 0
		}
		for i < len(b) && pdfSpace(b[i]) {
			i++
		}
	}
	if !bytes.HasPrefix(b[i:], []byte("obj")) {
		return 0
	}
	return i + 3
}

// hidesObject reports whether skipped bytes (a string, a comment or a stream's
// data) contain an "N G obj" header. A reader following the xref goes to an
// object by its offset, wherever that falls; an object placed inside what
// this scan skips would otherwise go unseen.
func hidesObject(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("obj"))
		if j < 0 {
			return false
		}
		k := i + j // "obj" at k; look back for "digits ws digits ws"
		p := k
		for p > 0 && pdfSpace(b[p-1]) {
			p--
		}
		if p < k {
			q := p
			for q > 0 && b[q-1] >= '0' && b[q-1] <= '9' {
				q--
			}
			if q < p && q > 0 && pdfSpace(b[q-1]) {
				r := q - 1
				for r > 0 && pdfSpace(b[r-1]) {
					r--
				}
				if r > 0 && b[r-1] >= '0' && b[r-1] <= '9' {
					return true
				}
			}
		}
		i = k + 3
	}
}

// pdfObjState is what the scan has seen of the current object's dictionary,
// enough to know whether its stream is an object stream and how it is
// encoded. Readers find an object stream through the xref and read its /N
// and /First without checking its /Type, so having both counts as being one.
type pdfObjState struct {
	objStm, n, first, params bool
	flate, otherFilters      int
}

func (st pdfObjState) isObjStm() bool { return st.objStm || st.n && st.first }

var otherFilters = map[string]bool{
	"ASCIIHexDecode": true, "ASCII85Decode": true, "LZWDecode": true, "RunLengthDecode": true,
	"CCITTFaxDecode": true, "JBIG2Decode": true, "DCTDecode": true, "JPXDecode": true, "Crypt": true,
	"AHx": true, "A85": true, "LZW": true, "RL": true, "CCF": true, "DCT": true,
}

// scanPDFObjects walks the PDF's tokens once. Every name is compared, with
// its #xx escapes decoded, against activeNames. Strings, comments and
// stream data are skipped, but must not hide an object header; object
// streams (where PDF 1.5+ keeps most dictionaries, compressed) are inflated
// within budget and scanned the same way. inObjStm marks such inflated
// data, which may not hold streams of its own.
func scanPDFObjects(data []byte, inObjStm bool, budget *int) error {
	var st pdfObjState
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '%':
			j := i
			for j < len(data) && data[j] != '\n' && data[j] != '\r' {
				j++
			}
			if hidesObject(data[i:j]) {
				return brokenStructure(PDF, "a comment hides an object")
			}
			i = j
		case c == '(':
			j, ok := pdfStringEnd(data, i)
			if !ok {
				return brokenStructure(PDF, "a string is not closed")
			}
			if hidesObject(data[i:j]) {
				return brokenStructure(PDF, "a string hides an object")
			}
			i = j
		case c == '/':
			j := i + 1
			for j < len(data) && pdfRegular(data[j]) {
				j++
			}
			name := pdfName(data[i+1 : j])
			if what, ok := activeNames[name]; ok {
				return refused("The PDF file contains " + what + "; send a PDF without active content.")
			}
			switch {
			case name == "ObjStm":
				st.objStm = true
			case name == "N":
				st.n = true
			case name == "First":
				st.first = true
			case name == "FlateDecode" || name == "Fl":
				st.flate++
			case name == "DecodeParms" || name == "DP":
				st.params = true
			case otherFilters[name]:
				st.otherFilters++
			}
			i = j
		case pdfRegular(c):
			j := i
			for j < len(data) && pdfRegular(data[j]) {
				j++
			}
			switch string(data[i:j]) {
			case "obj":
				st = pdfObjState{}
			case "stream":
				if inObjStm {
					return brokenStructure(PDF, "an object stream holds a stream")
				}
				next, err := pdfStream(data, j, st, budget)
				if err != nil {
					return err
				}
				j = next
				st = pdfObjState{}
			}
			i = j
		default:
			i++
		}
	}
	return nil
}

// pdfStream checks the stream whose keyword ends at i and returns where its
// endstream keyword ends.
func pdfStream(data []byte, i int, st pdfObjState, budget *int) (int, error) {
	if i < len(data) && data[i] == '\r' {
		i++
	}
	if i < len(data) && data[i] == '\n' {
		i++
	}
	n := bytes.Index(data[i:], []byte("endstream"))
	if n < 0 {
		return 0, brokenStructure(PDF, "a stream has no endstream")
	}
	body := data[i : i+n]
	if hidesObject(body) {
		return 0, brokenStructure(PDF, "a stream hides an object")
	}
	if st.isObjStm() {
		if st.flate != 1 || st.otherFilters > 0 || st.params {
			return 0, brokenStructure(PDF, "an object stream is encoded in a way that cannot be checked")
		}
		unreadable := refused("The PDF file has an object stream that cannot be read; " +
			"if the file is password-protected, send it without protection.")
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			return 0, unreadable
		}
		inflated, err := io.ReadAll(io.LimitReader(zr, int64(*budget)+1))
		if len(inflated) > *budget {
			return 0, brokenStructure(PDF, "its object streams inflate to more than 64 MiB")
		}
		if err != nil && len(inflated) == 0 {
			return 0, unreadable
		}
		*budget -= len(inflated)
		if err := scanPDFObjects(inflated, true, budget); err != nil {
			return 0, err
		}
	}
	return i + n + len("endstream"), nil
}

// pdfStringEnd returns the index just past the literal string opening at
// data[i] == '(': parentheses nest, and a backslash escapes the next byte.
func pdfStringEnd(data []byte, i int) (int, bool) {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1, true
			}
		}
	}
	return 0, false
}

// pdfName decodes a name's #xx escapes (the raw bytes after its slash).
func pdfName(raw []byte) string {
	if bytes.IndexByte(raw, '#') < 0 {
		return string(raw)
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) && unhex(raw[i+1]) >= 0 && unhex(raw[i+2]) >= 0 {
			out = append(out, byte(unhex(raw[i+1])<<4|unhex(raw[i+2])))
			i += 2
			continue
		}
		out = append(out, raw[i])
	}
	return string(out)
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// pdfSpace is PDF's white space: NUL, tab, LF, FF, CR and space.
func pdfSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

// pdfRegular is a byte that is neither white space nor a delimiter.
func pdfRegular(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return !pdfSpace(c)
}
