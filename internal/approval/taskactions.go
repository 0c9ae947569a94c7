package approval

import (
	"context"
	"fmt"
	"slices"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approvalnode"
	"github.com/corpline/corpline/ent/approvaltask"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/ids"
)

// pendingTask loads the viewer's pending task for an approver's action.
func (s *Service) pendingTask(ctx context.Context, taskID string) (*ent.ApprovalTask, *run, *ent.ApprovalNode, error) {
	t, r, err := s.ownTask(ctx, taskID)
	if err != nil {
		return nil, nil, nil, err
	}
	if t.Status != flow.TaskPending {
		return nil, nil, nil, conflict(string(t.Status), "this task is %s", t.Status)
	}
	n := r.nodeOf(t)
	if n == nil || r.a.Status != flow.StatusRunning {
		return nil, nil, nil, conflict(string(r.a.Status), "the approval is %s", r.a.Status)
	}
	return t, r, n, nil
}

// activeMembers checks that every id is a member the viewer sees who can
// act, and returns their names.
func (s *Service) activeMembers(ctx context.Context, field string, memberIDs []string) (map[string]string, error) {
	if len(memberIDs) == 0 || len(memberIDs) > flow.MaxApprovers {
		return nil, apperr.Input(field, "name 1 to %d members", flow.MaxApprovers)
	}
	ms, err := s.db(ctx).Member.Query().Where(member.IDIn(memberIDs...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	out := map[string]string{}
	for _, m := range ms {
		if canAct(m) {
			out[m.ID] = m.Name
		}
	}
	for _, id := range memberIDs {
		if _, ok := out[id]; !ok {
			return nil, apperr.Input(field, "member %q does not exist or cannot approve", id)
		}
	}
	return out, nil
}

// Transfer hands the viewer's pending task to another member (转交), who
// takes the viewer's place in the node.
func (s *Service) Transfer(ctx context.Context, taskID, to, comment string) (*ent.ApprovalTask, error) {
	if err := checkComment(comment); err != nil {
		return nil, err
	}
	if _, err := s.activeMembers(ctx, "toMemberId", []string{to}); err != nil {
		return nil, err
	}
	t, r, n, err := s.pendingTask(ctx, taskID)
	if err != nil {
		return nil, err
	}
	if to == t.AssigneeID || contains(n, to) {
		return nil, apperr.Input("toMemberId", "that member already approves this step")
	}
	t, err = r.db.ApprovalTask.UpdateOne(t).SetStatus(flow.TaskTransferred).SetDecidedAt(r.now).
		SetTransferredToID(to).SetNillableComment(nilIfEmpty(comment)).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	approvers := slices.Clone(n.ApproverIds)
	approvers[slices.Index(approvers, t.AssigneeID)] = to
	if err := r.setApprovers(n, approvers); err != nil {
		return nil, err
	}
	if err := r.log(flow.ActionTransferred, n, t, comment, nil, []string{to}); err != nil {
		return nil, err
	}
	if err := r.advance(); err != nil {
		return nil, err
	}
	if _, err := r.done(); err != nil {
		return nil, err
	}
	return t, nil
}

func (r *run) setApprovers(n *ent.ApprovalNode, approvers []string) error {
	if err := r.db.ApprovalNode.UpdateOne(n).SetApproverIds(approvers).Exec(r.ctx); err != nil {
		return fmt.Errorf("node approvers: %w", err)
	}
	n.ApproverIds = approvers
	return nil
}

// Position says where added approvers go (加签).
type Position string

// The positions of added approvers.
const (
	// Before: they decide first, in a step of their own; the viewer's step
	// waits, and asks again those of it who had not approved yet.
	Before Position = "BEFORE"
	// After: a step of their own right after the viewer's.
	After Position = "AFTER"
	// Alongside: they join the viewer's step, which keeps its mode.
	Alongside Position = "ALONGSIDE"
)

// AddApprovers adds approvers before, after or alongside the viewer's
// pending task; mode (ANY or ALL) is how a new step of BEFORE and AFTER
// decides.
func (s *Service) AddApprovers(ctx context.Context, taskID string, pos Position, mode flow.Mode, memberIDs []string, comment string) (*ent.ApprovalTask, error) {
	if err := checkComment(comment); err != nil {
		return nil, err
	}
	memberIDs = dedupe(memberIDs)
	names, err := s.activeMembers(ctx, "memberIds", memberIDs)
	if err != nil {
		return nil, err
	}
	if pos != Alongside && mode != flow.ModeAny && mode != flow.ModeAll {
		return nil, apperr.Input("mode", "added approvers decide as ANY or ALL")
	}
	t, r, n, err := s.pendingTask(ctx, taskID)
	if err != nil {
		return nil, err
	}
	for _, m := range memberIDs {
		if m == t.AssigneeID || pos == Alongside && contains(n, m) {
			return nil, apperr.Input("memberIds", "%s already approves this step", names[m])
		}
	}
	switch pos {
	case Alongside:
		if len(n.ApproverIds)+len(memberIDs) > flow.MaxApprovers {
			return nil, apperr.Input("memberIds", "a step has at most %d approvers", flow.MaxApprovers)
		}
		if err := r.setApprovers(n, append(slices.Clone(n.ApproverIds), memberIDs...)); err != nil {
			return nil, err
		}
	case After:
		if err := r.insertNode(n.Position+1, mode, memberIDs); err != nil {
			return nil, err
		}
	case Before:
		if err := r.insertNode(n.Position, mode, memberIDs); err != nil {
			return nil, err
		}
		// The viewer's step waits for the new one: its pending tasks end
		// and are given again when it runs anew.
		err := r.db.ApprovalTask.Update().
			Where(approvaltask.NodeID(n.ID), approvaltask.StatusEQ(flow.TaskPending)).
			SetStatus(flow.TaskCanceled).SetDecidedAt(r.now).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("add approvers: %w", err)
		}
		if err := r.setNode(n, flow.NodeWaiting); err != nil {
			return nil, err
		}
	default:
		return nil, apperr.Input("position", "position is BEFORE, AFTER or ALONGSIDE")
	}
	if err := r.log(flow.ActionApproversAdded, n, t, comment, nil, memberIDs); err != nil {
		return nil, err
	}
	if err := r.advance(); err != nil {
		return nil, err
	}
	if _, err := r.done(); err != nil {
		return nil, err
	}
	return r.db.ApprovalTask.Get(ctx, t.ID)
}

// insertNode puts a step of added approvers at position, moving the later
// steps of the round down by one.
func (r *run) insertNode(position int, mode flow.Mode, approvers []string) error {
	err := r.db.ApprovalNode.Update().
		Where(approvalnode.ApprovalID(r.a.ID), approvalnode.Round(r.a.Round), approvalnode.PositionGTE(position)).
		AddPosition(1).Exec(r.ctx)
	if err != nil {
		return fmt.Errorf("insert node: %w", err)
	}
	_, err = r.db.ApprovalNode.Create().
		SetApprovalID(r.a.ID).SetNodeKey(addedKey()).SetName("Added approvers").
		SetRound(r.a.Round).SetPosition(position).SetMode(mode).SetApproverIds(approvers).
		SetStatus(flow.NodeWaiting).SetSelfPolicy(flow.SelfAsk).SetAdded(true).SetCreatedAt(r.now).
		Save(r.ctx)
	if err != nil {
		return fmt.Errorf("insert node: %w", err)
	}
	return r.loadNodes()
}

// ReturnTarget is where a return sends an approval: to the applicant, or
// to an earlier step of the path that has passed (by its node key).
type ReturnTarget struct {
	NodeKey string // "" for the applicant
}

// Return sends the approval back (退回): to its applicant, who may
// resubmit, or to an earlier step that has passed, which decides again.
func (s *Service) Return(ctx context.Context, taskID string, to ReturnTarget, comment string) (*ent.ApprovalTask, error) {
	if err := checkComment(comment); err != nil {
		return nil, err
	}
	t, r, n, err := s.pendingTask(ctx, taskID)
	if err != nil {
		return nil, err
	}
	var target *ent.ApprovalNode
	if to.NodeKey != "" {
		for _, x := range r.nodes {
			if x.NodeKey == to.NodeKey && x.Position < n.Position && x.Status == flow.NodeApproved {
				target = x
			}
		}
		if target == nil {
			return nil, apperr.Input("toNodeId", "return only to an earlier step that has passed")
		}
	}
	t, err = r.db.ApprovalTask.UpdateOne(t).SetStatus(flow.TaskReturned).SetDecidedAt(r.now).
		SetNillableComment(nilIfEmpty(comment)).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("return: %w", err)
	}
	if err := r.stopAll(flow.TaskCanceled); err != nil {
		return nil, err
	}
	if err := r.log(flow.ActionReturned, n, t, comment, nil, nil); err != nil {
		return nil, err
	}
	if target == nil {
		a, err := r.db.Approval.UpdateOne(r.a).SetStatus(flow.StatusReturned).ClearCurrentNodeID().Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("return: %w", err)
		}
		r.a = a
		r.notify(NoticeReturn, r.a.ApplicantID)
		if err := s.hook(ctx, r.a, flow.ActionReturned, r.actor); err != nil {
			return nil, err
		}
	} else if err := r.rerun(target.Position); err != nil {
		return nil, err
	}
	if _, err := r.done(); err != nil {
		return nil, err
	}
	return t, nil
}

// rerun starts a new round of the same path: the steps before from stay
// passed, from and the later ones run again.
func (r *run) rerun(from int) error {
	a, err := r.db.Approval.UpdateOne(r.a).AddRound(1).Save(r.ctx)
	if err != nil {
		return fmt.Errorf("new round: %w", err)
	}
	old := r.nodes
	r.a = a
	creates := make([]*ent.ApprovalNodeCreate, len(old))
	for i, n := range old {
		st := flow.NodeWaiting
		if n.Position < from {
			st = flow.NodeApproved
		}
		creates[i] = r.db.ApprovalNode.Create().
			SetApprovalID(a.ID).SetNodeKey(n.NodeKey).SetName(n.Name).SetRound(a.Round).
			SetPosition(n.Position).SetMode(n.Mode).SetApproverIds(n.ApproverIds).SetStatus(st).
			SetAuto(n.Auto).SetSelfPolicy(n.SelfPolicy).SetAdded(n.Added).SetCreatedAt(r.now)
	}
	if r.nodes, err = r.db.ApprovalNode.CreateBulk(creates...).Save(r.ctx); err != nil {
		return fmt.Errorf("new round: %w", err)
	}
	return r.advance()
}

// Resubmit sends a returned approval again, with a corrected form: the
// path is resolved anew for the form, as at submit.
func (s *Service) Resubmit(ctx context.Context, approvalID string, form flow.Form, chosen map[string][]string, comment string) (*ent.Approval, error) {
	if err := checkComment(comment); err != nil {
		return nil, err
	}
	r, err := s.applicantAction(ctx, approvalID, flow.StatusReturned)
	if err != nil {
		return nil, err
	}
	form, refs, err := flow.ValidateForm(r.a.Controls, form)
	if err != nil {
		return nil, err
	}
	if err := s.checkReferences(ctx, refs); err != nil {
		return nil, err
	}
	path, err := s.resolve(ctx, r.a.Flow, form, flow.Inputs{Chosen: chosen})
	if err != nil {
		return nil, err
	}
	a, err := r.db.Approval.UpdateOne(r.a).
		SetForm(form).SetSummary(summarize(r.a.Controls, form)).SetStatus(flow.StatusRunning).
		AddRound(1).SetCcOnFinish(nonNil(path.CcOnFinish)).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("resubmit: %w", err)
	}
	r.a = a
	if err := r.start(path, flow.ActionResubmitted, comment); err != nil {
		return nil, err
	}
	return r.done()
}

// addedKey names a step of added approvers: unique within its approval.
func addedKey() string {
	id := ids.New("")
	return "added_" + id[len(id)-8:]
}
