package policy

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// The Require... checks below say no before a write is attempted, with the
// code a client can act on. The ent policies enforce the same rules again
// when the write happens; these only order the answers:
//
//  1. a viewer without the right at all gets FORBIDDEN, whatever the target
//     (so the answer says nothing about whether it exists);
//  2. a target the viewer may not see gets NOT_FOUND (the read policies);
//  3. a target the viewer sees but does not manage gets FORBIDDEN;
//  4. only then come validation and conflicts (an empty department, a taken
//     userid), so those never tell anything to someone who may not write.

// RequireRight fails with FORBIDDEN unless v may use right r somewhere: an
// operator, a super admin, or a scoped admin granted r.
func RequireRight(v *viewer.Viewer, r viewer.Right) error {
	if v != nil && (v.Kind == viewer.KindOperator || (v.Kind == viewer.KindMember && v.Admin.Can(r))) {
		return nil
	}
	return apperr.E(apperr.Forbidden, "this needs the %s right", r)
}

// RequireDepartmentScope fails with FORBIDDEN unless v manages departments
// at path (in one of their subtrees, for a scoped admin).
func RequireDepartmentScope(v *viewer.Viewer, path string) error {
	if err := RequireRight(v, viewer.RightManageDepartments); err != nil {
		return err
	}
	if roots, limited := scopeOf(v); limited && !viewer.UnderAny(path, roots) {
		return apperr.E(apperr.Forbidden, "that department is outside the subtrees you manage")
	}
	return nil
}

// RequireMemberScope fails with FORBIDDEN unless v manages the (visible)
// member id: a scoped admin manages members with a department in their subtrees.
func RequireMemberScope(ctx context.Context, c *ent.Client, id string) error {
	v := viewer.FromContext(ctx)
	if err := RequireRight(v, viewer.RightManageMembers); err != nil {
		return err
	}
	p := MembersInScope(v)
	if p == nil {
		return nil
	}
	ok, err := c.Member.Query().Where(member.ID(id), p).Exist(ctx)
	if err != nil {
		return fmt.Errorf("member scope: %w", err)
	}
	if !ok {
		return apperr.E(apperr.Forbidden, "that member is outside the subtrees you manage")
	}
	return nil
}

// tagsInScope is the predicate of the tags a scoped admin may rename or
// delete: those whose members are all theirs (a tag spanning other subtrees
// belongs to more than them). It is nil for viewers not limited by department.
func tagsInScope(v *viewer.Viewer) predicate.Tag {
	p := MembersInScope(v)
	if p == nil {
		return nil
	}
	return tag.Not(tag.HasMembersWith(member.Not(p)))
}

// RequireTagScope fails with FORBIDDEN unless v may rename or delete the
// (visible) tag id.
func RequireTagScope(ctx context.Context, c *ent.Client, id string) error {
	v := viewer.FromContext(ctx)
	if err := RequireRight(v, viewer.RightManageMembers); err != nil {
		return err
	}
	p := tagsInScope(v)
	if p == nil {
		return nil
	}
	ok, err := c.Tag.Query().Where(tag.ID(id), p).Exist(ctx)
	if err != nil {
		return fmt.Errorf("tag scope: %w", err)
	}
	if !ok {
		return apperr.E(apperr.Forbidden, "that tag has members outside the subtrees you manage")
	}
	return nil
}
