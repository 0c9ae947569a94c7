package approval

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approvalnode"
	"github.com/corpline/corpline/ent/approvaltask"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/msgtype"
)

// run is one action on one approval, in one transaction: it moves the flow
// forward as far as it goes by itself, collects the notifications, and
// saves everything before the transaction commits.
type run struct {
	s         *Service
	ctx       context.Context
	db        *ent.Client
	now       time.Time
	actor     string // member acting; "" when the flow acts by itself
	actorName string
	a         *ent.Approval
	nodes     []*ent.ApprovalNode // of the current round, by position
	notices   []Notice
}

func (s *Service) newRun(ctx context.Context, a *ent.Approval, actor string) *run {
	return &run{s: s, ctx: ctx, db: s.db(ctx), now: s.now(ctx), actor: actor, a: a}
}

// loadNodes reads the nodes of the approval's current round.
func (r *run) loadNodes() error {
	ns, err := r.db.ApprovalNode.Query().
		Where(approvalnode.ApprovalID(r.a.ID), approvalnode.Round(r.a.Round)).
		Order(ent.Asc(approvalnode.FieldPosition)).
		All(r.ctx)
	if err != nil {
		return fmt.Errorf("approval nodes: %w", err)
	}
	r.nodes = ns
	return nil
}

// start writes the nodes of a freshly resolved path (a submit, a
// resubmit), its timeline entry, the CC at submit and the kind's hook,
// then moves the flow.
func (r *run) start(p flow.Path, action flow.Action, comment string) error {
	creates := make([]*ent.ApprovalNodeCreate, len(p.Steps))
	for i, st := range p.Steps {
		creates[i] = r.db.ApprovalNode.Create().
			SetApprovalID(r.a.ID).SetNodeKey(st.NodeID).SetName(st.Name).
			SetRound(r.a.Round).SetPosition(i).SetMode(st.Mode).
			SetApproverIds(nonNil(st.Approvers)).SetStatus(flow.NodeWaiting).
			SetAuto(string(st.Auto)).SetSelfPolicy(st.SelfPolicy).SetCreatedAt(r.now)
	}
	ns, err := r.db.ApprovalNode.CreateBulk(creates...).Save(r.ctx)
	if err != nil {
		return fmt.Errorf("approval nodes: %w", err)
	}
	r.nodes = ns
	if err := r.log(action, nil, nil, comment, nil, nil); err != nil {
		return err
	}
	if err := r.copyTo(p.CcOnSubmit, flow.CcOnSubmit); err != nil {
		return err
	}
	if err := r.s.hook(r.ctx, r.a, action, r.actor); err != nil {
		return err
	}
	return r.advance()
}

// advance moves the flow as far as it goes without a person: nodes that
// decide themselves (empty policies, the applicant as approver, repeated
// approvers) pass, the next approvers get their tasks, and an approval
// whose last node passed, or whose node rejected, ends.
func (r *run) advance() error {
	for {
		n := r.current()
		if n == nil {
			return r.finish(flow.StatusApproved, flow.ActionApproved)
		}
		if n.Status == flow.NodeWaiting {
			if n.Auto != "" {
				if err := r.closeAuto(n); err != nil {
					return err
				}
				if flow.TaskStatus(n.Auto) == flow.TaskRejected {
					return r.finish(flow.StatusRejected, flow.ActionRejected)
				}
				continue
			}
			if err := r.setNode(n, flow.NodeRunning); err != nil {
				return err
			}
			if err := r.setCurrent(n); err != nil {
				return err
			}
		}
		tasks, err := r.tasksOf(n)
		if err != nil {
			return err
		}
		p := flow.Tally(n.Mode, n.ApproverIds, votes(tasks))
		switch p.Status {
		case flow.NodeApproved, flow.NodeRejected:
			if err := r.closeNode(n, p.Status, tasks); err != nil {
				return err
			}
			if p.Status == flow.NodeRejected {
				return r.finish(flow.StatusRejected, flow.ActionRejected)
			}
			continue
		}
		if len(p.Ask) == 0 {
			return nil
		}
		auto, err := r.ask(n, p.Ask)
		if err != nil {
			return err
		}
		if !auto {
			return nil
		}
	}
}

// current is the first node of the round that has not passed.
func (r *run) current() *ent.ApprovalNode {
	for _, n := range r.nodes {
		if n.Status != flow.NodeApproved {
			return n
		}
	}
	return nil
}

func (r *run) previous(n *ent.ApprovalNode) *ent.ApprovalNode {
	i := slices.Index(r.nodes, n)
	if i <= 0 {
		return nil
	}
	return r.nodes[i-1]
}

func (r *run) tasksOf(n *ent.ApprovalNode) ([]*ent.ApprovalTask, error) {
	ts, err := r.db.ApprovalTask.Query().
		Where(approvaltask.NodeID(n.ID)).
		Order(ent.Asc(approvaltask.FieldCreatedAt), ent.Asc(approvaltask.FieldID)).
		All(r.ctx)
	if err != nil {
		return nil, fmt.Errorf("approval tasks: %w", err)
	}
	return ts, nil
}

func votes(ts []*ent.ApprovalTask) []flow.Vote {
	out := make([]flow.Vote, len(ts))
	for i, t := range ts {
		out[i] = flow.Vote{Approver: t.AssigneeID, Status: t.Status}
	}
	return out
}

// ask gives each approver a pending task, or decides it at once when the
// node's policies say so; it reports whether any was decided so.
func (r *run) ask(n *ent.ApprovalNode, approvers []string) (bool, error) {
	var prevApproved []string
	if prev := r.previous(n); prev != nil && r.a.Flow.Dedup {
		ts, err := r.tasksOf(prev)
		if err != nil {
			return false, err
		}
		for _, t := range ts {
			if t.Status == flow.TaskApproved {
				prevApproved = append(prevApproved, t.AssigneeID)
			}
		}
	}
	names, err := r.s.names(r.ctx, approvers)
	if err != nil {
		return false, err
	}
	decided := false
	for _, m := range approvers {
		self := m == r.a.ApplicantID && n.SelfPolicy == flow.SelfAutoApprove
		dup := slices.Contains(prevApproved, m)
		c := r.db.ApprovalTask.Create().
			SetApprovalID(r.a.ID).SetNodeID(n.ID).SetNodeKey(n.NodeKey).SetAssigneeID(m).
			SetAssigneeName(names[m]).SetCreatedAt(r.now)
		if self || dup {
			c.SetStatus(flow.TaskApproved).SetAuto(true).SetDecidedAt(r.now)
		}
		t, err := c.Save(r.ctx)
		if err != nil {
			return false, fmt.Errorf("approval task: %w", err)
		}
		if self || dup {
			decided = true
			why := "the applicant approves their own step"
			if dup {
				why = "approved at the step before"
			}
			if err := r.log(flow.ActionAutoApproved, n, t, why, nil, []string{m}); err != nil {
				return false, err
			}
			continue
		}
		r.notify(NoticeTask, m)
	}
	return decided, nil
}

func (r *run) setNode(n *ent.ApprovalNode, st flow.NodeStatus) error {
	if err := r.db.ApprovalNode.UpdateOne(n).SetStatus(st).Exec(r.ctx); err != nil {
		return fmt.Errorf("approval node: %w", err)
	}
	n.Status = st
	return nil
}

func (r *run) setCurrent(n *ent.ApprovalNode) error {
	a, err := r.db.Approval.UpdateOne(r.a).SetCurrentNodeID(n.ID).SetUpdatedAt(r.now).Save(r.ctx)
	if err != nil {
		return fmt.Errorf("approval: %w", err)
	}
	r.a = a
	return nil
}

// closeAuto decides a node that resolved to nobody by its empty policy.
func (r *run) closeAuto(n *ent.ApprovalNode) error {
	st, action := flow.NodeApproved, flow.ActionAutoApproved
	if flow.TaskStatus(n.Auto) == flow.TaskRejected {
		st, action = flow.NodeRejected, flow.ActionAutoRejected
	}
	if err := r.setNode(n, st); err != nil {
		return err
	}
	return r.log(action, n, nil, "nobody to approve this step", nil, nil)
}

// closeNode records a node's decision and cancels the tasks it made moot.
func (r *run) closeNode(n *ent.ApprovalNode, st flow.NodeStatus, tasks []*ent.ApprovalTask) error {
	if err := r.setNode(n, st); err != nil {
		return err
	}
	var pending []string
	for _, t := range tasks {
		if t.Status == flow.TaskPending {
			pending = append(pending, t.ID)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	err := r.db.ApprovalTask.Update().
		Where(approvaltask.IDIn(pending...), approvaltask.StatusEQ(flow.TaskPending)).
		SetStatus(flow.TaskCanceled).SetDecidedAt(r.now).
		Exec(r.ctx)
	if err != nil {
		return fmt.Errorf("cancel tasks: %w", err)
	}
	return nil
}

// finish ends the approval with st: CC at the end (when approved), the
// kind's hook, and the applicant told.
func (r *run) finish(st flow.Status, action flow.Action) error {
	a, err := r.db.Approval.UpdateOne(r.a).
		SetStatus(st).SetFinishedAt(r.now).SetUpdatedAt(r.now).ClearCurrentNodeID().
		Save(r.ctx)
	if err != nil {
		return fmt.Errorf("finish approval: %w", err)
	}
	r.a = a
	if st == flow.StatusApproved {
		if err := r.copyTo(r.a.CcOnFinish, flow.CcOnFinish); err != nil {
			return err
		}
	}
	r.notify(NoticeResult, r.a.ApplicantID)
	return r.s.hook(r.ctx, r.a, action, r.actor)
}

// copyTo copies the approval to members (CC) and tells them.
func (r *run) copyTo(members []string, stage flow.CcStage) error {
	members = dedupe(members)
	if len(members) == 0 {
		return nil
	}
	creates := make([]*ent.ApprovalCcCreate, len(members))
	for i, m := range members {
		creates[i] = r.db.ApprovalCc.Create().SetApprovalID(r.a.ID).SetMemberID(m).SetStage(stage).SetCreatedAt(r.now)
	}
	if err := r.db.ApprovalCc.CreateBulk(creates...).OnConflict().DoNothing().Exec(r.ctx); err != nil {
		return fmt.Errorf("approval cc: %w", err)
	}
	for _, m := range members {
		r.notify(NoticeCc, m)
	}
	return nil
}

// log records a timeline entry.
func (r *run) log(action flow.Action, n *ent.ApprovalNode, t *ent.ApprovalTask, comment string, files []msgtype.FileReference, members []string) error {
	c := r.db.ApprovalTimelineEntry.Create().
		SetApprovalID(r.a.ID).SetAction(action).SetCreatedAt(r.now)
	if r.actor != "" && action != flow.ActionAutoApproved && action != flow.ActionAutoRejected {
		c.SetActorID(r.actor).SetActorName(r.actorName)
	}
	if n != nil {
		c.SetNodeKey(n.NodeKey)
	}
	if t != nil {
		c.SetTaskID(t.ID)
	}
	if comment != "" {
		c.SetComment(comment)
	}
	if len(files) > 0 {
		c.SetAttachments(files)
	}
	if len(members) > 0 {
		c.SetMemberIds(members)
	}
	if err := c.Exec(r.ctx); err != nil {
		return fmt.Errorf("approval timeline: %w", err)
	}
	return nil
}

func (r *run) notify(kind NoticeKind, member string) {
	r.notices = append(r.notices, Notice{Kind: kind, MemberID: member, ApprovalID: r.a.ID})
}

// done sends the notifications in the transaction and wakes the
// approval's live views after commit.
func (r *run) done() (*ent.Approval, error) {
	a, err := r.db.Approval.UpdateOne(r.a).AddRevision(1).SetUpdatedAt(r.now).Save(r.ctx)
	if err != nil {
		return nil, fmt.Errorf("approval revision: %w", err)
	}
	r.a = a
	if err := r.s.notifier.Notify(r.ctx, r.notices); err != nil {
		return nil, err
	}
	r.s.wake(r.ctx, r.a.ID)
	return r.a, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// conflict answers an action on a task or approval that is no longer in
// the state the action needs, with the state it is in.
func conflict(state string, format string, args ...any) error {
	e := apperr.E(apperr.Conflict, format, args...)
	e.Extra = map[string]any{"state": state}
	return e
}
