package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// ScopeToViewer implements the @scopeToViewer directive (schema/visibility.graphql):
// each where-input it marks gets the visibility rules of its type
// (policy.ScopeWhereInput). gqlgen runs the directive each time it reads a
// where-input, wherever the input sits: a root field's argument, an input
// nested in has...With, and the arguments of edges that entgql eager-loads
// (it reads those itself while collecting fields, before any resolver of
// the edge runs).
func ScopeToViewer(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	in, err := next(ctx)
	if err != nil {
		return in, err
	}
	v := viewer.FromContext(ctx)
	if v == nil {
		// Without a viewer ent's policies refuse every query anyway.
		return in, nil
	}
	return policy.ScopeWhereInput(v, in)
}
