// Package storagetest crafts image files for upload tests: pixel bombs,
// files with trailing bytes, EXIF blocks with GPS and an orientation, and
// WebP images, built in code so no binary fixture needs to be committed.
package storagetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Halves is a w×h opaque image whose left half is red and right half blue,
// so any turn or mirror shows in where the colours end up.
func Halves(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 255, A: 255}
			if x >= w/2 {
				c = color.NRGBA{B: 255, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// PNG encodes img.
func PNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// JPEG encodes img at high quality.
func JPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// GPSLatitude is the latitude EXIF writes into its GPS block: 7° 34' 0" S,
// the city centre. Tests look for these bytes in what is stored.
var GPSLatitude = []byte{0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}

// EXIF returns a big-endian TIFF-structured EXIF block (without the JPEG
// "Exif\0\0" prefix) with IFD0 holding Orientation (when orientation > 0),
// Make, and a GPS IFD with a latitude, as a phone writes it.
func EXIF(orientation int) []byte {
	be := binary.BigEndian
	var ifd0 [][]byte
	entry := func(tag, typ uint16, count uint32, value []byte) []byte {
		e := make([]byte, 12)
		be.PutUint16(e, tag)
		be.PutUint16(e[2:], typ)
		be.PutUint32(e[4:], count)
		copy(e[8:], value)
		return e
	}
	u16 := func(v uint16) []byte { b := make([]byte, 4); be.PutUint16(b, v); return b }
	u32 := func(v uint32) []byte { b := make([]byte, 4); be.PutUint32(b, v); return b }
	const (
		typeASCII, typeShort, typeLong, typeRational = 2, 3, 4, 5
	)
	// Layout: header(8) | IFD0 | GPS IFD | latitude data.
	n0 := 2
	if orientation > 0 {
		n0 = 3
	}
	ifd0Off := uint32(8)
	gpsOff := ifd0Off + 2 + uint32(n0)*12 + 4
	const nGPS = 2
	latOff := gpsOff + 2 + nGPS*12 + 4
	ifd0 = append(ifd0, entry(0x010F, typeASCII, 4, []byte("Cam\x00")))
	if orientation > 0 {
		ifd0 = append(ifd0, entry(0x0112, typeShort, 1, u16(uint16(orientation))))
	}
	ifd0 = append(ifd0, entry(0x8825, typeLong, 1, u32(gpsOff)))

	var b bytes.Buffer
	b.WriteString("MM")
	b.Write([]byte{0, 42})
	b.Write(u32(ifd0Off))
	b.Write([]byte{0, byte(n0)})
	for _, e := range ifd0 {
		b.Write(e)
	}
	b.Write(u32(0))
	b.Write([]byte{0, nGPS})
	b.Write(entry(0x0001, typeASCII, 2, []byte("S\x00")))
	b.Write(entry(0x0002, typeRational, 3, u32(latOff)))
	b.Write(u32(0))
	b.Write(GPSLatitude)
	return b.Bytes()
}

// JPEGWithEXIF puts exif in an APP1 segment right after the JPEG's SOI.
func JPEGWithEXIF(jpg, exif []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), exif...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// Chunk is one PNG chunk with its length and CRC.
func Chunk(typ string, data []byte) []byte {
	c := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(c, uint32(len(data)))
	copy(c[4:], typ)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// PNGWithEXIF puts exif in an eXIf chunk right after the PNG's IHDR.
func PNGWithEXIF(p, exif []byte) []byte {
	const afterIHDR = 8 + 8 + 13 + 4
	out := append([]byte{}, p[:afterIHDR]...)
	out = append(out, Chunk("eXIf", exif)...)
	return append(out, p[afterIHDR:]...)
}

// IEND is how every complete PNG ends.
var IEND = Chunk("IEND", nil)

// PixelBomb is a PNG whose header declares w×h 8-bit RGBA pixels, followed
// by about size bytes of valid compressed rows (all zero), as a small file
// that would take w×h×4 bytes to decode.
func PixelBomb(t testing.TB, w, h uint32, size int) []byte {
	t.Helper()
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.NoCompression)
	row := make([]byte, 1+4*int(w))
	for z.Len() < size {
		if _, err := zw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, Chunk("IHDR", ihdr)...)
	out = append(out, Chunk("IDAT", z.Bytes())...)
	return append(out, IEND...)
}

// WebP is a lossless w×h WebP of one colour: a VP8L bitstream whose four
// colour codes each hold a single symbol, so the pixels take no bits. With
// exif it is an extended (VP8X) WebP carrying it in an EXIF chunk.
func WebP(w, h int, c color.NRGBA, exif []byte) []byte {
	return webp(w, h, w, h, c, exif, exif != nil)
}

// WebPLyingCanvas is an extended WebP whose VP8X header declares a
// canvasW×canvasH canvas while its lossless frame is w×h: the header a
// decoder's config reports can hide a far larger frame.
func WebPLyingCanvas(canvasW, canvasH, w, h int) []byte {
	return webp(canvasW, canvasH, w, h, color.NRGBA{A: 255}, nil, true)
}

func webp(canvasW, canvasH, w, h int, c color.NRGBA, exif []byte, extended bool) []byte {
	var bw bitWriter
	bw.write(0x2f, 8)
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	alpha := uint32(0)
	if c.A != 0xff {
		alpha = 1
	}
	bw.write(alpha, 1)
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, v := range []uint8{c.G, c.R, c.B, c.A} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of eight bits
		bw.write(uint32(v), 8)
	}
	bw.write(1, 1) // distance: simple code, one symbol of one bit, 0
	bw.write(0, 1)
	bw.write(0, 1)
	bw.write(0, 1)
	vp8l := bw.bytes()

	var body bytes.Buffer
	body.WriteString("WEBP")
	if extended {
		x := make([]byte, 10)
		if exif != nil {
			x[0] = 0x08 // EXIF present
		}
		if alpha == 1 {
			x[0] |= 0x10
		}
		put24(x[4:], uint32(canvasW-1))
		put24(x[7:], uint32(canvasH-1))
		riffChunk(&body, "VP8X", x)
	}
	riffChunk(&body, "VP8L", vp8l)
	if exif != nil {
		riffChunk(&body, "EXIF", exif)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(body.Len()))
	return append(out, body.Bytes()...)
}

func put24(b []byte, v uint32) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }

func riffChunk(b *bytes.Buffer, typ string, data []byte) {
	b.WriteString(typ)
	binary.Write(b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	if len(data)%2 == 1 {
		b.WriteByte(0)
	}
}

// bitWriter writes bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (w *bitWriter) write(v uint32, n uint) {
	w.acc |= uint64(v) << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc, w.nbits = 0, 0
	}
	return append(w.buf, 0, 0, 0, 0) // the reader may look ahead
}
