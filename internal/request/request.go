// Package request holds what the HTTP layer learns about a request and every
// layer below may read from its context: its id, its logger (which carries
// the id), the caller's network address, and why its token was refused.
//
// internal/server writes these once per request; graph and the domain
// packages read them. Code with a request in scope logs through Logger(ctx),
// so every line carries the request id.
package request

import (
	"context"
	"log/slog"
)

type idKey struct{}

// WithID records the request id that logs and internal errors carry.
func WithID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, idKey{}, id)
}

// ID is the id of the current request, or "".
func ID(ctx context.Context) string {
	s, _ := ctx.Value(idKey{}).(string)
	return s
}

type loggerKey struct{}

// WithLogger attaches the request's logger (which carries its request id).
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// Logger is the request's logger, or slog.Default outside a request.
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

type clientAddrKey struct{}

// WithClientAddr records the caller's network address, for rate limits.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr is the caller's network address, or "" when unknown.
func ClientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientAddrKey{}).(string)
	return s
}

type authErrKey struct{}

// WithAuthError records why the request's token was refused, so the answer
// says "expired token" rather than just "authentication required".
func WithAuthError(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, authErrKey{}, err)
}

// AuthError is why the request's token was refused, or nil.
func AuthError(ctx context.Context) error {
	err, _ := ctx.Value(authErrKey{}).(error)
	return err
}
