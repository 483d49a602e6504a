package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Document is an upload checked to be exactly the format it claims.
type Document struct {
	// Format is the format of Data: the detected one, one of the accepted
	// ones, except that a WebP is stored as the JPEG or PNG SanitizeImage
	// turns it into (Go has no WebP encoder).
	Format Format
	// Data are the bytes to store: a PDF as sent, once checked; an image
	// decoded and encoded again by SanitizeImage.
	Data []byte
	// SHA256 is the lowercase hex SHA-256 of Data.
	SHA256 string
}

// CheckDocument checks an uploaded document against the accepted formats and
// returns what to store. The format comes from the bytes alone (Sniff), never
// from the file name or the declared Content-Type. A file that is more than
// its format is refused with 415 unsupported_media_type: data after the
// format's end (after JPEG's end-of-image marker, PNG's IEND chunk, PDF's last
// %%EOF, or beyond WebP's RIFF size), or another format's signature inside
// (a second %PDF- header, a ZIP entry, an HTML or SVG tag). A PDF must also
// have a sound trailer (startxref pointing into the file at an xref table
// with a trailer, or at an xref stream) and no active content (JavaScript,
// launch actions, embedded files, XFA forms), since staff open these
// documents. Images then go through SanitizeImage with DefaultImageLimits,
// so its 422 and 503 answers apply, and are stored re-encoded.
func CheckDocument(ctx context.Context, data []byte, accepted ...Format) (Document, error) {
	f, err := Sniff(data, accepted...)
	if err != nil {
		return Document{}, err
	}
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	switch f {
	case PDF:
		if err := checkPDF(data); err != nil {
			return Document{}, err
		}
	default:
		if err := checkImageEnd(f, data); err != nil {
			return Document{}, err
		}
		if err := checkForeignSignatures(f, data, 0); err != nil {
			return Document{}, err
		}
		img, err := SanitizeImage(ctx, data, DefaultImageLimits)
		if err != nil {
			return Document{}, err
		}
		f, data = img.Format, img.Data
	}
	sum := sha256.Sum256(data)
	return Document{Format: f, Data: data, SHA256: hex.EncodeToString(sum[:])}, nil
}

// refused is the 415 every failed document check answers.
func refused(detail string) *apperr.Error {
	return &apperr.Error{Kind: apperr.UnsupportedMediaType, Code: "unsupported_media_type", Detail: detail}
}

func trailingData(f Format) *apperr.Error {
	return refused("The file has data after the end of its " + f.Name + " content; send the " + f.Name + " file alone.")
}

func brokenStructure(f Format, why string) *apperr.Error {
	return refused("The " + f.Name + " file is broken: " + why + ".")
}

// checkImageEnd walks an image's container to the end its format defines
// and refuses anything after it.
func checkImageEnd(f Format, data []byte) error {
	switch f {
	case JPEG:
		// A JPEG may be followed by further complete JPEGs: the Multi-Picture
		// Format (depth and gain maps of phone photos) appends them after the
		// first image's end. Each is walked in turn; anything else is refused.
		for i := 0; i < len(data); {
			end, ok := jpegEnd(data[i:])
			if !ok {
				if i == 0 {
					return brokenStructure(f, "its end-of-image marker is missing")
				}
				return trailingData(f)
			}
			i += end
		}
	case PNG:
		end, ok := pngEnd(data)
		if !ok {
			return brokenStructure(f, "its chunks do not end with IEND")
		}
		if end != len(data) {
			return trailingData(f)
		}
	case WebP:
		if len(data) < 12 || int64(binary.LittleEndian.Uint32(data[4:])) != int64(len(data))-8 {
			return refused("The WebP file's RIFF size does not match its length; send the WebP file alone.")
		}
	}
	return nil
}

// jpegEnd returns the length of the JPEG stream at the start of b, up to and
// including the end-of-image marker (FF D9) that ends it: marker segments
// are skipped by their lengths and entropy-coded data up to the next marker
// that is not a stuffed FF 00 or a restart marker, so an FF D9 inside a
// segment's payload does not count.
func jpegEnd(b []byte) (int, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 0, false
	}
	i := 2
	for i+1 < len(b) {
		if b[i] != 0xFF {
			return 0, false
		}
		marker := b[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0xD9:
			return i + 2, true
		case marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 || marker == 0x00:
			i += 2
			continue
		}
		if i+4 > len(b) {
			return 0, false
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 0, false
		}
		i += 2 + n
		if marker != 0xDA {
			continue
		}
		// Entropy-coded data follows a start of scan, up to the next marker.
		for {
			j := bytes.IndexByte(b[i:], 0xFF)
			if j < 0 || i+j+1 >= len(b) {
				return 0, false
			}
			i += j
			if next := b[i+1]; next == 0x00 || next >= 0xD0 && next <= 0xD7 {
				i += 2
				continue
			}
			break
		}
	}
	return 0, false
}

// pngEnd returns the length of the PNG stream in b, through the IEND chunk.
func pngEnd(b []byte) (int, bool) {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(b, []byte(sig)) {
		return 0, false
	}
	for i := len(sig); i+12 <= len(b); {
		n := int64(binary.BigEndian.Uint32(b[i:]))
		end := int64(i) + 12 + n
		if n > 1<<31-1 || end > int64(len(b)) {
			return 0, false
		}
		if string(b[i+4:i+8]) == "IEND" {
			return int(end), true
		}
		i = int(end)
	}
	return 0, false
}

// htmlTags are markup openings that make a browser, or a sniffing mail
// client, treat the bytes as a web page or an SVG image. Each counts only
// when a tag-ending byte follows, which keeps compressed data from matching
// them by chance: the shortest, <svg, turns up in about one random 10 MiB
// file in 2 000.
var htmlTags = [][]byte{[]byte("<html"), []byte("<script"), []byte("<svg"), []byte("<!doctype"),
	[]byte("<iframe"), []byte("<object"), []byte("<embed")}

// checkForeignSignatures refuses data carrying another format's signature
// at or after offset from: a PDF header, a ZIP entry or end record (ZIP,
// JAR, DOCX, APK), or an HTML/SVG tag in any letter case. The scan is one
// pass over the bytes.
func checkForeignSignatures(f Format, data []byte, from int) error {
	for i := from; i < len(data); i++ {
		var found string
		switch data[i] {
		case '%':
			if bytes.HasPrefix(data[i:], []byte("%PDF-")) {
				found = "a PDF"
			}
		case 'P':
			// The byte after a local header's signature is the high byte of
			// the version needed, 0 in every real ZIP; an end record starts
			// with two zero disk numbers.
			if bytes.HasPrefix(data[i:], []byte("PK\x03\x04")) && i+5 < len(data) && data[i+5] == 0 ||
				bytes.HasPrefix(data[i:], []byte("PK\x05\x06\x00\x00\x00\x00")) {
				found = "a ZIP archive"
			}
		case '<':
			for _, tag := range htmlTags {
				if hasPrefixFold(data[i:], tag) && i+len(tag) < len(data) && tagEnd(data[i+len(tag)]) {
					found = "HTML or SVG markup"
					break
				}
			}
		}
		if found != "" {
			return refused("The " + f.Name + " file also carries " + found + " inside it; send a plain " + f.Name + " file.")
		}
	}
	return nil
}

// hasPrefixFold is bytes.HasPrefix ignoring ASCII letter case of b.
func hasPrefixFold(b, prefix []byte) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i, c := range prefix {
		d := b[i]
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if d != c {
			return false
		}
	}
	return true
}

func tagEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '>', '/':
		return true
	}
	return false
}
