package storage

import (
	"net/http"
	"strings"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Format is a file format the API stores: its media type, the extension its
// keys end with, and the name told to people.
type Format struct {
	ContentType string
	Ext         string
	Name        string
}

// The formats uploads may have.
var (
	JPEG = Format{ContentType: "image/jpeg", Ext: "jpg", Name: "JPEG"}
	PNG  = Format{ContentType: "image/png", Ext: "png", Name: "PNG"}
	WebP = Format{ContentType: "image/webp", Ext: "webp", Name: "WebP"}
	PDF  = Format{ContentType: "application/pdf", Ext: "pdf", Name: "PDF"}
)

// Sniff recognises data as one of the accepted formats by its leading bytes,
// whatever the file name or the declared Content-Type say (both are the
// client's word). Anything else is 415 unsupported_media_type.
func Sniff(data []byte, accepted ...Format) (Format, error) {
	ct := http.DetectContentType(data)
	for _, f := range accepted {
		if f.ContentType == ct {
			return f, nil
		}
	}
	names := make([]string, len(accepted))
	for i, f := range accepted {
		names[i] = f.Name
	}
	return Format{}, &apperr.Error{Kind: apperr.UnsupportedMediaType, Code: "unsupported_media_type",
		Detail: "The file is not one of the accepted formats: " + strings.Join(names, ", ") + "."}
}
