package catalog

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/solodestination/api/internal/catalog/kind"
)

// The read endpoints encode listings by hand: reflection-based encoding
// plus decoding the JSON columns only to encode them again was most of the
// CPU of a list request. The output has the shape of listingResponse (the
// documented schema); TestFastEncodingMatchesSchema holds them together.

// appendListing writes r as a listingResponse object.
func appendListing(b []byte, r *readRow, lang Lang) []byte {
	b = append(b, `{"id":"`...)
	b = appendUUID(b, r.ID)
	b = append(b, `","type":`...)
	b = appendString(b, string(r.Kind))
	b = append(b, `,"slug":`...)
	b = appendString(b, r.Slug)
	b = append(b, `,"name":`...)
	b = appendText(b, r.NameID, r.NameEN, lang)
	b = append(b, `,"description":`...)
	b = appendText(b, r.DescID, r.DescEN, lang)
	b = append(b, `,"category":`...)
	b = appendString(b, r.Category)
	b = append(b, `,"tags":`...)
	b = appendRaw(b, r.Tags, '[')
	b = append(b, `,"address":`...)
	b = appendString(b, r.Address)
	b = append(b, `,"location":{"lat":`...)
	b = appendFloat(b, r.Lat)
	b = append(b, `,"lng":`...)
	b = appendFloat(b, r.Lng)
	b = append(b, `},"opening_hours":`...)
	b = appendRaw(b, r.Hours, '[')
	b = append(b, `,"open_now":`...)
	b = strconv.AppendBool(b, r.OpenNow)
	b = append(b, `,"contact":`...)
	b = appendRaw(b, r.Contact, '{')
	b = append(b, `,"images":`...)
	b = appendImages(b, r)
	b = append(b, `,"rating":{"average":`...)
	b = appendFloat(b, r.RatingAvg)
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(r.RatingCount), 10)
	b = append(b, `},"status":`...)
	b = appendString(b, string(r.Status))
	switch r.Kind {
	case kind.Attraction:
		b = append(b, `,"ticket_prices":`...)
		b = appendRaw(b, r.Prices, '[')
	case kind.Culinary:
		b = append(b, `,"specialties":`...)
		b = appendRaw(b, r.Specialties, '[')
		b = append(b, `,"price_range":`...)
		if r.PriceRange.Valid {
			b = strconv.AppendInt(b, r.PriceRange.Int64, 10)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"halal":`...)
		if r.Halal.Valid {
			b = strconv.AppendBool(b, r.Halal.Bool)
		} else {
			b = append(b, "null"...)
		}
	case kind.Event:
		b = append(b, `,"starts_at":`...)
		b = appendNullTime(b, r.StartsAt.Time, r.StartsAt.Valid)
		b = append(b, `,"ends_at":`...)
		b = appendNullTime(b, r.EndsAt.Time, r.EndsAt.Valid)
		b = append(b, `,"venue":`...)
		b = appendString(b, r.Venue)
		b = append(b, `,"organizer":`...)
		b = appendString(b, r.Organizer)
		b = append(b, `,"ticket_url":`...)
		b = appendString(b, r.TURL)
	}
	if r.DistanceM != nil {
		b = append(b, `,"distance_m":`...)
		b = appendFloat(b, *r.DistanceM)
	}
	b = append(b, `,"created_at":`...)
	b = appendTime(b, r.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendTime(b, r.UpdatedAt)
	return append(b, '}')
}

// appendListingList writes {"data": [...], "meta": {...}}.
func appendListingList(b []byte, rows []readRow, lang Lang, limit int, next *string) []byte {
	b = append(b, `{"data":[`...)
	for i := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendListing(b, &rows[i], lang)
	}
	b = append(b, `],"meta":{"limit":`...)
	b = strconv.AppendInt(b, int64(limit), 10)
	b = append(b, `,"next_cursor":`...)
	if next == nil {
		b = append(b, "null"...)
	} else {
		b = appendString(b, *next)
	}
	return append(b, "}}"...)
}

func appendText(b []byte, id, en string, lang Lang) []byte {
	switch lang {
	case LangAll:
		b = append(b, `{"id":`...)
		b = appendString(b, id)
		b = append(b, `,"en":`...)
		b = appendString(b, en)
		return append(b, '}')
	case LangEN:
		if en != "" {
			return appendString(b, en)
		}
	}
	return appendString(b, id)
}

// appendRaw copies a stored JSON column, which the API writes with
// json.Marshal. A value that is not even shaped like the expected array or
// object is written as an empty one rather than breaking the document.
func appendRaw(b, raw []byte, open byte) []byte {
	close := byte(']')
	if open == '{' {
		close = '}'
	}
	if len(raw) < 2 || raw[0] != open || raw[len(raw)-1] != close {
		return append(b, open, close)
	}
	return append(b, raw...)
}

func appendImages(b []byte, r *readRow) []byte {
	imgs, err := r.images()
	if err != nil || len(imgs) == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i, im := range imgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":"`...)
		b = append(b, im.ID.String()...)
		b = append(b, `","url":`...)
		b = appendString(b, im.URL)
		b = append(b, `,"caption":`...)
		b = appendString(b, im.Caption)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

func appendNullTime(b []byte, t time.Time, valid bool) []byte {
	if !valid {
		return append(b, "null"...)
	}
	return appendTime(b, t.UTC())
}

// appendFloat formats like encoding/json: shortest representation, plain
// decimal between 1e-6 and 1e21.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	abs := math.Abs(f)
	fmtByte := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmtByte = 'e'
	}
	b = strconv.AppendFloat(b, f, fmtByte, -1, 64)
	if fmtByte == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendUUID writes the canonical 8-4-4-4-12 form.
func appendUUID(b []byte, id [16]byte) []byte {
	for i, c := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xF])
	}
	return b
}

// appendString writes s as a JSON string, escaping like encoding/json
// (including <, > and &, so responses are safe to embed in HTML).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
