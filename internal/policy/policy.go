// Package policy holds every access rule of corpline, by name, for the ent
// privacy layer: tenancy, per-department visibility and admin scope.
//
// Rules are applied by ent to every query (root lists, node(id), edges, counts)
// and every mutation, so resolvers never filter by hand. The one bypass is
// SystemContext, for the few places where the server acts on its own behalf
// (login, token lookup, bootstrap, seeding); grep for it.
package policy

import (
	"context"

	"entgo.io/ent/entql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// SystemContext lets the server read and write without a viewer. Each caller
// says why in a comment.
func SystemContext(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// Tenant is the policy of every enterprise-owned type: a viewer is required,
// and only rows of the viewer's enterprise exist for them. It never allows,
// so the type's own policy still runs.
func Tenant() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{DenyIfNoViewer(), FilterEnterprise()},
		Mutation: privacy.MutationPolicy{DenyIfNoViewer(), StampEnterprise(), FilterEnterprise()},
	}
}

// DenyIfNoViewer refuses any access without an authenticated viewer.
func DenyIfNoViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return privacy.Denyf("%w", apperr.ErrUnauthenticated)
		}
		return privacy.Skip
	})
}

// enterpriseFilter is what entql filters of tenant-owned types share.
type enterpriseFilter interface {
	WhereEnterpriseID(entql.StringP)
}

// FilterEnterprise narrows queries, updates and deletes to the viewer's
// enterprise. Operators get no enterprise's data through their own viewer:
// they act on enterprises only through the operator API, which names the
// enterprise explicitly (package operator), so a stray `members` query of an
// operator can never list every enterprise's directory.
func FilterEnterprise() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if v.Kind == viewer.KindOperator {
			return denyOperator()
		}
		ef, ok := f.(enterpriseFilter)
		if !ok {
			return privacy.Denyf("policy: %T has no enterprise", f)
		}
		ef.WhereEnterpriseID(entql.StringEQ(v.EnterpriseID))
		return privacy.Skip
	})
}

// StampEnterprise sets a new row's enterprise to the viewer's, and refuses a
// row that names another enterprise.
func StampEnterprise() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Skip
		}
		v := viewer.FromContext(ctx)
		got, set := m.Field("enterprise_id")
		switch {
		case v.Kind == viewer.KindOperator:
			return denyOperator()
		case !set:
			if err := m.SetField("enterprise_id", v.EnterpriseID); err != nil {
				return privacy.Denyf("policy: %v", err)
			}
		case got != v.EnterpriseID:
			return privacy.Denyf("%w", apperr.ErrForbidden)
		}
		return privacy.Skip
	})
}

// denyOperator refuses an operator's access to enterprise data.
func denyOperator() error {
	return privacy.Denyf("%w", apperr.E(apperr.Forbidden, "operators act on enterprises only through the operator API"))
}

// SystemOnly refuses every viewer: rows of the type are read and written only
// by the server acting as the system (SystemContext), such as sessions of
// operators and the callback outbox.
func SystemOnly() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(context.Context) error {
		return denyForbidden()
	})
}
