// Package problem holds the RFC 9457 "problem details" wire types that every
// error response of the API uses, so clients and other services can share them.
package problem

import "encoding/json"

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem document with the API's extension members:
// a stable machine-readable code, the request id and per-field errors.
type Problem struct {
	Type      string `json:"type" example:"https://solo-destination.example/problems/validation_failed" maxLength:"256"`
	Title     string `json:"title" example:"Validation failed" maxLength:"100"`
	Status    int    `json:"status" example:"422" format:"int32" minimum:"400" maximum:"599"`
	Detail    string `json:"detail" example:"One or more fields are invalid." maxLength:"2000"`
	Instance  string `json:"instance" example:"/api/v1/auth/register" maxLength:"8192"`
	Code      string `json:"code" example:"validation_failed" maxLength:"64"`
	RequestID string `json:"request_id,omitempty" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" maxLength:"128" extensions:"x-optional"`
	// TraceID is the W3C trace id of the request when the server exports
	// traces (OpenTelemetry), for finding the request's trace.
	TraceID string       `json:"trace_id,omitempty" example:"4bf92f3577b34da6a3ce929d0e0e4736" minLength:"32" maxLength:"32" pattern:"^[0-9a-f]{32}$" extensions:"x-optional"`
	Errors  []FieldError `json:"errors,omitempty" validate:"max=1000" extensions:"x-optional"`
	// Extensions are further members a problem of one code carries (RFC 9457
	// §3.2), e.g. boarded_at of already_checked_in; they never replace the
	// members above.
	Extensions map[string]any `json:"-"`
} // @name Problem

// MarshalJSON writes the members of p and its extension members as one object.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	b, err := json.Marshal(plain(p))
	if err != nil || len(p.Extensions) == 0 {
		return b, err
	}
	var all map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range p.Extensions {
		if _, taken := all[k]; !taken {
			all[k] = v
		}
	}
	return json.Marshal(all)
}

// UnmarshalJSON reads the members of p and keeps any others in Extensions.
func (p *Problem) UnmarshalJSON(b []byte) error {
	type plain Problem
	if err := json.Unmarshal(b, (*plain)(p)); err != nil {
		return err
	}
	var all map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	for _, k := range []string{"type", "title", "status", "detail", "instance", "code", "request_id", "trace_id", "errors"} {
		delete(all, k)
	}
	p.Extensions = nil
	if len(all) > 0 {
		p.Extensions = all
	}
	return nil
}

// FieldError names one invalid field of a request and says what is wrong with it.
type FieldError struct {
	Field   string `json:"field" example:"password" maxLength:"256"`
	Message string `json:"message" example:"must be at least 10 characters" maxLength:"500"`
} // @name FieldError

// TypeURI returns the documentation URI of a problem code.
func TypeURI(code string) string {
	return "https://solo-destination.example/problems/" + code
}
