package policy

import (
	"context"
	"errors"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approval"
	"github.com/corpline/corpline/ent/approvalcc"
	"github.com/corpline/corpline/ent/approvaltask"
	"github.com/corpline/corpline/ent/approvaltemplate"
	"github.com/corpline/corpline/ent/approvaltemplateversion"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/viewer"
)

// VisibleApprovals is the predicate of the approvals v may see: those they
// applied for, those in which they have or had a task, those copied to
// them, and, for an admin holding MANAGE_APPROVALS, those of applicants in
// their subtrees (a super admin: all). Apps see none. It is nil when v sees
// every approval of the enterprise.
func VisibleApprovals(v *viewer.Viewer) predicate.Approval {
	if v.Kind != viewer.KindMember {
		return approval.IDIn()
	}
	if v.Admin.Can(viewer.RightManageApprovals) {
		scope := MembersInScope(v)
		if scope == nil {
			return nil
		}
		return approval.Or(ownApprovals(v.MemberID), approval.HasApplicantWith(scope))
	}
	return ownApprovals(v.MemberID)
}

// ownApprovals are the approvals a member takes part in.
func ownApprovals(memberID string) predicate.Approval {
	return approval.Or(
		approval.ApplicantID(memberID),
		approval.HasTasksWith(approvaltask.AssigneeID(memberID)),
		approval.HasCcsWith(approvalcc.MemberID(memberID)),
	)
}

// FilterVisibleApprovals applies VisibleApprovals to every approval query.
func FilterVisibleApprovals() privacy.QueryRule {
	return privacy.ApprovalQueryRuleFunc(func(ctx context.Context, q *ent.ApprovalQuery) error {
		if p := VisibleApprovals(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// AllowApprovalWrites lets a member create an approval for themselves, and
// change only approvals they see. Which change is whose to make (approve
// only one's own pending task...) is the state machine's rule, in package
// approval.
func AllowApprovalWrites() privacy.MutationRule {
	return privacy.ApprovalMutationRuleFunc(func(ctx context.Context, m *ent.ApprovalMutation) error {
		v := viewer.FromContext(ctx)
		if v.Kind != viewer.KindMember {
			return denyForbidden()
		}
		if m.Op().Is(ent.OpCreate) {
			if id, _ := m.ApplicantID(); id != v.MemberID {
				return denyForbidden()
			}
			return privacy.Allow
		}
		if p := VisibleApprovals(v); p != nil {
			m.Where(p)
		}
		return privacy.Allow
	})
}

// approvalChildFilter is what the entql filters of an approval's parts share.
type approvalChildFilter interface {
	WhereHasApprovalWith(...predicate.Approval)
}

// FilterApprovalChildren shows an approval's nodes, tasks, timeline and CC
// rows only to those who see the approval.
func FilterApprovalChildren() privacy.QueryMutationRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		p := VisibleApprovals(viewer.FromContext(ctx))
		if p == nil {
			return privacy.Skip
		}
		cf, ok := f.(approvalChildFilter)
		if !ok {
			return privacy.Denyf("policy: %T is not part of an approval", f)
		}
		cf.WhereHasApprovalWith(p)
		return privacy.Skip
	})
}

// approvalChild is what the mutations of an approval's parts share.
type approvalChild interface {
	ent.Mutation
	ApprovalID() (string, bool)
	Client() *ent.Client
}

// AllowApprovalChildWrites lets a member write the nodes, tasks, timeline
// and CC rows of an approval they see (a new approval of theirs included).
func AllowApprovalChildWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if v.Kind != viewer.KindMember {
			return denyForbidden()
		}
		if !m.Op().Is(ent.OpCreate) {
			// Updates and deletes touch only rows of visible approvals.
			if err := FilterApprovalChildren().EvalMutation(ctx, m); !errors.Is(err, privacy.Skip) {
				return err
			}
			return privacy.Allow
		}
		c, ok := m.(approvalChild)
		id, set := "", false
		if ok {
			id, set = c.ApprovalID()
		}
		if !set {
			return denyForbidden()
		}
		// The approval is read as the viewer: visible means writable here.
		found, err := c.Client().Approval.Query().Where(approval.ID(id)).Exist(ctx)
		if err != nil {
			return privacy.Denyf("approval write: %v", err)
		}
		if !found {
			return denyForbidden()
		}
		return privacy.Allow
	})
}

// VisibleApprovalTemplates is the predicate of the templates v may see:
// those whose audience includes them; an admin holding MANAGE_APPROVALS
// sees all (nil).
func VisibleApprovalTemplates(v *viewer.Viewer) predicate.ApprovalTemplate {
	switch {
	case v.Kind != viewer.KindMember:
		return approvaltemplate.IDIn()
	case v.Admin.Can(viewer.RightManageApprovals):
		return nil
	}
	return predicate.ApprovalTemplate(AudienceIncludes(approvaltemplate.FieldAudience, v.Facts()))
}

// FilterVisibleApprovalTemplates applies VisibleApprovalTemplates to every template query.
func FilterVisibleApprovalTemplates() privacy.QueryRule {
	return privacy.ApprovalTemplateQueryRuleFunc(func(ctx context.Context, q *ent.ApprovalTemplateQuery) error {
		if p := VisibleApprovalTemplates(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterVisibleApprovalTemplateVersions shows a version to those who see its template.
func FilterVisibleApprovalTemplateVersions() privacy.QueryRule {
	return privacy.ApprovalTemplateVersionQueryRuleFunc(func(ctx context.Context, q *ent.ApprovalTemplateVersionQuery) error {
		if p := VisibleApprovalTemplates(viewer.FromContext(ctx)); p != nil {
			q.Where(approvaltemplateversion.HasTemplateWith(p))
		}
		return privacy.Skip
	})
}

// FilterApprovalTemplateScope keeps a scoped admin's template writes inside
// their subtrees: the audience, old and new, names only departments and
// members there (never everyone, never a tag).
func FilterApprovalTemplateScope() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		roots, limited := scopeOf(v)
		if !limited {
			return privacy.Skip
		}
		var templateIDs []string
		switch m := m.(type) {
		case *ent.ApprovalTemplateMutation:
			if a, ok := m.Audience(); ok {
				if err := audienceInScope(ctx, m.Client(), v, roots, a); err != nil {
					return err
				}
			}
			if !m.Op().Is(ent.OpCreate) {
				ids, err := m.IDs(ctx)
				if err != nil {
					return privacy.Denyf("template scope: %v", err)
				}
				templateIDs = ids
			}
		case *ent.ApprovalTemplateVersionMutation:
			id, _ := m.TemplateID()
			templateIDs = []string{id}
		default:
			return denyForbidden()
		}
		if len(templateIDs) == 0 {
			return privacy.Skip
		}
		c := m.(interface{ Client() *ent.Client }).Client()
		ts, err := c.ApprovalTemplate.Query().Where(approvaltemplate.IDIn(templateIDs...)).All(ctx)
		if err != nil {
			return privacy.Denyf("template scope: %v", err)
		}
		if len(ts) != len(templateIDs) {
			return denyForbidden()
		}
		for _, t := range ts {
			if err := audienceInScope(ctx, c, v, roots, t.Audience); err != nil {
				return err
			}
		}
		return privacy.Skip
	})
}

// audienceInScope says no unless a names only departments and members
// inside roots.
func audienceInScope(ctx context.Context, c *ent.Client, v *viewer.Viewer, roots []string, a audience.Audience) error {
	if a.Everyone || len(a.TagIDs) > 0 {
		return denyForbidden()
	}
	if n := len(a.DepartmentIDs); n > 0 {
		got, err := c.Department.Query().Where(department.IDIn(a.DepartmentIDs...), inScope(roots)).Count(ctx)
		if err != nil {
			return privacy.Denyf("template scope: %v", err)
		}
		if got != n {
			return denyForbidden()
		}
	}
	if n := len(a.MemberIDs); n > 0 {
		got, err := c.Member.Query().Where(member.IDIn(a.MemberIDs...), MembersInScope(v)).Count(ctx)
		if err != nil {
			return fmt.Errorf("template scope: %w", err)
		}
		if got != n {
			return denyForbidden()
		}
	}
	return nil
}
