// Package apperr defines the few error kinds corpline shows to clients.
//
// Every error that reaches a client carries one of these codes in
// extensions.code; the message of an *Error is safe to show. Anything else is
// logged and shown as INTERNAL (see graph/errors.go).
package apperr

import (
	"errors"
	"fmt"
)

// Code is the stable, machine-readable kind of an error.
type Code string

const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	BadUserInput    Code = "BAD_USER_INPUT"
	Conflict        Code = "CONFLICT"
	QuotaExceeded   Code = "QUOTA_EXCEEDED"
	RateLimited     Code = "RATE_LIMITED"
	Internal        Code = "INTERNAL"
)

// Reason refines a code where a client should act on the cause, and shows as
// extensions.reason beside extensions.code; the codes stay the small set above.
type Reason string

const (
	// MemberDisabled (with FORBIDDEN) answers every call of a member an admin
	// disabled, until they are enabled again and sign in anew: their client
	// should say so rather than show a login form.
	MemberDisabled Reason = "MEMBER_DISABLED"
	// EnterpriseReclaimed (with FORBIDDEN) answers every call into a trial
	// enterprise the platform reclaimed after its 90 days.
	EnterpriseReclaimed Reason = "ENTERPRISE_RECLAIMED"
	// SlowConsumer (with RATE_LIMITED) ends a subscription whose client fell
	// too far behind to be kept up with; extensions.cursor says where to
	// subscribe again from.
	SlowConsumer Reason = "SLOW_CONSUMER"
)

// Error is an error whose message may be shown to the client.
type Error struct {
	Code    Code
	Message string
	// Field names the input field at fault, when there is one.
	Field string
	// Reason refines Code, when a client should act on the cause.
	Reason Reason
	// Extra holds additional safe extensions, such as retryAfter.
	Extra map[string]any
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Is makes errors.Is(err, apperr.E(code, "")) match on code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

// E returns an error of code with a formatted, client-safe message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Because returns an error of code refined by reason.
func Because(code Code, reason Reason, format string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Input returns a BAD_USER_INPUT error about field.
func Input(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Message: fmt.Sprintf(format, args...), Field: field}
}

// CodeOf returns the code of err, or "" when err is not one of ours.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// ReasonOf returns the reason of err, or its code when it has none, or ""
// when err is not one of ours: the most precise word for why.
func ReasonOf(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	if e.Reason != "" {
		return string(e.Reason)
	}
	return string(e.Code)
}

// Shared errors, defined once.
var (
	ErrUnauthenticated = E(Unauthenticated, "authentication required")
	ErrForbidden       = E(Forbidden, "not allowed")
	ErrNotFound        = E(NotFound, "not found")
)
