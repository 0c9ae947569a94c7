package approval

import (
	"context"
	"fmt"
	"slices"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approvalcc"
	"github.com/corpline/corpline/ent/approvalnode"
	"github.com/corpline/corpline/ent/approvaltask"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/viewer"
)

// applicantAction loads the viewer's own approval for an action only its
// applicant may take, locked, and checks it is in state want.
func (s *Service) applicantAction(ctx context.Context, approvalID string, want flow.Status) (*run, error) {
	v := viewer.FromContext(ctx)
	r, err := s.lock(ctx, approvalID, v.MemberID)
	if err != nil {
		return nil, err
	}
	if r.a.ApplicantID != v.MemberID {
		return nil, apperr.E(apperr.Forbidden, "only the applicant may do this")
	}
	if r.a.Status != want {
		return nil, conflict(string(r.a.Status), "the approval is %s", r.a.Status)
	}
	return r, nil
}

// Withdraw ends a running approval at its applicant's request (撤回): the
// pending tasks are canceled.
func (s *Service) Withdraw(ctx context.Context, approvalID, comment string) (*ent.Approval, error) {
	if err := checkComment(comment); err != nil {
		return nil, err
	}
	r, err := s.applicantAction(ctx, approvalID, flow.StatusRunning)
	if err != nil {
		return nil, err
	}
	if err := r.stopAll(flow.TaskCanceled); err != nil {
		return nil, err
	}
	if err := r.log(flow.ActionWithdrawn, nil, nil, comment, nil, nil); err != nil {
		return nil, err
	}
	if err := r.end(flow.StatusWithdrawn); err != nil {
		return nil, err
	}
	if err := s.hook(ctx, r.a, flow.ActionWithdrawn, r.actor); err != nil {
		return nil, err
	}
	return r.done()
}

// Revoke turns an approved approval into REVOKED (撤销) within its
// template's window, counted in days from approval on the request's clock.
// After the window it is FORBIDDEN. Those who approved are told.
func (s *Service) Revoke(ctx context.Context, approvalID, comment string) (*ent.Approval, error) {
	if err := checkComment(comment); err != nil {
		return nil, err
	}
	r, err := s.applicantAction(ctx, approvalID, flow.StatusApproved)
	if err != nil {
		return nil, err
	}
	until := RevocableUntil(r.a)
	if until == nil || !s.now(ctx).Before(*until) {
		return nil, apperr.E(apperr.Forbidden, "this approval can no longer be revoked")
	}
	if err := r.log(flow.ActionRevoked, nil, nil, comment, nil, nil); err != nil {
		return nil, err
	}
	if err := r.end(flow.StatusRevoked); err != nil {
		return nil, err
	}
	approvers, err := r.db.ApprovalTask.Query().
		Where(approvaltask.ApprovalID(r.a.ID), approvaltask.StatusEQ(flow.TaskApproved), approvaltask.Auto(false)).
		Select(approvaltask.FieldAssigneeID).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("revoke: approvers: %w", err)
	}
	for _, m := range dedupe(approvers) {
		r.notify(NoticeResult, m)
	}
	if err := s.hook(ctx, r.a, flow.ActionRevoked, r.actor); err != nil {
		return nil, err
	}
	return r.done()
}

// Urge reminds the approvers of a running approval's pending tasks (催办),
// each task at most once per UrgeInterval; when every pending task was
// urged within it, RATE_LIMITED with retryAfter seconds.
func (s *Service) Urge(ctx context.Context, approvalID string) (*ent.Approval, error) {
	r, err := s.applicantAction(ctx, approvalID, flow.StatusRunning)
	if err != nil {
		return nil, err
	}
	pending, err := r.db.ApprovalTask.Query().
		Where(approvaltask.ApprovalID(r.a.ID), approvaltask.StatusEQ(flow.TaskPending)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("urge: %w", err)
	}
	var urged []string
	wait := UrgeInterval
	for _, t := range pending {
		if t.UrgedAt != nil && r.now.Sub(*t.UrgedAt) < UrgeInterval {
			wait = min(wait, UrgeInterval-r.now.Sub(*t.UrgedAt))
			continue
		}
		if err := r.db.ApprovalTask.UpdateOne(t).SetUrgedAt(r.now).Exec(ctx); err != nil {
			return nil, fmt.Errorf("urge: %w", err)
		}
		urged = append(urged, t.AssigneeID)
		r.notify(NoticeUrge, t.AssigneeID)
	}
	if len(urged) == 0 {
		e := apperr.E(apperr.RateLimited, "each task may be urged once an hour")
		e.Extra = map[string]any{"retryAfter": int(wait.Seconds()) + 1}
		return nil, e
	}
	if err := r.log(flow.ActionUrged, nil, nil, "", nil, urged); err != nil {
		return nil, err
	}
	return r.done()
}

// Comment adds a comment to an approval's timeline, by anyone who sees the
// approval; mentioned members are told. Only people who see the approval
// through their part in it (applicant, approvers, CC) may be mentioned: a
// mention never shows an approval to someone new.
func (s *Service) Comment(ctx context.Context, approvalID string, d Decision, mentions []string) (*ent.Approval, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	if d.Comment == "" {
		return nil, apperr.Input("text", "a comment needs text")
	}
	v := viewer.FromContext(ctx)
	if v.Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members comment")
	}
	r, err := s.lock(ctx, approvalID, v.MemberID)
	if err != nil {
		return nil, err
	}
	mentions = dedupe(mentions)
	if len(mentions) > 0 {
		ok, err := r.participants()
		if err != nil {
			return nil, err
		}
		for _, m := range mentions {
			if !ok[m] {
				return nil, apperr.Input("mentions", "only people taking part in the approval can be mentioned")
			}
			r.notify(NoticeMention, m)
		}
	}
	if err := r.log(flow.ActionCommented, nil, nil, d.Comment, d.Attachments, mentions); err != nil {
		return nil, err
	}
	return r.done()
}

// participants are the members taking part in the approval.
func (r *run) participants() (map[string]bool, error) {
	out := map[string]bool{r.a.ApplicantID: true}
	tasks, err := r.db.ApprovalTask.Query().Where(approvaltask.ApprovalID(r.a.ID)).
		Select(approvaltask.FieldAssigneeID).Strings(r.ctx)
	if err != nil {
		return nil, fmt.Errorf("participants: %w", err)
	}
	ccs, err := r.db.ApprovalCc.Query().Where(approvalcc.ApprovalID(r.a.ID)).
		Select(approvalcc.FieldMemberID).Strings(r.ctx)
	if err != nil {
		return nil, fmt.Errorf("participants: %w", err)
	}
	for _, m := range append(tasks, ccs...) {
		out[m] = true
	}
	return out, nil
}

// stopAll ends every pending task with st and every running node.
func (r *run) stopAll(st flow.TaskStatus) error {
	err := r.db.ApprovalTask.Update().
		Where(approvaltask.ApprovalID(r.a.ID), approvaltask.StatusEQ(flow.TaskPending)).
		SetStatus(st).SetDecidedAt(r.now).
		Exec(r.ctx)
	if err != nil {
		return fmt.Errorf("stop tasks: %w", err)
	}
	err = r.db.ApprovalNode.Update().
		Where(approvalnode.ApprovalID(r.a.ID), approvalnode.StatusIn(flow.NodeRunning, flow.NodeWaiting)).
		SetStatus(flow.NodeCanceled).
		Exec(r.ctx)
	if err != nil {
		return fmt.Errorf("stop nodes: %w", err)
	}
	return nil
}

// end sets the approval's final status.
func (r *run) end(st flow.Status) error {
	u := r.db.Approval.UpdateOne(r.a).SetStatus(st).ClearCurrentNodeID()
	if st != flow.StatusRevoked {
		u.SetFinishedAt(r.now)
	}
	a, err := u.Save(r.ctx)
	if err != nil {
		return fmt.Errorf("approval status: %w", err)
	}
	r.a = a
	return nil
}

func checkComment(c string) error {
	if len([]rune(c)) > MaxComment {
		return apperr.Input("comment", "a comment is at most %d characters", MaxComment)
	}
	return nil
}

// contains reports whether the node lists m among its approvers.
func contains(n *ent.ApprovalNode, m string) bool { return slices.Contains(n.ApproverIds, m) }
