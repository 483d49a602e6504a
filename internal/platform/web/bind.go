package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

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
// wrong types and unknown enum values are 400; well-formed bodies that break
// the rules are 422 with per-field errors; a non-JSON body is 415.
func BindJSON(c *gin.Context, dst any) error {
	if !IsJSON(c.GetHeader("Content-Type")) {
		return &apperr.Error{Kind: apperr.UnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "Send the body as application/json."}
	}
	dec := json.NewDecoder(c.Request.Body)
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.BadRequest("The body must hold exactly one JSON value.")
	}
	return Validate(dst)
}

// Validate normalises dst, then runs the struct-tag rules and then the type's own Validate.
func Validate(dst any) error {
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

// IsJSON reports whether a Content-Type header names JSON.
func IsJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

func decodeError(err error) error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	if e, ok := apperr.As(err); ok {
		return e
	}
	switch {
	case errors.As(err, &tooLarge):
		return PayloadTooLarge(tooLarge.Limit)
	case errors.Is(err, io.EOF):
		return apperr.BadRequest("The request body is empty; send a JSON object.")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.BadRequest("The request body is not valid JSON.")
	case errors.As(err, &typ):
		if typ.Field != "" {
			return apperr.BadRequest(fmt.Sprintf("Field %q must be %s.", typ.Field, jsonKind(typ.Type)))
		}
		return apperr.BadRequest(fmt.Sprintf("The body must be %s.", jsonKind(typ.Type)))
	default:
		return apperr.BadRequest("The request body could not be read as JSON.")
	}
}

// PayloadTooLarge is the 413 for a body over its limit.
func PayloadTooLarge(limit int64) *apperr.Error {
	return &apperr.Error{Kind: apperr.TooLarge, Code: "payload_too_large",
		Detail: fmt.Sprintf("The request body is larger than the limit of %d bytes.", limit)}
}

func jsonKind(t reflect.Type) string {
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
