package policy

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// A scoped admin manages the admin roles they could have granted: scoped
// roles of other members of their subtrees, over departments inside their
// subtrees, with rights they hold. They never touch their own role, a super
// admin's, or one that reaches beyond them.

// ManagedAdminRoles is the predicate of the roles a scoped admin manages (the
// rights are checked apart, see FilterAdminRoleScope). It is nil for viewers
// not limited by department.
func ManagedAdminRoles(v *viewer.Viewer) predicate.AdminRole {
	roots, limited := scopeOf(v)
	if !limited {
		return nil
	}
	return adminrole.And(
		adminrole.KindEQ(adminrole.KindSCOPED),
		adminrole.MemberIDNEQ(v.MemberID),
		adminrole.HasMemberWith(member.HasMembershipsWith(membership.HasDepartmentWith(inScope(roots)))),
		adminrole.Not(adminrole.HasDepartmentsWith(department.Not(inScope(roots)))),
	)
}

// VisibleAdminRoles is the predicate of the admin roles v may see: all for
// super admins and operators (nil); their own and those they manage for
// scoped admins; their own (none) for everyone else.
func VisibleAdminRoles(v *viewer.Viewer) predicate.AdminRole {
	if v.Kind == viewer.KindOperator || v.IsSuperAdmin() {
		return nil
	}
	own := adminrole.MemberID(v.MemberID)
	if v.Admin.Can(viewer.RightManageMembers) {
		return adminrole.Or(own, ManagedAdminRoles(v))
	}
	return own
}

// FilterAdminRoles applies VisibleAdminRoles to every admin role query.
func FilterAdminRoles() privacy.QueryRule {
	return privacy.AdminRoleQueryRuleFunc(func(ctx context.Context, q *ent.AdminRoleQuery) error {
		if p := VisibleAdminRoles(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterAdminRoleScope keeps a scoped admin's grants and revocations within
// what they hold: no SUPER, nobody outside their subtrees, no department
// outside them, no right they lack, never their own role.
func FilterAdminRoleScope() privacy.MutationRule {
	return privacy.AdminRoleMutationRuleFunc(func(ctx context.Context, m *ent.AdminRoleMutation) error {
		v := viewer.FromContext(ctx)
		roots, limited := scopeOf(v)
		if !limited {
			return privacy.Skip
		}
		if !m.Op().Is(ent.OpCreate) {
			m.Where(ManagedAdminRoles(v))
			// The rights of the roles touched must be the admin's too.
			ids, err := m.IDs(ctx)
			if err != nil {
				return privacy.Denyf("admin role scope: %v", err)
			}
			roles, err := m.Client().AdminRole.Query().Where(adminrole.IDIn(ids...)).All(ctx)
			if err != nil {
				return privacy.Denyf("admin role scope: %v", err)
			}
			for _, r := range roles {
				if err := requireRights(v, r.Rights); err != nil {
					return privacy.Denyf("%w", err)
				}
			}
			return privacy.Skip
		}
		if k, _ := m.Kind(); k != adminrole.KindSCOPED {
			return deny("only a super admin can make super admins")
		}
		memberID, _ := m.MemberID()
		if memberID == v.MemberID {
			return deny("admins cannot change their own role")
		}
		rights, _ := m.Rights()
		if err := requireRights(v, rights); err != nil {
			return privacy.Denyf("%w", err)
		}
		inside, err := m.Client().Member.Query().Where(member.ID(memberID), MembersInScope(v)).Exist(ctx)
		if err != nil {
			return privacy.Denyf("admin role scope: %v", err)
		}
		if !inside {
			return deny("that member is outside the subtrees you manage")
		}
		deps := dedupe(m.DepartmentsIDs())
		n, err := m.Client().Department.Query().Where(department.IDIn(deps...), inScope(roots)).Count(ctx)
		if err != nil {
			return privacy.Denyf("admin role scope: %v", err)
		}
		if n != len(deps) {
			return deny("a scoped admin can only be given departments inside the subtrees you manage")
		}
		return privacy.Skip
	})
}

func requireRights(v *viewer.Viewer, rights []viewer.Right) error {
	for _, r := range rights {
		if !v.Admin.Can(r) {
			return apperr.E(apperr.Forbidden, "you cannot grant or revoke %s: you do not hold it", r)
		}
	}
	return nil
}

// deny refuses with FORBIDDEN and a message that says why.
func deny(format string, args ...any) error {
	return privacy.Denyf("%w", apperr.E(apperr.Forbidden, format, args...))
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
