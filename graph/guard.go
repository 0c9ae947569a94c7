package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/request"
	"github.com/corpline/corpline/internal/viewer"
)

// publicFields are the root fields that answer without a viewer. Everything
// else needs a valid token; introspection stays open for integrators.
var publicFields = map[string]bool{
	"login":         true,
	"operatorLogin": true,
	"activate":      true,
	"__schema":      true,
	"__type":        true,
	"__typename":    true,
	"appToken":      true,
}

// RequireViewer answers UNAUTHENTICATED for every root field but the public
// ones when the request has no valid token.
func RequireViewer(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if viewer.FromContext(ctx) != nil || fc == nil || publicFields[fc.Field.Name] {
		return next(ctx)
	}
	err := request.AuthError(ctx)
	if err == nil {
		err = apperr.ErrUnauthenticated
	}
	graphql.AddError(ctx, err)
	return graphql.Null
}
