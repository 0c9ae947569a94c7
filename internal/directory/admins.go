package directory

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Grant is what grantAdmin takes.
type Grant struct {
	MemberID      string
	Super         bool
	DepartmentIDs []string
	Rights        []viewer.Right
}

// GrantAdmin makes a member an admin, replacing any role they had. A scoped
// admin may grant only scoped roles, inside their own subtrees, with rights
// they hold themselves, and never to themselves.
func (s *Service) GrantAdmin(ctx context.Context, g Grant) (*ent.AdminRole, error) {
	v := viewer.FromContext(ctx)
	db := s.db(ctx)
	if g.MemberID == v.MemberID && !v.IsSuperAdmin() {
		return nil, apperr.E(apperr.Forbidden, "admins cannot change their own role")
	}
	if err := s.requireMembers(ctx, "memberId", []string{g.MemberID}); err != nil {
		return nil, err
	}
	kind := adminrole.KindSUPER
	if !g.Super {
		kind = adminrole.KindSCOPED
		if err := checkScopedGrant(ctx, db, v, g); err != nil {
			return nil, err
		}
	} else {
		g.DepartmentIDs, g.Rights = nil, nil
	}
	if err := s.dropRole(ctx, g.MemberID); err != nil {
		return nil, err
	}
	r, err := db.AdminRole.Create().
		SetMemberID(g.MemberID).
		SetKind(kind).
		SetRights(dedupeRights(g.Rights)).
		AddDepartmentIDs(g.DepartmentIDs...).
		SetGrantedBy(v.MemberID).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("grant admin: %w", err)
	}
	return r, nil
}

func checkScopedGrant(ctx context.Context, db *ent.Client, v *viewer.Viewer, g Grant) error {
	if len(g.DepartmentIDs) == 0 {
		return apperr.Input("departmentIds", "a scoped admin manages at least one department")
	}
	if len(g.Rights) == 0 {
		return apperr.Input("rights", "a scoped admin holds at least one right")
	}
	for _, r := range g.Rights {
		if !v.Admin.Can(r) {
			return apperr.E(apperr.Forbidden, "you cannot grant %s: you do not hold it", r)
		}
	}
	ds, err := db.Department.Query().Where(department.IDIn(g.DepartmentIDs...)).All(ctx)
	if err != nil {
		return fmt.Errorf("grant admin: %w", err)
	}
	if len(ds) != len(dedupe(g.DepartmentIDs)) {
		return apperr.Input("departmentIds", "unknown department")
	}
	for _, d := range ds {
		if !v.Admin.InScope(d.Path) {
			return apperr.E(apperr.Forbidden, "department %s is outside your scope", d.ID)
		}
	}
	return nil
}

// RevokeAdmin takes a member's admin role away. The last super admin of an
// enterprise stays: without one nobody could administer it.
func (s *Service) RevokeAdmin(ctx context.Context, memberID string) error {
	v := viewer.FromContext(ctx)
	r, err := s.db(ctx).AdminRole.Query().Where(adminrole.MemberID(memberID)).WithDepartments().Only(ctx)
	if err != nil {
		return notFound(err, "memberId", "admin role")
	}
	if !v.IsSuperAdmin() && v.Kind != viewer.KindOperator {
		for _, d := range r.Edges.Departments {
			if !v.Admin.InScope(d.Path) {
				return apperr.E(apperr.Forbidden, "that role reaches outside your scope")
			}
		}
	}
	if r.Kind == adminrole.KindSUPER {
		// Counted as the system: every super admin counts, seen or not.
		n, err := s.db(ctx).AdminRole.Query().
			Where(adminrole.KindEQ(adminrole.KindSUPER), adminrole.EnterpriseID(r.EnterpriseID)).
			Count(policy.SystemContext(ctx))
		if err != nil {
			return fmt.Errorf("revoke admin: %w", err)
		}
		if n <= 1 {
			return apperr.E(apperr.Conflict, "the last super admin cannot be revoked")
		}
	}
	return s.dropRole(ctx, memberID)
}

func (s *Service) dropRole(ctx context.Context, memberID string) error {
	if _, err := s.db(ctx).AdminRole.Delete().Where(adminrole.MemberID(memberID)).Exec(ctx); err != nil {
		return fmt.Errorf("drop admin role: %w", err)
	}
	return nil
}

func dedupeRights(rs []viewer.Right) []viewer.Right {
	out := []viewer.Right{}
	seen := map[viewer.Right]bool{}
	for _, r := range rs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// UpdateSettings changes the viewer's enterprise settings.
func (s *Service) UpdateSettings(ctx context.Context, name *string, visibility *enterprise.DirectoryVisibility) (*ent.Enterprise, error) {
	u := s.db(ctx).Enterprise.UpdateOneID(enterpriseOf(ctx))
	if name != nil {
		if err := CheckName("name", *name, 200); err != nil {
			return nil, err
		}
		u.SetName(*name)
	}
	if visibility != nil {
		u.SetDirectoryVisibility(*visibility)
	}
	e, err := u.Save(ctx)
	if err != nil {
		return nil, notFound(err, "", "enterprise")
	}
	return e, nil
}
