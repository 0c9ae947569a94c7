package approval

import (
	"context"
	"fmt"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approval"
	"github.com/corpline/corpline/ent/approvalcc"
	"github.com/corpline/corpline/ent/approvalnode"
	"github.com/corpline/corpline/ent/approvaltask"
	"github.com/corpline/corpline/ent/approvaltemplate"
	"github.com/corpline/corpline/ent/approvaltemplateversion"
	"github.com/corpline/corpline/ent/approvaltimelineentry"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/viewer"
)

// Role narrows a list of approvals to the viewer's part in them.
type Role string

// The roles of approvals lists.
const (
	RoleApplied      Role = "APPLIED"
	RoleToApprove    Role = "TO_APPROVE"
	RoleApprovedByMe Role = "APPROVED_BY_ME"
	RoleCc           Role = "CC"
)

// ListFilter narrows the approvals list.
type ListFilter struct {
	Role            Role
	Statuses        []flow.Status
	TemplateID      string
	SubmittedAfter  *time.Time
	SubmittedBefore *time.Time
}

// Predicates returns the filter as predicates over approvals the viewer
// sees (the visibility rule applies on top, in the data layer).
func (f ListFilter) Predicates(ctx context.Context) []predicate.Approval {
	me := viewer.FromContext(ctx).MemberID
	var ps []predicate.Approval
	switch f.Role {
	case RoleApplied:
		ps = append(ps, approval.ApplicantID(me))
	case RoleToApprove:
		ps = append(ps, approval.HasTasksWith(approvaltask.AssigneeID(me), approvaltask.StatusEQ(flow.TaskPending)))
	case RoleApprovedByMe:
		ps = append(ps, approval.HasTasksWith(approvaltask.AssigneeID(me), approvaltask.Auto(false),
			approvaltask.StatusIn(flow.TaskApproved, flow.TaskRejected, flow.TaskReturned, flow.TaskTransferred)))
	case RoleCc:
		ps = append(ps, approval.HasCcsWith(approvalcc.MemberID(me)))
	}
	if len(f.Statuses) > 0 {
		ps = append(ps, approval.StatusIn(f.Statuses...))
	}
	if f.TemplateID != "" {
		ps = append(ps, approval.TemplateID(f.TemplateID))
	}
	if f.SubmittedAfter != nil {
		ps = append(ps, approval.SubmittedAtGTE(*f.SubmittedAfter))
	}
	if f.SubmittedBefore != nil {
		ps = append(ps, approval.SubmittedAtLT(*f.SubmittedBefore))
	}
	return ps
}

// OwnTasks is the predicate of the viewer's own tasks in statuses (all when
// none): the to-do list. Admins too see only their own here.
func OwnTasks(ctx context.Context, statuses []flow.TaskStatus) []predicate.ApprovalTask {
	ps := []predicate.ApprovalTask{approvaltask.AssigneeID(viewer.FromContext(ctx).MemberID)}
	if len(statuses) > 0 {
		ps = append(ps, approvaltask.StatusIn(statuses...))
	}
	return ps
}

// Templates is the predicate of the templates to list: unarchived unless asked.
func Templates(includeArchived bool) []predicate.ApprovalTemplate {
	if includeArchived {
		return nil
	}
	return []predicate.ApprovalTemplate{approvaltemplate.ArchivedAtIsNil()}
}

// Path returns the nodes of an approval's current round, in order.
func (s *Service) Path(ctx context.Context, a *ent.Approval) ([]*ent.ApprovalNode, error) {
	return s.db(ctx).ApprovalNode.Query().
		Where(approvalnode.ApprovalID(a.ID), approvalnode.Round(a.Round)).
		Order(ent.Asc(approvalnode.FieldPosition)).
		All(ctx)
}

// CurrentNode returns the step an approval is on, or nil.
func (s *Service) CurrentNode(ctx context.Context, a *ent.Approval) (*ent.ApprovalNode, error) {
	if a.CurrentNodeID == nil {
		return nil, nil
	}
	n, err := s.db(ctx).ApprovalNode.Get(ctx, *a.CurrentNodeID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return n, err
}

// Tasks returns the tasks of an approval (or of one node), oldest first.
func (s *Service) Tasks(ctx context.Context, approvalID, nodeID string) ([]*ent.ApprovalTask, error) {
	q := s.db(ctx).ApprovalTask.Query().Where(approvaltask.ApprovalID(approvalID))
	if nodeID != "" {
		q.Where(approvaltask.NodeID(nodeID))
	}
	return q.Order(ent.Asc(approvaltask.FieldCreatedAt), ent.Asc(approvaltask.FieldID)).All(ctx)
}

// Timeline returns an approval's timeline, oldest first.
func (s *Service) Timeline(ctx context.Context, approvalID string) ([]*ent.ApprovalTimelineEntry, error) {
	return s.db(ctx).ApprovalTimelineEntry.Query().
		Where(approvaltimelineentry.ApprovalID(approvalID)).
		Order(ent.Asc(approvaltimelineentry.FieldCreatedAt), ent.Asc(approvaltimelineentry.FieldID)).
		All(ctx)
}

// Ccs returns an approval's CC rows.
func (s *Service) Ccs(ctx context.Context, approvalID string) ([]*ent.ApprovalCc, error) {
	return s.db(ctx).ApprovalCc.Query().
		Where(approvalcc.ApprovalID(approvalID)).
		Order(ent.Asc(approvalcc.FieldCreatedAt), ent.Asc(approvalcc.FieldID)).
		All(ctx)
}

// CurrentVersion returns a template's current version.
func (s *Service) CurrentVersion(ctx context.Context, t *ent.ApprovalTemplate) (*ent.ApprovalTemplateVersion, error) {
	v, err := s.db(ctx).ApprovalTemplateVersion.Query().
		Where(approvaltemplateversion.TemplateID(t.ID), approvaltemplateversion.Version(t.Version)).
		Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("template version: %w", err)
	}
	return v, nil
}

// TemplateVersion returns the version number an approval was submitted with.
func (s *Service) TemplateVersion(ctx context.Context, a *ent.Approval) (*int, error) {
	if a.TemplateVersionID == nil {
		return nil, nil
	}
	v, err := s.db(ctx).ApprovalTemplateVersion.Get(ctx, *a.TemplateVersionID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v.Version, nil
}

// ApprovalOf returns the approval of a task, from the task's loaded edge
// when a page eager-loaded it.
func (s *Service) ApprovalOf(ctx context.Context, t *ent.ApprovalTask) (*ent.Approval, error) {
	if t.Edges.Approval != nil {
		return t.Edges.Approval, nil
	}
	return s.db(ctx).Approval.Get(ctx, t.ApprovalID)
}
