package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// ScopeToViewer implements the @scopeToViewer directive (schema/visibility.graphql).
//
// It closes the gap of ent's privacy layer that filters reach through: a
// has...With filter runs its inner predicates as a subquery, without the
// inner type's policy, so `members(where: {hasDepartmentsWith: {name:
// "Secret"}})` would tell who belongs to a department the viewer cannot see.
// gqlgen runs the directive each time it reads a where-input, wherever the
// input sits: a root field's argument, an input nested in has...With, and,
// importantly, the arguments of edges that entgql eager-loads (it reads those
// itself while collecting fields, before any resolver of the edge runs). Each
// input gets the visibility predicate of its type, so every subquery only
// ever matches rows the viewer may see.
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
	switch w := in.(type) {
	case ent.DepartmentWhereInput:
		if p := policy.VisibleDepartments(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.MemberWhereInput:
		if p := policy.VisibleMembers(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.MembershipWhereInput:
		if p := policy.VisibleMemberships(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.AdminRoleWhereInput:
		if p := policy.VisibleAdminRoles(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	}
	// A where-input marked @scopeToViewer without a rule here would filter
	// nothing: refuse it loudly rather than leak.
	return nil, fmt.Errorf("@scopeToViewer: no visibility rule for %T", in)
}
