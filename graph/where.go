package graph

import (
	"context"
	"reflect"

	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// ScopeWhereInputs closes the one gap of ent's privacy layer that filters
// reach through: a `has...With` filter runs its inner predicates as a
// subquery, without the inner type's policy, so `members(where:
// {hasDepartmentsWith: {name: "Secret"}})` would tell who belongs to a
// department the viewer cannot see. Before any resolver runs, this walks every
// where-input argument and adds the visibility predicate of its type to each
// nested input, so a subquery only ever matches visible rows.
func ScopeWhereInputs(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	v := viewer.FromContext(ctx)
	if fc != nil && v != nil {
		for _, arg := range fc.Args {
			scopeWhere(v, reflect.ValueOf(arg))
		}
	}
	return next(ctx)
}

// scopeWhere adds visibility predicates to every where-input reachable from val.
func scopeWhere(v *viewer.Viewer, val reflect.Value) {
	switch val.Kind() {
	case reflect.Pointer:
		if val.IsNil() {
			return
		}
		addVisibility(v, val.Interface())
		scopeWhere(v, val.Elem())
	case reflect.Slice:
		for i := 0; i < val.Len(); i++ {
			scopeWhere(v, val.Index(i))
		}
	case reflect.Struct:
		for i := 0; i < val.NumField(); i++ {
			if f := val.Field(i); val.Type().Field(i).IsExported() && (f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice) {
				scopeWhere(v, f)
			}
		}
	}
}

// addVisibility appends the visibility rule of w's type, when it has one.
// The tenant wall holds by construction, since edges never cross enterprises.
func addVisibility(v *viewer.Viewer, w any) {
	switch w := w.(type) {
	case *ent.DepartmentWhereInput:
		if p := policy.VisibleDepartments(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.MemberWhereInput:
		if p := policy.VisibleMembers(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.MembershipWhereInput:
		if p := policy.VisibleMemberships(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.TagWhereInput:
		if p := policy.VisibleTags(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.AppWhereInput:
		if p := policy.VisibleApps(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.MessageWhereInput:
		if p := policy.VisibleMessages(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.InboxEntryWhereInput:
		w.AddPredicates(policy.OwnInbox(v))
	case *ent.ConversationWhereInput:
		if p := policy.OwnConversations(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.ConfidentialViewWhereInput:
		if p := policy.VisibleConfidentialViews(v); p != nil {
			w.AddPredicates(p)
		}
	case *ent.AdminRoleWhereInput:
		if p := policy.VisibleAdminRoles(v); p != nil {
			w.AddPredicates(p)
		}
	}
}
