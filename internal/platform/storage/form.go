package storage

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

// FormSpec says what a multipart upload may hold: one file field and a few
// short text fields, each with a size limit.
type FormSpec struct {
	File     string           // name of the one file field, e.g. "file"
	MaxBytes int64            // the file's limit; one byte more is 413
	Fields   map[string]int64 // text fields accepted, with their limit in bytes; others are skipped
}

// Form is a read multipart upload.
type Form struct {
	File     []byte
	Filename string            // the file's name as the client gave it, for SafeFilename
	Values   map[string]string // text fields, trimmed
}

// ReadForm streams a multipart/form-data body, keeping at most
// spec.MaxBytes+1 bytes of the file in memory: one byte over is enough to
// know it is too large. Text fields over their limit are cut at it, so the
// caller's own validation reports them by name.
func ReadForm(r *http.Request, spec FormSpec) (Form, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return Form{}, &apperr.Error{Kind: apperr.UnsupportedMediaType, Code: "unsupported_media_type",
			Detail: fmt.Sprintf("Send the file as multipart/form-data with a %q field.", spec.File)}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return Form{}, apperr.BadRequest("The multipart body could not be read.")
	}
	form := Form{Values: map[string]string{}}
	hasFile := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Form{}, formReadError(err, spec.MaxBytes)
		}
		name := part.FormName()
		limit, isField := spec.Fields[name]
		switch {
		case name == spec.File:
			if hasFile {
				part.Close()
				return Form{}, apperr.FieldInvalid(spec.File, "send exactly one file")
			}
			hasFile = true
			form.Filename = part.FileName()
			if form.File, err = io.ReadAll(io.LimitReader(part, spec.MaxBytes+1)); err != nil {
				return Form{}, formReadError(err, spec.MaxBytes)
			}
			if int64(len(form.File)) > spec.MaxBytes {
				return Form{}, FileTooLarge(spec.MaxBytes)
			}
		case isField:
			b, err := io.ReadAll(io.LimitReader(part, limit+1))
			if err != nil {
				return Form{}, formReadError(err, spec.MaxBytes)
			}
			form.Values[name] = strings.TrimSpace(string(b))
		default:
			if _, err := io.Copy(io.Discard, part); err != nil {
				return Form{}, formReadError(err, spec.MaxBytes)
			}
		}
		part.Close()
	}
	switch {
	case !hasFile:
		return Form{}, apperr.FieldInvalid(spec.File, "is required")
	case len(form.File) == 0:
		return Form{}, apperr.FieldInvalid(spec.File, "is empty")
	}
	return form, nil
}

// FileTooLarge is the 413 for a file over its limit.
func FileTooLarge(limit int64) *apperr.Error {
	return &apperr.Error{Kind: apperr.TooLarge, Code: "payload_too_large",
		Detail: fmt.Sprintf("The file may be at most %d bytes (%s).", limit, mebibytes(limit))}
}

func mebibytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

func formReadError(err error, fileLimit int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return web.PayloadTooLarge(tooBig.Limit)
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return FileTooLarge(fileLimit)
	}
	return apperr.BadRequest("The multipart body could not be read.")
}
