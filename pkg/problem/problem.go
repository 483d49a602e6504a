// Package problem holds the RFC 9457 "problem details" wire types that every
// error response of the API uses, so clients and other services can share them.
package problem

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem document with the API's extension members:
// a stable machine-readable code, the request id and per-field errors.
type Problem struct {
	Type      string       `json:"type" example:"https://solo-destination.example/problems/validation_failed"`
	Title     string       `json:"title" example:"Validation failed"`
	Status    int          `json:"status" example:"422"`
	Detail    string       `json:"detail" example:"One or more fields are invalid."`
	Instance  string       `json:"instance" example:"/api/v1/auth/register"`
	Code      string       `json:"code" example:"validation_failed"`
	RequestID string       `json:"request_id,omitempty" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	Errors    []FieldError `json:"errors,omitempty"`
} // @name Problem

// FieldError names one invalid field of a request and says what is wrong with it.
type FieldError struct {
	Field   string `json:"field" example:"password"`
	Message string `json:"message" example:"must be at least 10 characters"`
} // @name FieldError

// TypeURI returns the documentation URI of a problem code.
func TypeURI(code string) string {
	return "https://solo-destination.example/problems/" + code
}
