package policy

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/entql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/membership"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/viewer"
)

// LedDepartments is the predicate of the departments in the subtrees of
// the departments memberID leads: a leader of Sales leads Sales East too.
func LedDepartments(memberID string) predicate.Department {
	return func(s *sql.Selector) {
		b := sql.Dialect(s.Dialect())
		ld := b.Table(department.Table).As("led_dep")
		lm := b.Table(membership.Table).As("led_msp")
		sub := b.Select(ld.C(department.FieldID)).From(ld).
			Join(lm).On(lm.C(membership.FieldDepartmentID), ld.C(department.FieldID)).
			Where(sql.And(
				sql.EQ(lm.C(membership.FieldMemberID), memberID),
				sql.EQ(lm.C(membership.FieldIsLeader), true),
				sql.ExprP(fmt.Sprintf("substr(%s, 1, length(%s)) = %s",
					s.C(department.FieldPath), ld.C(department.FieldPath), ld.C(department.FieldPath))),
			))
		s.Where(sql.Exists(sub))
	}
}

// AttendanceSubjects is the predicate of the members whose leave and
// attendance v sees: themselves, the members of the departments they lead
// (with sub-departments), and, for an admin holding MANAGE_ATTENDANCE, the
// members in their scope. It is nil for a super admin (every member of the
// enterprise, which the tenant filter keeps). Apps see nobody's.
func AttendanceSubjects(v *viewer.Viewer) predicate.Member {
	if v == nil || v.Kind != viewer.KindMember {
		return member.IDIn()
	}
	if v.IsSuperAdmin() {
		return nil
	}
	ps := []predicate.Member{
		member.ID(v.MemberID),
		member.HasMembershipsWith(membership.HasDepartmentWith(LedDepartments(v.MemberID))),
	}
	if v.Admin.Can(viewer.RightManageAttendance) {
		ps = append(ps, MembersInScope(v))
	}
	return member.Or(ps...)
}

// attendanceFilter is what entql filters of member-owned attendance rows share.
type attendanceFilter interface {
	WhereMemberID(entql.StringP)
	WhereHasMemberWith(...predicate.Member)
}

// AttendanceOwned is the policy of every leave and attendance row that
// belongs to a member (AttendanceOwnerMixin): reads are cut to
// AttendanceSubjects; writes touch only rows of the viewer, of the member a
// domain step acts for (ActFor), or, for admins holding MANAGE_ATTENDANCE,
// of the members in their scope.
func AttendanceOwned() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{FilterAttendanceSubjects()},
		Mutation: privacy.MutationPolicy{AllowAttendanceWrites()},
	}
}

// FilterAttendanceSubjects applies AttendanceSubjects to every query of a
// member-owned attendance type.
func FilterAttendanceSubjects() privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		af, ok := f.(attendanceFilter)
		if !ok {
			return privacy.Denyf("policy: %T is not member-owned", f)
		}
		if p := AttendanceSubjects(viewer.FromContext(ctx)); p != nil {
			af.WhereHasMemberWith(p)
		}
		return privacy.Skip
	})
}

type actForKey struct{}

// ActFor returns ctx in which the viewer may write the attendance rows of
// memberID (AllowAttendanceWrites): an approver's decision spends the
// applicant's balance and makes up their punch, rows the approver could
// not otherwise touch. Only the leave and attendance packages call it, in
// the approval hooks of their own requests; grep for it.
func ActFor(ctx context.Context, memberID string) context.Context {
	return context.WithValue(ctx, actForKey{}, memberID)
}

// writers are the members whose rows v may write in ctx.
func writers(ctx context.Context, v *viewer.Viewer) []string {
	out := []string{v.MemberID}
	if id, ok := ctx.Value(actForKey{}).(string); ok && id != "" {
		out = append(out, id)
	}
	return out
}

// AllowAttendanceWrites allows writes of member-owned attendance rows as
// AttendanceOwned says.
func AllowAttendanceWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || v.Kind != viewer.KindMember {
			return denyForbidden()
		}
		own := writers(ctx, v)
		admin := v.Admin.Can(viewer.RightManageAttendance)
		if m.Op().Is(ent.OpCreate) {
			got, _ := m.Field("member_id")
			id, _ := got.(string)
			if slices.Contains(own, id) {
				return privacy.Allow
			}
			if !admin {
				return denyForbidden()
			}
			if scope := MembersInScope(v); scope != nil {
				// Whether the member is in the admin's scope decides only
				// this write; it is read as the system.
				c, isTyped := m.(interface{ Client() *ent.Client })
				if !isTyped {
					return denyForbidden()
				}
				ok, err := c.Client().Member.Query().Where(member.ID(id), scope).Exist(SystemContext(ctx))
				if err != nil {
					return privacy.Denyf("attendance scope: %v", err)
				}
				if !ok {
					return denyForbidden()
				}
			}
			return privacy.Allow
		}
		err := privacy.FilterFunc(func(_ context.Context, f privacy.Filter) error {
			af, ok := f.(attendanceFilter)
			if !ok {
				return denyForbidden()
			}
			switch scope := MembersInScope(v); {
			case admin && scope == nil:
			case admin:
				af.WhereHasMemberWith(member.Or(member.IDIn(own...), scope))
			default:
				p := entql.StringEQ(own[0])
				for _, id := range own[1:] {
					p = entql.StringOr(p, entql.StringEQ(id))
				}
				af.WhereMemberID(p)
			}
			return privacy.Skip
		}).EvalMutation(ctx, m)
		if !errors.Is(err, privacy.Skip) {
			return err
		}
		return privacy.Allow
	})
}
