// Package problem holds the RFC 9457 "problem details" wire types that every
// error response of the API uses, so clients and other services can share them.
package problem

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem document with the API's extension members:
// a stable machine-readable code, the request id and per-field errors.
type Problem struct {
	Type      string       `json:"type" example:"https://solo-destination.example/problems/validation_failed" maxLength:"256"`
	Title     string       `json:"title" example:"Validation failed" maxLength:"100"`
	Status    int          `json:"status" example:"422" format:"int32" minimum:"400" maximum:"599"`
	Detail    string       `json:"detail" example:"One or more fields are invalid." maxLength:"2000"`
	Instance  string       `json:"instance" example:"/api/v1/auth/register" maxLength:"8192"`
	Code      string       `json:"code" example:"validation_failed" maxLength:"64"`
	RequestID string       `json:"request_id,omitempty" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" maxLength:"128" extensions:"x-optional"`
	Errors    []FieldError `json:"errors,omitempty" validate:"max=1000" extensions:"x-optional"`
} // @name Problem

// FieldError names one invalid field of a request and says what is wrong with it.
type FieldError struct {
	Field   string `json:"field" example:"password" maxLength:"256"`
	Message string `json:"message" example:"must be at least 10 characters" maxLength:"500"`
} // @name FieldError

// TypeURI returns the documentation URI of a problem code.
func TypeURI(code string) string {
	return "https://solo-destination.example/problems/" + code
}
