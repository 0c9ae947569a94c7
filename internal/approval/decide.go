package approval

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approval"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/viewer"
)

// Decision is what approve and reject take.
type Decision struct {
	TaskID      string
	Comment     string
	Attachments []msgtype.FileReference
}

func (d Decision) check() error {
	if len([]rune(d.Comment)) > MaxComment {
		return apperr.Input("comment", "a comment is at most %d characters", MaxComment)
	}
	if len(d.Attachments) > flow.MaxItems {
		return apperr.Input("attachments", "at most %d attachments", flow.MaxItems)
	}
	for _, f := range d.Attachments {
		if f.URL == "" || f.Name == "" {
			return apperr.Input("attachments", "each attachment needs a url and a name")
		}
	}
	return nil
}

// Approve approves the viewer's pending task.
func (s *Service) Approve(ctx context.Context, d Decision) (*ent.ApprovalTask, error) {
	return s.decide(ctx, d, flow.TaskApproved)
}

// Reject rejects the viewer's pending task: in ALL, ANY and SEQUENTIAL
// nodes alike, a rejection rejects the node and ends the approval.
func (s *Service) Reject(ctx context.Context, d Decision) (*ent.ApprovalTask, error) {
	return s.decide(ctx, d, flow.TaskRejected)
}

func (s *Service) decide(ctx context.Context, d Decision, st flow.TaskStatus) (*ent.ApprovalTask, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	t, r, err := s.ownTask(ctx, d.TaskID)
	if err != nil {
		return nil, err
	}
	if t.Status != flow.TaskPending {
		// The same approver deciding the same way twice (a double tap) is
		// answered with the first decision; anything else is too late.
		if t.Status == st && !t.Auto {
			return t, nil
		}
		return nil, conflict(string(t.Status), "this task is %s", t.Status)
	}
	t, err = r.db.ApprovalTask.UpdateOne(t).
		SetStatus(st).SetDecidedAt(r.now).SetNillableComment(nilIfEmpty(d.Comment)).
		SetAttachments(d.Attachments).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("decide task: %w", err)
	}
	action := flow.ActionApproved
	if st == flow.TaskRejected {
		action = flow.ActionRejected
	}
	n := r.nodeOf(t)
	if err := r.log(action, n, t, d.Comment, d.Attachments, nil); err != nil {
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

// ownTask loads the viewer's task and its approval, locked against
// concurrent actions, with the approval's current nodes. A task the
// viewer may not see is NOT_FOUND; one of someone else is FORBIDDEN.
func (s *Service) ownTask(ctx context.Context, taskID string) (*ent.ApprovalTask, *run, error) {
	v := viewer.FromContext(ctx)
	db := s.db(ctx)
	t, err := db.ApprovalTask.Get(ctx, taskID)
	if err != nil {
		return nil, nil, notFound(err, "approval task")
	}
	r, err := s.lock(ctx, t.ApprovalID, v.MemberID)
	if err != nil {
		return nil, nil, err
	}
	// Read again under the lock: another approver's decision may have
	// canceled it while this one waited.
	if t, err = db.ApprovalTask.Get(ctx, taskID); err != nil {
		return nil, nil, notFound(err, "approval task")
	}
	if t.AssigneeID != v.MemberID {
		return nil, nil, apperr.E(apperr.Forbidden, "this task is someone else's")
	}
	return t, r, nil
}

// lock loads an approval for an action, holding its row until commit
// (PostgreSQL; SQLite runs one writer at a time), so actions on one
// approval take turns and each sees the last one's result.
func (s *Service) lock(ctx context.Context, approvalID, actor string) (*run, error) {
	q := s.db(ctx).Approval.Query().Where(approval.ID(approvalID))
	if s.locks() {
		q.ForUpdate()
	}
	a, err := q.Only(ctx)
	if err != nil {
		return nil, notFound(err, "approval")
	}
	r := s.newRun(ctx, a, actor)
	r.actorName = viewer.FromContext(ctx).Name
	if err := r.loadNodes(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *run) nodeOf(t *ent.ApprovalTask) *ent.ApprovalNode {
	for _, n := range r.nodes {
		if n.ID == t.NodeID {
			return n
		}
	}
	return nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
