// Package web is the gin glue shared by every domain: the error-returning
// handler adapter, request binding, the problem+json renderer and middleware.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/problem"
)

// HandlerFunc is a gin handler that returns its error instead of writing it.
type HandlerFunc func(c *gin.Context) error

// Handle adapts h to gin and renders any error it returns exactly once.
func Handle(h HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			RenderError(c, err)
		}
	}
}

var titles = map[apperr.Kind]string{
	apperr.Internal:             "Internal server error",
	apperr.Invalid:              "Bad request",
	apperr.Unauthenticated:      "Unauthorized",
	apperr.Forbidden:            "Forbidden",
	apperr.NotFound:             "Not found",
	apperr.Conflict:             "Conflict",
	apperr.Unavailable:          "Service unavailable",
	apperr.TooLarge:             "Payload too large",
	apperr.UnsupportedMediaType: "Unsupported media type",
	apperr.RateLimited:          "Too many requests",
	apperr.Unprocessable:        "Unprocessable content",
	apperr.MethodNotAllowed:     "Method not allowed",
	apperr.URITooLong:           "URI too long",
}

var statuses = map[apperr.Kind]int{
	apperr.Internal:             http.StatusInternalServerError,
	apperr.Invalid:              http.StatusBadRequest,
	apperr.Unauthenticated:      http.StatusUnauthorized,
	apperr.Forbidden:            http.StatusForbidden,
	apperr.NotFound:             http.StatusNotFound,
	apperr.Conflict:             http.StatusConflict,
	apperr.Unavailable:          http.StatusServiceUnavailable,
	apperr.TooLarge:             http.StatusRequestEntityTooLarge,
	apperr.UnsupportedMediaType: http.StatusUnsupportedMediaType,
	apperr.RateLimited:          http.StatusTooManyRequests,
	apperr.Unprocessable:        http.StatusUnprocessableEntity,
	apperr.MethodNotAllowed:     http.StatusMethodNotAllowed,
	apperr.URITooLong:           http.StatusRequestURITooLong,
}

// StatusClientClosedRequest is recorded (nginx's convention) when the client
// disconnected before its answer was ready; nobody receives it.
const StatusClientClosedRequest = 499

// DatabaseRetryAfter is the Retry-After of answers refused because the
// database is unreachable or too slow.
const DatabaseRetryAfter = 5 * time.Second

// RenderError writes err as an RFC 9457 problem. An error that means the
// database is unreachable or past the request's deadline is a 503, whoever
// returned it and however it is wrapped. Anything else that is not an
// *apperr.Error is a 500 whose cause is logged under the request id and never
// shown to the client.
func RenderError(c *gin.Context, err error) {
	ctx := c.Request.Context()
	if errors.Is(ctx.Err(), context.Canceled) {
		// The client hung up; whatever failed after that is not a fault.
		Logger(c).Info("client went away", "err", err)
		c.AbortWithStatus(StatusClientClosedRequest)
		return
	}
	e, ok := apperr.As(err)
	if (!ok || e.Kind == apperr.Internal) &&
		(database.IsUnavailable(err) || errors.Is(ctx.Err(), context.DeadlineExceeded)) {
		e = &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable",
			Detail:     "The service is temporarily unavailable. Try again shortly.",
			RetryAfter: DatabaseRetryAfter, Err: err}
		ok = true
	}
	if !ok || e.Kind == apperr.Internal {
		Logger(c).Error("request failed", "err", err)
		e = &apperr.Error{Kind: apperr.Internal, Code: "internal", Detail: "Something went wrong on our side. Quote the request id when reporting it."}
	} else if e.Err != nil {
		Logger(c).Warn("request refused", "code", e.Code, "err", e.Err)
	}
	status := statuses[e.Kind]
	p := problem.Problem{
		Type:       problem.TypeURI(e.Code),
		Title:      titles[e.Kind],
		Status:     status,
		Detail:     e.Detail,
		Instance:   c.Request.URL.Path,
		Code:       e.Code,
		RequestID:  RequestID(c.Request.Context()),
		TraceID:    TraceID(c.Request.Context()),
		Extensions: e.Extensions,
	}
	for _, f := range sortedKeys(e.Fields) {
		p.Errors = append(p.Errors, problem.FieldError{Field: f, Message: e.Fields[f]})
	}
	if e.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	WriteProblem(c, p)
}

// WriteProblem writes p with the problem+json media type and aborts the chain.
func WriteProblem(c *gin.Context, p problem.Problem) {
	c.Header("Cache-Control", "no-store")
	c.Render(p.Status, problemRender{p})
	c.Abort()
}

// Logger returns the request-scoped logger (request id attached).
func Logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(loggerKey); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}
