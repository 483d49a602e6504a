package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Validator is implemented by request bodies with rules that struct tags
// cannot express (cross-field checks). It returns field → problem.
type Validator interface {
	Validate() map[string]string
}

func init() {
	// Report validation problems under the JSON names clients send.
	if v, ok := binding.Validator.Engine().(*validator.Validate); ok {
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
	}
}

// Normalizer is implemented by request bodies that tidy their input (trim,
// lower-case) before the rules are checked.
type Normalizer interface {
	Normalize()
}

// BindJSON decodes the JSON body into dst and validates it. Malformed JSON,
// invalid UTF-8, duplicate keys, a null body, wrong types and unknown enum
// values are 400; well-formed bodies that break the rules, including strings
// with characters their field may not hold, are 422 with per-field errors; a
// body that is not application/json is 415.
//
// Decoding uses encoding/json v2 semantics (github.com/go-json-experiment/json,
// the proposal's reference implementation): keys match field names exactly
// (a key differing only in case is an unknown field and ignored, where
// encoding/json would match it), duplicate keys and invalid UTF-8 are
// errors, and every error carries the JSON path of the value at fault.
func BindJSON(c *gin.Context, dst any) error {
	if !IsJSON(c.GetHeader("Content-Type")) {
		return &apperr.Error{Kind: apperr.UnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "Send the body as application/json."}
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return PayloadTooLarge(tooLarge.Limit)
		}
		return apperr.BadRequest("The request body could not be read.")
	}
	if err := decodeJSON(body, dst); err != nil {
		return err
	}
	return Validate(dst)
}

func decodeJSON(body []byte, dst any) error {
	if !utf8.Valid(body) {
		return apperr.BadRequest("The request body is not valid UTF-8.")
	}
	switch string(bytes.Trim(body, " \t\r\n")) {
	case "":
		return apperr.BadRequest("The request body is empty; send a JSON object.")
	case "null":
		return apperr.BadRequest("The body must be a JSON object, not null.")
	}
	if err := jsonv2.Unmarshal(body, dst); err != nil {
		return decodeError(err)
	}
	return nil
}

// Validate normalises dst, then refuses strings with characters their field
// may not hold (see TextRule), then runs the struct-tag rules and then the
// type's own Validate.
func Validate(dst any) error {
	if fields := textProblems(dst); len(fields) > 0 {
		return apperr.Validation(fields)
	}
	if n, ok := dst.(Normalizer); ok {
		n.Normalize()
	}
	fields := map[string]string{}
	if err := binding.Validator.ValidateStruct(dst); err != nil {
		var ve validator.ValidationErrors
		if !errors.As(err, &ve) {
			return err
		}
		for _, fe := range ve {
			fields[fieldPath(fe)] = message(fe)
		}
	}
	if v, ok := dst.(Validator); ok {
		for f, m := range v.Validate() {
			if _, seen := fields[f]; !seen {
				fields[f] = m
			}
		}
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// IsJSON reports whether a Content-Type header is application/json, in
// UTF-8 if it names a charset. Other JSON media types
// (application/merge-patch+json) have other semantics and are refused.
func IsJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

func decodeError(err error) error {
	var (
		syntax   *jsontext.SyntacticError
		semantic *jsonv2.SemanticError
	)
	if e, ok := apperr.As(err); ok {
		return e
	}
	switch {
	case errors.As(err, &syntax):
		if errors.Is(syntax.Err, jsontext.ErrDuplicateName) {
			return fieldError(jsonPath(syntax.JSONPointer), "appears more than once")
		}
		return apperr.BadRequest("The request body is not valid JSON.")
	case errors.As(err, &semantic):
		field := jsonPath(semantic.JSONPointer)
		want := "a valid value"
		if semantic.GoType != nil {
			want = jsonKind(semantic.GoType)
		}
		if field == "" {
			return apperr.BadRequest(fmt.Sprintf("The body must be %s.", want))
		}
		return fieldError(field, "must be "+want)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.BadRequest("The request body is not valid JSON.")
	default:
		return apperr.BadRequest("The request body could not be read as JSON.")
	}
}

// fieldError is a 400 about one value of the body, named in the detail and
// in errors[] so clients can point at it.
func fieldError(field, problem string) *apperr.Error {
	if field == "" {
		field = "body"
	}
	e := apperr.BadRequest(fmt.Sprintf("Field %q %s.", field, problem))
	e.Fields = map[string]string{field: problem}
	return e
}

// jsonPath writes a JSON pointer (/items/2/note) the way validation errors
// name fields (items[2].note). A key made of digits reads as an index; no
// request body has such keys.
func jsonPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// PayloadTooLarge is the 413 for a body over its limit.
func PayloadTooLarge(limit int64) *apperr.Error {
	return &apperr.Error{Kind: apperr.TooLarge, Code: "payload_too_large",
		Detail: fmt.Sprintf("The request body is larger than the limit of %d bytes.", limit)}
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		return "a time in RFC 3339 format, e.g. 2026-08-17T19:00:00+07:00"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

func message(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be a valid email address"
	case "min":
		if fe.Kind() == reflect.String {
			return "must be at least " + fe.Param() + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at least " + fe.Param() + " items"
		}
		return "must be at least " + fe.Param()
	case "max":
		if fe.Kind() == reflect.String {
			return "must be at most " + fe.Param() + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at most " + fe.Param() + " items"
		}
		return "must be at most " + fe.Param()
	case "gte":
		return "must be at least " + fe.Param()
	case "lte":
		return "must be at most " + fe.Param()
	case "gt":
		return "must be greater than " + fe.Param()
	case "lt":
		return "must be less than " + fe.Param()
	case "oneof":
		return "must be one of: " + fe.Param()
	case "e164":
		return "must be a phone number in international format, e.g. +6281234567890"
	case "url", "http_url":
		return "must be a valid URL"
	case "len":
		return "must have length " + fe.Param()
	default:
		return "is invalid (" + fe.Tag() + ")"
	}
}
