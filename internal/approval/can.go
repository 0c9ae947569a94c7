package approval

import (
	"context"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approvaltask"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/viewer"
)

// Can is what the viewer may do now with a task or an approval, so clients
// show only the buttons that will work.
type Can struct {
	Approve, Reject, Return, Transfer, AddApprovers bool
	Withdraw, Revoke, Urge, Comment                 bool
}

// TaskCan says what the viewer may do with task t of approval a.
func (s *Service) TaskCan(ctx context.Context, a *ent.Approval, t *ent.ApprovalTask) Can {
	c := s.ApprovalCan(ctx, a)
	mine := t != nil && t.AssigneeID == viewer.FromContext(ctx).MemberID &&
		t.Status == flow.TaskPending && a.Status == flow.StatusRunning
	c.Approve, c.Reject, c.Return, c.Transfer, c.AddApprovers = mine, mine, mine, mine, mine
	return c
}

// ApprovalCan says what the viewer may do with approval a as its applicant
// or any viewer; the task actions need a task (TaskCan).
func (s *Service) ApprovalCan(ctx context.Context, a *ent.Approval) Can {
	v := viewer.FromContext(ctx)
	applicant := v != nil && a.ApplicantID == v.MemberID
	running := a.Status == flow.StatusRunning
	until := RevocableUntil(a)
	return Can{
		Withdraw: applicant && running,
		Revoke:   applicant && until != nil && s.now(ctx).Before(*until),
		Urge:     applicant && running,
		// Whoever sees an approval may comment on it.
		Comment: v != nil && v.Kind == viewer.KindMember,
	}
}

// RevocableUntil is when the revoke window of an approved approval closes,
// or nil when it cannot be revoked.
func RevocableUntil(a *ent.Approval) *time.Time {
	if a.Status != flow.StatusApproved || a.Flow.RevokeDays <= 0 || a.FinishedAt == nil {
		return nil
	}
	t := a.FinishedAt.Add(time.Duration(a.Flow.RevokeDays) * 24 * time.Hour)
	return &t
}

// ViewerCan says what the viewer may do with approval a, counting their
// pending task in it, if any.
func (s *Service) ViewerCan(ctx context.Context, a *ent.Approval) (*Can, error) {
	v := viewer.FromContext(ctx)
	t, err := s.db(ctx).ApprovalTask.Query().
		Where(approvaltask.ApprovalID(a.ID), approvaltask.AssigneeID(v.MemberID), approvaltask.StatusEQ(flow.TaskPending)).
		First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	c := s.TaskCan(ctx, a, t)
	return &c, nil
}
