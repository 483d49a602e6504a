package storage

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
	"slices"
)

// Only the EXIF Orientation tag is read, by the few lines below, rather than
// through an EXIF library: the maintained Go EXIF readers parse every IFD
// and maker note and bring half a dozen dependencies, and all the upload
// path needs is one SHORT in IFD0 before the whole block is thrown away.

// exifOrientation returns the EXIF Orientation (1–8) of an image in format f,
// or 1 (as stored) when there is none or it cannot be read.
func exifOrientation(f Format, data []byte) int {
	var tiff []byte
	switch f {
	case JPEG:
		tiff = jpegEXIF(data)
	case PNG:
		tiff = pngEXIF(data)
	case WebP:
		tiff = webpEXIF(data)
	}
	return tiffOrientation(tiff)
}

var exifHeader = []byte("Exif\x00\x00")

// jpegEXIF finds the APP1 "Exif" segment among the markers before the scan.
func jpegEXIF(b []byte) []byte {
	var tiff []byte
	jpegSegments(b, func(marker byte, seg []byte) bool {
		if marker == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			tiff = seg[len(exifHeader):]
			return false
		}
		return true
	})
	return tiff
}

// jpegSegments calls fn with each marker segment before the first scan and
// its payload, until fn returns false or the data ends or breaks.
func jpegSegments(b []byte, fn func(marker byte, payload []byte) bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return
		}
		marker := b[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return
		}
		if marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 { // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return
		}
		if !fn(marker, b[i+4:i+2+n]) {
			return
		}
		i += 2 + n
	}
}

// pngEXIF finds the eXIf chunk.
func pngEXIF(b []byte) []byte {
	const sigLen = 8
	for i := sigLen; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if n < 0 || i+12+n > len(b) {
			return nil
		}
		if typ == "eXIf" {
			return b[i+8 : i+8+n]
		}
		if typ == "IEND" {
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpEXIF finds the EXIF chunk of an extended WebP. Some writers keep the
// JPEG "Exif\0\0" prefix in it.
func webpEXIF(b []byte) []byte {
	exif, _ := webpChunk(b, "EXIF")
	return bytes.TrimPrefix(exif, exifHeader)
}

// webpChunk returns the data of the first RIFF chunk of one of the types.
func webpChunk(b []byte, types ...string) (data []byte, typ string) {
	const headerLen = 12 // "RIFF", size, "WEBP"
	for i := headerLen; i+8 <= len(b); {
		typ := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		if n < 0 || i+8+n > len(b) {
			return nil, ""
		}
		if slices.Contains(types, typ) {
			return b[i+8 : i+8+n], typ
		}
		i += 8 + n + n&1 // chunks are padded to an even size
	}
	return nil, ""
}

// webpFrameSize reads the size the image chunk (VP8 or VP8L) declares.
func webpFrameSize(b []byte) (w, h int, ok bool) {
	frame, typ := webpChunk(b, "VP8 ", "VP8L")
	switch {
	case typ == "VP8L" && len(frame) >= 5 && frame[0] == 0x2f:
		bits := binary.LittleEndian.Uint32(frame[1:])
		return int(bits&0x3fff) + 1, int(bits>>14&0x3fff) + 1, true
	case typ == "VP8 " && len(frame) >= 10 && frame[3] == 0x9d && frame[4] == 0x01 && frame[5] == 0x2a:
		return int(binary.LittleEndian.Uint16(frame[6:]) & 0x3fff), int(binary.LittleEndian.Uint16(frame[8:]) & 0x3fff), true
	}
	return 0, 0, false
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF-structured EXIF block.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int64(order.Uint32(t[4:]))
	if ifd+2 > int64(len(t)) {
		return 1
	}
	count := int64(order.Uint16(t[ifd:]))
	for e := ifd + 2; e+12 <= int64(len(t)) && e < ifd+2+count*12; e += 12 {
		const tagOrientation, typeShort = 0x0112, 3
		if order.Uint16(t[e:]) != tagOrientation {
			continue
		}
		if order.Uint16(t[e+2:]) != typeShort {
			return 1
		}
		if o := int(order.Uint16(t[e+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}

// orient turns img so that it displays upright without its EXIF Orientation.
// Pixels are moved four bytes at a time into an NRGBA when img is one (kept
// as is, so alpha is not premultiplied and back) and into an RGBA otherwise,
// converting one source row at a time so the only full-size allocation is
// the turned image itself.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	nrgba, isNRGBA := img.(*image.NRGBA)
	rowBuf := image.NewRGBA(image.Rect(0, 0, w, 1))
	dw, dh := w, h
	if o >= 5 { // the transposing orientations swap width and height
		dw, dh = h, w
	}
	out := make([]uint8, dw*dh*4)
	for y := 0; y < h; y++ {
		var row []uint8
		if isNRGBA {
			row = nrgba.Pix[y*nrgba.Stride:]
		} else {
			draw.Draw(rowBuf, rowBuf.Rect, img, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
			row = rowBuf.Pix
		}
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // upside down
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored upside down
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // rotate 90° clockwise to display
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // rotate 90° counter-clockwise to display
				dx, dy = y, w-1-x
			}
			copy(out[(dy*dw+dx)*4:][:4], row[x*4:x*4+4])
		}
	}
	r := image.Rect(0, 0, dw, dh)
	if isNRGBA {
		return &image.NRGBA{Pix: out, Stride: dw * 4, Rect: r}
	}
	return &image.RGBA{Pix: out, Stride: dw * 4, Rect: r}
}
