package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/request"
)

// PresentError is the one place where errors become what clients see: every
// error gets an extensions.code from package apperr, and anything not known to
// be safe is logged with the request id and shown as "internal error".
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	code, msg, field, extra := classify(ctx, err, gerr)
	gerr.Message = msg
	gerr.Extensions = map[string]any{"code": string(code)}
	if field != "" {
		gerr.Extensions["field"] = field
	}
	for k, v := range extra {
		gerr.Extensions[k] = v
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Reason != "" {
		gerr.Extensions["reason"] = string(ae.Reason)
	}
	return gerr
}

func classify(ctx context.Context, err error, gerr *gqlerror.Error) (apperr.Code, string, string, map[string]any) {
	var ae *apperr.Error
	var nodeErr *gqlerror.Error
	switch {
	case errors.As(err, &ae):
		return ae.Code, ae.Message, ae.Field, ae.Extra
	case errors.As(err, &nodeErr) && nodeErr.Extensions["code"] == string(apperr.NotFound):
		// entgql's node(id)/nodes(ids) miss: one message whether the row
		// never existed or the viewer may not see it.
		return apperr.NotFound, nodeErr.Message, "", nil
	case ent.IsNotFound(err):
		return apperr.NotFound, "not found", "", nil
	case ent.IsValidationError(err):
		var ve *ent.ValidationError
		errors.As(err, &ve)
		return apperr.BadUserInput, "invalid value for " + ve.Name, ve.Name, nil
	case ent.IsConstraintError(err):
		return apperr.Conflict, "conflicts with an existing record", "", nil
	case errors.Is(err, privacy.Deny):
		return apperr.Forbidden, "not allowed", "", nil
	}
	// Errors of the GraphQL layer itself (parse, validation, variables) are
	// about the request, and their messages are safe.
	if c, ok := gerr.Extensions["code"].(string); ok {
		switch c {
		case errcode.ValidationFailed, errcode.ParseFailed, "BAD_USER_INPUT", "COMPLEXITY_LIMIT_EXCEEDED":
			return apperr.BadUserInput, gerr.Message, "", nil
		}
	}
	var ge *gqlerror.Error
	if errors.As(err, &ge) && ge.Err == nil && ge.Rule != "" {
		return apperr.BadUserInput, gerr.Message, "", nil
	}
	if errors.Is(err, context.Canceled) {
		// The client went away (or the server is stopping): nobody reads
		// this answer, and nothing is wrong with the server.
		request.Logger(ctx).InfoContext(ctx, "request cancelled", "err", err, "path", gerr.Path.String())
		return apperr.Internal, "request cancelled", "", map[string]any{"requestId": request.ID(ctx)}
	}
	request.Logger(ctx).ErrorContext(ctx, "internal error", "err", err, "path", gerr.Path.String())
	return apperr.Internal, "internal error", "", map[string]any{"requestId": request.ID(ctx)}
}

// Recover turns a resolver panic into an internal error instead of a crash.
func Recover(ctx context.Context, p any) error {
	request.Logger(ctx).ErrorContext(ctx, "panic in resolver", "panic", p)
	return errors.New("panic in resolver")
}
