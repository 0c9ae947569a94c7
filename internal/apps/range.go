package apps

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// Limits of a visible range: the same as the targets of one message.
const (
	MaxRangeDepartments = 100
	MaxRangeTags        = 100
	MaxRangeMembers     = 1000
)

// checkRange normalizes a visible range and refuses one that is empty, too
// long, names something the admin cannot see, or reaches outside a scoped
// admin's scope.
func (s *Service) checkRange(ctx context.Context, a audience.Audience) (audience.Audience, error) {
	a = a.Normalize()
	switch {
	case a.IsEmpty():
		return a, apperr.Input("visibleRange", "a visible range is everyone, or at least one department, tag or member")
	case len(a.DepartmentIDs) > MaxRangeDepartments:
		return a, apperr.Input("visibleRange.departmentIds", "at most %d departments", MaxRangeDepartments)
	case len(a.TagIDs) > MaxRangeTags:
		return a, apperr.Input("visibleRange.tagIds", "at most %d tags", MaxRangeTags)
	case len(a.MemberIDs) > MaxRangeMembers:
		return a, apperr.Input("visibleRange.memberIds", "at most %d members", MaxRangeMembers)
	}
	db := s.db(ctx)
	for _, c := range []struct {
		field string
		ids   []string
		count func(context.Context) (int, error)
	}{
		{"visibleRange.departmentIds", a.DepartmentIDs, db.Department.Query().Where(department.IDIn(a.DepartmentIDs...)).Count},
		{"visibleRange.tagIds", a.TagIDs, db.Tag.Query().Where(tag.IDIn(a.TagIDs...)).Count},
		{"visibleRange.memberIds", a.MemberIDs, db.Member.Query().Where(member.IDIn(a.MemberIDs...)).Count},
	} {
		if len(c.ids) == 0 {
			continue
		}
		n, err := c.count(ctx)
		if err != nil {
			return a, fmt.Errorf("check visible range: %w", err)
		}
		if n != len(c.ids) {
			return a, apperr.Input(c.field, "unknown id in the visible range")
		}
	}
	if err := s.insideScope(ctx, a); err != nil {
		return a, err
	}
	return a, nil
}

// insideScope refuses a range that reaches outside a scoped admin's
// subtrees. A tag is refused outright: its members are not bounded by
// departments, and may be moved out of scope at any time.
func (s *Service) insideScope(ctx context.Context, a audience.Audience) error {
	v := viewer.FromContext(ctx)
	if v.Kind == viewer.KindOperator || v.IsSuperAdmin() {
		return nil
	}
	outside := apperr.E(apperr.Forbidden, "a scoped admin can only give an app a range of departments and members inside their scope")
	if a.Everyone || len(a.TagIDs) > 0 {
		return outside
	}
	db := s.db(ctx)
	if len(a.DepartmentIDs) > 0 {
		// A tenant-wide read: where a department sits decides nothing the
		// admin sees, and an unseen one is refused below anyway.
		paths, err := db.Department.Query().Where(department.IDIn(a.DepartmentIDs...)).
			Select(department.FieldPath).Strings(policy.TenantRead(ctx))
		if err != nil {
			return fmt.Errorf("check scope: %w", err)
		}
		if len(paths) != len(a.DepartmentIDs) {
			return outside
		}
		for _, p := range paths {
			if !v.Admin.InScope(p) {
				return outside
			}
		}
	}
	if len(a.MemberIDs) > 0 {
		n, err := db.Member.Query().Where(member.IDIn(a.MemberIDs...), policy.MembersInScope(v)).Count(ctx)
		if err != nil {
			return fmt.Errorf("check scope: %w", err)
		}
		if n != len(a.MemberIDs) {
			return outside
		}
	}
	return nil
}
