package policy

import (
	"context"

	"entgo.io/ent/entql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// denyForbidden is the decision of every admin rule that says no.
func denyForbidden() error { return privacy.Denyf("%w", apperr.ErrForbidden) }

// AllowIfAdminWith allows a mutation by an admin holding right. Scope is
// narrowed by the Filter...Scope rules that run before it. (Operators pass
// RequireRight but never get here: the tenant policy refuses them first.)
func AllowIfAdminWith(r viewer.Right) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if err := RequireRight(viewer.FromContext(ctx), r); err != nil {
			return privacy.Denyf("%w", err)
		}
		return privacy.Allow
	})
}

// AllowIfSuperAdmin allows a mutation by an operator or a super admin. Only
// the Enterprise type uses it without the tenant policy in front, which is how
// operators change enterprises (package operator).
func AllowIfSuperAdmin() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if v.Kind == viewer.KindOperator || v.IsSuperAdmin() {
			return privacy.Allow
		}
		return denyForbidden()
	})
}

// scopeOf returns the subtree roots a scoped admin manages, and false for
// viewers whose writes are not limited by department (operators, super admins).
func scopeOf(v *viewer.Viewer) ([]string, bool) {
	if v.Kind == viewer.KindOperator || v.IsSuperAdmin() {
		return nil, false
	}
	if v.Admin == nil {
		return []string{}, true
	}
	return v.Admin.ScopePaths, true
}

func inScope(roots []string) predicate.Department {
	ps := make([]predicate.Department, 0, len(roots))
	for _, r := range roots {
		ps = append(ps, department.PathHasPrefix(r))
	}
	if len(ps) == 0 {
		return department.IDIn()
	}
	return department.Or(ps...)
}

// FilterDepartmentScope keeps a scoped admin's department writes inside their
// subtrees: a new or moved department's path must lie under a scope root, and
// updates and deletes only touch departments there.
func FilterDepartmentScope() privacy.MutationRule {
	return privacy.DepartmentMutationRuleFunc(func(ctx context.Context, m *ent.DepartmentMutation) error {
		roots, limited := scopeOf(viewer.FromContext(ctx))
		if !limited {
			return privacy.Skip
		}
		if p, ok := m.Path(); ok && !viewer.UnderAny(p, roots) {
			return denyForbidden()
		}
		if !m.Op().Is(ent.OpCreate) {
			m.Where(inScope(roots))
		}
		return privacy.Skip
	})
}

// MembersInScope is the predicate of the members a scoped admin manages, or
// nil for viewers whose writes are not limited by department.
func MembersInScope(v *viewer.Viewer) predicate.Member {
	roots, limited := scopeOf(v)
	if !limited {
		return nil
	}
	return member.HasMembershipsWith(membership.HasDepartmentWith(inScope(roots)))
}

// FilterMemberScope keeps a scoped admin's member writes to members who
// belong to at least one department of their subtrees.
func FilterMemberScope() privacy.MutationRule {
	return privacy.MemberMutationRuleFunc(func(ctx context.Context, m *ent.MemberMutation) error {
		if p := MembersInScope(viewer.FromContext(ctx)); p != nil && !m.Op().Is(ent.OpCreate) {
			m.Where(p)
		}
		return privacy.Skip
	})
}

// FilterMembershipScope keeps a scoped admin's placements inside their
// subtrees: a new membership's department must be in scope.
func FilterMembershipScope() privacy.MutationRule {
	return privacy.MembershipMutationRuleFunc(func(ctx context.Context, m *ent.MembershipMutation) error {
		roots, limited := scopeOf(viewer.FromContext(ctx))
		if !limited {
			return privacy.Skip
		}
		if !m.Op().Is(ent.OpCreate) {
			m.Where(membership.HasDepartmentWith(inScope(roots)))
			return privacy.Skip
		}
		depID, ok := m.DepartmentID()
		if !ok {
			return denyForbidden()
		}
		// A tenant-wide read: the question is only where the department
		// is, and the answer decides nothing the viewer sees.
		ok, err := m.Client().Department.Query().
			Where(department.ID(depID), inScope(roots)).
			Exist(TenantRead(ctx))
		if err != nil {
			return privacy.Denyf("membership scope: %v", err)
		}
		if !ok {
			return denyForbidden()
		}
		return privacy.Skip
	})
}

// FilterOwnSessions lets a member see and revoke only their own sessions.
func FilterOwnSessions() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		sf, ok := f.(*ent.SessionFilter)
		if !ok {
			return denyForbidden()
		}
		sf.WhereMemberID(entql.StringEQ(v.MemberID))
		return privacy.Skip
	})
}

// FilterOwnEnterprise lets every viewer but an operator see and change only
// their own enterprise.
func FilterOwnEnterprise() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if v.Kind == viewer.KindOperator {
			return privacy.Skip
		}
		ef, ok := f.(*ent.EnterpriseFilter)
		if !ok {
			return denyForbidden()
		}
		ef.WhereID(entql.StringEQ(v.EnterpriseID))
		return privacy.Skip
	})
}
