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
// admin may grant only scoped roles, to members of their own subtrees, over
// departments there, with rights they hold themselves, and never to
// themselves (the AdminRole policy enforces it). The last super admin cannot
// be demoted.
func (s *Service) GrantAdmin(ctx context.Context, g Grant) (*ent.AdminRole, error) {
	v := viewer.FromContext(ctx)
	db := s.db(ctx)
	if err := policy.RequireRight(v, viewer.RightManageMembers); err != nil {
		return nil, err
	}
	if g.MemberID == v.MemberID && !v.IsSuperAdmin() {
		return nil, apperr.E(apperr.Forbidden, "admins cannot change their own role")
	}
	if err := s.requireMembers(ctx, "memberId", []string{g.MemberID}); err != nil {
		return nil, err
	}
	kind := adminrole.KindSUPER
	if g.Super {
		g.DepartmentIDs, g.Rights = nil, nil
	} else {
		kind = adminrole.KindSCOPED
		g.DepartmentIDs = dedupe(g.DepartmentIDs)
		if err := checkScopedGrant(ctx, db, g); err != nil {
			return nil, err
		}
	}
	if err := s.dropRole(ctx, g.MemberID, g.Super); err != nil {
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

// checkScopedGrant validates the shape of a scoped grant; what the granter
// may give is the policy's question.
func checkScopedGrant(ctx context.Context, db *ent.Client, g Grant) error {
	if len(g.DepartmentIDs) == 0 {
		return apperr.Input("departmentIds", "a scoped admin manages at least one department")
	}
	if len(g.Rights) == 0 {
		return apperr.Input("rights", "a scoped admin holds at least one right")
	}
	n, err := db.Department.Query().Where(department.IDIn(g.DepartmentIDs...)).Count(ctx)
	if err != nil {
		return fmt.Errorf("grant admin: %w", err)
	}
	if n != len(g.DepartmentIDs) {
		return apperr.Input("departmentIds", "unknown department")
	}
	return nil
}

// RevokeAdmin takes a member's admin role away. The last super admin of an
// enterprise stays: without one nobody could administer it.
func (s *Service) RevokeAdmin(ctx context.Context, memberID string) error {
	v := viewer.FromContext(ctx)
	if err := policy.RequireRight(v, viewer.RightManageMembers); err != nil {
		return err
	}
	if memberID == v.MemberID && !v.IsSuperAdmin() {
		return apperr.E(apperr.Forbidden, "admins cannot change their own role")
	}
	if _, err := s.db(ctx).AdminRole.Query().Where(adminrole.MemberID(memberID)).Only(ctx); err != nil {
		return notFound(err, "memberId", "admin role")
	}
	return s.dropRole(ctx, memberID, false)
}

// dropRole removes the member's role, if any, before a grant (keepSuper:
// the new role is SUPER too) or as a revocation. It refuses to remove the
// last super admin (CONFLICT) and a role the viewer does not manage
// (FORBIDDEN: the policy narrows the delete to roles they manage).
func (s *Service) dropRole(ctx context.Context, memberID string, keepSuper bool) error {
	db := s.db(ctx)
	// A tenant-wide read: the member has at most one role, seen by the
	// viewer or not, and a grant must replace it.
	tenant := policy.TenantRead(ctx)
	cur, err := db.AdminRole.Query().Where(adminrole.MemberID(memberID)).Only(tenant)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("drop admin role: %w", err)
	}
	if v := viewer.FromContext(ctx); cur.Kind == adminrole.KindSUPER && !v.IsSuperAdmin() && v.Kind != viewer.KindOperator {
		return apperr.E(apperr.Forbidden, "only a super admin can change a super admin's role")
	}
	if cur.Kind == adminrole.KindSUPER && !keepSuper {
		// Touching the enterprise row holds its lock until commit: two super
		// admins revoking each other at once are serialized, and the second
		// counts after the first has committed. (SQLite serializes writers
		// anyway.) Only a super admin gets here, and may write the enterprise.
		e, err := db.Enterprise.Get(ctx, cur.EnterpriseID)
		if err != nil {
			return fmt.Errorf("drop admin role: %w", err)
		}
		if err := db.Enterprise.UpdateOne(e).SetName(e.Name).Exec(ctx); err != nil {
			return fmt.Errorf("drop admin role: %w", err)
		}
		// Every super admin counts, seen or not.
		n, err := db.AdminRole.Query().
			Where(adminrole.KindEQ(adminrole.KindSUPER)).
			Count(tenant)
		if err != nil {
			return fmt.Errorf("drop admin role: %w", err)
		}
		if n <= 1 {
			return apperr.E(apperr.Conflict, "the last super admin cannot be revoked or demoted")
		}
	}
	n, err := db.AdminRole.Delete().Where(adminrole.ID(cur.ID)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("drop admin role: %w", err)
	}
	if n == 0 {
		return apperr.E(apperr.Forbidden, "that member's admin role reaches beyond what you manage")
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
