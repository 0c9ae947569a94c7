// Package policy holds every access rule of corpline, by name, for the ent
// privacy layer. ent applies them to every query (root lists, node(id),
// edges, counts) and every mutation, so neither resolvers nor domain
// packages filter by enterprise or audience by hand.
//
// Every enterprise-owned type declares three things, and a new one (an
// office app's request, say) copies this shape:
//
//  1. Its tenant wall: embed schema.TenantMixin. That adds the immutable
//     enterprise_id and the Tenant policy: no viewer, no access; reads,
//     updates and deletes narrowed to the viewer's enterprise; new rows
//     stamped with it; operators kept out.
//  2. Its visibility rule: a Visible<Type>(v) predicate (nil when v sees
//     every row of the enterprise) and a Filter<Type> query rule applying
//     it, in the type's Policy().Query. Add the where-input case to
//     ScopeWhereInput and rows to the visibility table tests.
//  3. Its write rule: a named mutation rule per kind of writer in the
//     type's Policy().Mutation ("AllowMessageWrites": who may create, which
//     rows they may update or delete), ending in privacy.Allow for what it
//     permits. A type without one is denied by the rule list's end.
//
// Besides the viewer's own decision there are two narrow ones:
//
//   - TenantRead: the enterprise wall kept, per-viewer visibility skipped,
//     for questions whose answer must not depend on what the viewer sees
//     (is this userid taken, is this target out of range, how many read
//     this message). Its results must not be shown to the viewer as rows.
//   - SystemContext: no rule at all, for work where no viewer exists or the
//     platform acts on its own (sign-in and token lookup, provisioning,
//     background jobs, audit, quota, the operator API). A test
//     (systemcontext_test.go) lists the places allowed to use it.
package policy

import (
	"context"

	"entgo.io/ent/entql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// SystemContext lets the server read and write without a viewer. Only the
// places listed in systemcontext_test.go may call it; each says why.
func SystemContext(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

type tenantReadKey struct{}

// TenantRead marks reads made with the returned context as tenant-wide:
// the viewer is still required and the enterprise wall still filters, but
// the types' per-viewer visibility rules are skipped. It is for questions
// the viewer may ask without seeing the rows that answer them: uniqueness
// checks, sorting a send's targets into unknown and out of range, counting
// read receipts. Writes made with it obey the usual write rules.
func TenantRead(ctx context.Context) context.Context {
	return context.WithValue(ctx, tenantReadKey{}, true)
}

// AllowIfTenantRead ends a tenant-owned type's query policy after the
// enterprise wall when the read is tenant-wide (see TenantRead): the
// type's visibility rules, which come after, do not run.
func AllowIfTenantRead() privacy.QueryRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if on, _ := ctx.Value(tenantReadKey{}).(bool); on {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// Tenant is the policy of every enterprise-owned type: a viewer is required,
// and only rows of the viewer's enterprise exist for them. It allows only a
// tenant-wide read (TenantRead); otherwise the type's own policy runs next.
func Tenant() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{DenyIfNoViewer(), FilterEnterprise(), AllowIfTenantRead()},
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
