package policy

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/viewer"
)

// readRoots are the department subtrees v reads when the whole directory is
// not open to them: their own departments, and the subtrees they administer.
func readRoots(v *viewer.Viewer) []string {
	roots := append([]string(nil), v.DeptPaths...)
	if v.Admin != nil {
		roots = append(roots, v.Admin.ScopePaths...)
	}
	return roots
}

// VisibleDepartments is the predicate of the departments v may see: the
// subtrees of readRoots and the chain of their ancestors; for an app, the
// department subtrees of its visible range. It is nil when v sees the whole
// directory.
func VisibleDepartments(v *viewer.Viewer) predicate.Department {
	if v.SeesWholeDirectory() {
		return nil
	}
	if v.Kind == viewer.KindApp {
		return appRange(v, AudienceDepartments, department.IDIn)
	}
	roots := readRoots(v)
	ps := make([]predicate.Department, 0, len(roots)+1)
	for _, r := range roots {
		ps = append(ps, department.PathHasPrefix(r))
	}
	if anc := viewer.Ancestors(roots); len(anc) > 0 {
		ps = append(ps, department.IDIn(anc...))
	}
	if len(ps) == 0 {
		return department.IDIn() // no department at all
	}
	return department.Or(ps...)
}

// appRange applies an audience predicate to an app's visible range; an app
// without a range sees nothing.
func appRange[P any](v *viewer.Viewer, of func(audience.Audience) P, none func(...string) P) P {
	if v.Range == nil {
		return none()
	}
	return of(*v.Range)
}

// VisibleMembers is the predicate of the members v may see: themselves, the
// members of the subtrees of readRoots, and the leaders of the ancestor
// departments; for an app, the members of its visible range. It is nil when
// v sees the whole directory.
func VisibleMembers(v *viewer.Viewer) predicate.Member {
	if v.SeesWholeDirectory() {
		return nil
	}
	if v.Kind == viewer.KindApp {
		return appRange(v, AudienceMembers, member.IDIn)
	}
	roots := readRoots(v)
	ps := []predicate.Member{member.ID(v.MemberID)}
	if len(roots) > 0 {
		sub := make([]predicate.Department, 0, len(roots))
		for _, r := range roots {
			sub = append(sub, department.PathHasPrefix(r))
		}
		ps = append(ps, member.HasMembershipsWith(membership.HasDepartmentWith(department.Or(sub...))))
	}
	if anc := viewer.Ancestors(roots); len(anc) > 0 {
		ps = append(ps, member.HasMembershipsWith(membership.IsLeader(true), membership.DepartmentIDIn(anc...)))
	}
	return member.Or(ps...)
}

// VisibleMemberships is the predicate of the memberships v may see: both
// ends visible. It is nil when v sees the whole directory.
func VisibleMemberships(v *viewer.Viewer) predicate.Membership {
	d := VisibleDepartments(v)
	if d == nil {
		return nil
	}
	return membership.And(membership.HasDepartmentWith(d), membership.HasMemberWith(VisibleMembers(v)))
}

// FilterVisibleDepartments applies VisibleDepartments to every department query.
func FilterVisibleDepartments() privacy.QueryRule {
	return privacy.DepartmentQueryRuleFunc(func(ctx context.Context, q *ent.DepartmentQuery) error {
		if p := VisibleDepartments(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterVisibleMembers applies VisibleMembers to every member query.
func FilterVisibleMembers() privacy.QueryRule {
	return privacy.MemberQueryRuleFunc(func(ctx context.Context, q *ent.MemberQuery) error {
		if p := VisibleMembers(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterVisibleMemberships shows a membership only when both its member and
// its department are visible: otherwise the row alone would reveal them.
func FilterVisibleMemberships() privacy.QueryRule {
	return privacy.MembershipQueryRuleFunc(func(ctx context.Context, q *ent.MembershipQuery) error {
		if p := VisibleMemberships(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}
