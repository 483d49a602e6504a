// Package apperr defines the one error type that services return. Its Kind
// decides the HTTP status; its Code is the stable string clients match on.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error. Append only, never reorder: the zero value is
// Internal so an unclassified error fails safe.
type Kind uint8

const (
	Internal Kind = iota
	Invalid
	Unauthenticated
	Forbidden
	NotFound
	Conflict
	Unavailable
	TooLarge
	UnsupportedMediaType
	RateLimited
	Unprocessable
	MethodNotAllowed
	URITooLong
)

// Error is the error type every service and store returns for expected failures.
type Error struct {
	Kind       Kind
	Code       string            // stable and machine-readable, e.g. "insufficient_seats"
	Detail     string            // safe to show to an end user
	Fields     map[string]string // per-field problems, for validation errors
	RetryAfter time.Duration     // for RateLimited and Unavailable
	Extensions map[string]any    // further problem members of this Code, e.g. boarded_at
	Err        error             // private cause: logged, never sent to clients
}

func (e *Error) Error() string {
	msg := e.Code
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf reports the Kind of err; Internal for errors that are not *Error.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return Internal
}

// CodeOf reports the Code of err; "internal" for errors that are not *Error.
func CodeOf(err error) string {
	if e, ok := As(err); ok {
		return e.Code
	}
	return "internal"
}

// BadRequest is a request the server cannot parse: malformed JSON, wrong types, unknown enum values.
func BadRequest(detail string) *Error {
	return &Error{Kind: Invalid, Code: "bad_request", Detail: detail}
}

// Validation is a well-formed request whose values break the rules (HTTP 422).
func Validation(fields map[string]string) *Error {
	return &Error{Kind: Unprocessable, Code: "validation_failed", Detail: "One or more fields are invalid.", Fields: fields}
}

// FieldInvalid is a validation error on a single field.
func FieldInvalid(field, message string) *Error {
	return Validation(map[string]string{field: message})
}

// Unauthorized means no valid credentials were presented.
func Unauthorized(detail string) *Error {
	return &Error{Kind: Unauthenticated, Code: "unauthorized", Detail: detail}
}

// Denied means the caller is known but may not do this.
func Denied(detail string) *Error {
	return &Error{Kind: Forbidden, Code: "forbidden", Detail: detail}
}

// Missing says a resource does not exist or is not visible to the caller.
func Missing(what string, id any) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Detail: fmt.Sprintf("%s %v was not found.", what, id)}
}

// StateConflict reports a conflict with the current state of a resource.
func StateConflict(code, detail string) *Error {
	return &Error{Kind: Conflict, Code: code, Detail: detail}
}

// TooManyRequests asks the client to wait before trying again.
func TooManyRequests(detail string, retryAfter time.Duration) *Error {
	return &Error{Kind: RateLimited, Code: "rate_limited", Detail: detail, RetryAfter: retryAfter}
}
