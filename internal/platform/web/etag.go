package web

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ETagOf is a weak validator of a body: two hardware-assisted CRC-32s and
// the length. It tells versions of one resource apart, which is all an
// ETag has to do; a cryptographic hash bought nothing but CPU. Weak, since
// the gzip middleware may re-encode the bytes.
func ETagOf(body []byte) string {
	var b [8]byte
	binary.BigEndian.PutUint32(b[:4], crc32.Checksum(body, castagnoli))
	binary.BigEndian.PutUint32(b[4:], crc32.ChecksumIEEE(body))
	return `W/"` + base64.RawURLEncoding.EncodeToString(b[:]) + "-" + strconv.Itoa(len(body)) + `"`
}

// ETagMatches applies If-None-Match with the weak comparison RFC 9110
// (13.1.2) prescribes for it: W/ prefixes are ignored on both sides.
func ETagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == want {
			return true
		}
	}
	return false
}

// WriteCacheable sends v as JSON with an ETag of its bytes and the given
// Cache-Control, and answers a matching If-None-Match with 304 and no body.
func WriteCacheable(c *gin.Context, v any, cacheControl string) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	etag := ETagOf(body)
	c.Header("ETag", etag)
	c.Header("Cache-Control", cacheControl)
	if ETagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}
