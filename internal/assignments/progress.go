package assignments

import (
	"context"
	"fmt"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/assignmentevent"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/viewer"
)

// Complete records the viewer's completion of their part. In ANY mode it
// completes the assignment; in EACH mode the last assignee's does. A
// second completion by the same assignee changes nothing.
func (s *Service) Complete(ctx context.Context, id, note string) (*ent.Assignment, error) {
	v, st, note, err := s.begin(ctx, id, "note", note, 0, MaxComment)
	if err != nil {
		return nil, err
	}
	me := st.assignee(v.MemberID)
	if me == nil {
		return nil, apperr.E(apperr.Forbidden, "only an assignee completes an assignment")
	}
	if !open(st.a.Status) {
		return nil, apperr.E(apperr.Conflict, "the assignment is %s already", st.a.Status)
	}
	if me.CompletedAt != nil {
		return st.a, nil
	}
	now := clock.Now(ctx)
	if err := s.db(ctx).AssignmentParticipant.UpdateOne(me).SetCompletedAt(now).Exec(ctx); err != nil {
		return nil, fmt.Errorf("complete assignment: %w", err)
	}
	me.CompletedAt = &now
	a, err := s.setStatus(ctx, st, progress(st), now)
	if err != nil {
		return nil, err
	}
	st.a = a
	return a, s.record(ctx, st, assignmentevent.KindCOMPLETED, note, st.concerned(v.MemberID))
}

// progress is the state the completions of st call for.
func progress(st *state) assignment.Status {
	done, all := 0, 0
	for _, p := range st.assignees() {
		all++
		if p.CompletedAt != nil {
			done++
		}
	}
	switch {
	case done > 0 && (done == all || st.a.CompletionMode == assignment.CompletionModeANY):
		return assignment.StatusDONE
	case done > 0:
		return assignment.StatusIN_PROGRESS
	case st.a.Status == assignment.StatusREOPENED:
		return assignment.StatusREOPENED
	}
	return assignment.StatusTODO
}

// setStatus moves the assignment to status, stamping when it was done.
func (s *Service) setStatus(ctx context.Context, st *state, status assignment.Status, now time.Time) (*ent.Assignment, error) {
	u := s.db(ctx).Assignment.UpdateOne(st.a).SetStatus(status).SetUpdatedAt(now)
	if status == assignment.StatusDONE {
		u.SetDoneAt(now)
	} else {
		u.ClearDoneAt()
	}
	a, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("assignment status: %w", err)
	}
	return a, nil
}

// Verify closes a DONE assignment; only its verifier may.
func (s *Service) Verify(ctx context.Context, id, note string) (*ent.Assignment, error) {
	v, st, note, err := s.begin(ctx, id, "note", note, 0, MaxComment)
	if err != nil {
		return nil, err
	}
	if !is(st.a.VerifierID, v.MemberID) {
		return nil, apperr.E(apperr.Forbidden, "only the assignment's verifier verifies it")
	}
	if st.a.Status != assignment.StatusDONE {
		return nil, apperr.E(apperr.Conflict, "only a DONE assignment can be verified; this one is %s", st.a.Status)
	}
	now := clock.Now(ctx)
	a, err := s.db(ctx).Assignment.UpdateOne(st.a).
		SetStatus(assignment.StatusVERIFIED).
		SetVerifiedAt(now).
		SetUpdatedAt(now).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify assignment: %w", err)
	}
	st.a = a
	return a, s.record(ctx, st, assignmentevent.KindVERIFIED, note, st.concerned(v.MemberID))
}

// Reopen sends a DONE assignment back to its assignees with a reason: their
// completions are cleared. The verifier or the assigner may.
func (s *Service) Reopen(ctx context.Context, id, reason string) (*ent.Assignment, error) {
	v, st, reason, err := s.begin(ctx, id, "reason", reason, 1, MaxReason)
	if err != nil {
		return nil, err
	}
	if !is(st.a.VerifierID, v.MemberID) && !is(st.a.AssignerID, v.MemberID) {
		return nil, apperr.E(apperr.Forbidden, "only the assignment's verifier or assigner reopens it")
	}
	if st.a.Status != assignment.StatusDONE {
		return nil, apperr.E(apperr.Conflict, "only a DONE assignment can be reopened; this one is %s", st.a.Status)
	}
	now := clock.Now(ctx)
	err = s.db(ctx).AssignmentParticipant.Update().
		Where(assignmentparticipant.AssignmentID(st.a.ID), assignmentparticipant.CompletedAtNotNil()).
		ClearCompletedAt().
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("reopen assignment: %w", err)
	}
	a, err := s.db(ctx).Assignment.UpdateOne(st.a).
		SetStatus(assignment.StatusREOPENED).
		SetReopenReason(reason).
		ClearDoneAt().
		SetUpdatedAt(now).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("reopen assignment: %w", err)
	}
	st.a = a
	return a, s.record(ctx, st, assignmentevent.KindREOPENED, reason, st.concerned(v.MemberID))
}

// Comment adds a comment to the timeline of an assignment the viewer sees
// (followers and admins included), for everyone else concerned.
func (s *Service) Comment(ctx context.Context, id, body string) (*ent.AssignmentEvent, error) {
	v, st, body, err := s.begin(ctx, id, "body", body, 1, MaxComment)
	if err != nil {
		return nil, err
	}
	return s.recordEvent(ctx, st, assignmentevent.KindCOMMENTED, body, st.concerned(v.MemberID))
}

// begin is the start of every change by the viewer to assignment id: a
// member, with a text input (field, between minLen and maxLen characters,
// trimmed), on an assignment they see, locked.
func (s *Service) begin(ctx context.Context, id, field, text string, minLen, maxLen int) (*viewer.Viewer, *state, string, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	text, err = checkText(field, text, minLen, maxLen)
	if err != nil {
		return nil, nil, "", err
	}
	st, err := s.load(ctx, id, "id")
	if err != nil {
		return nil, nil, "", err
	}
	return v, st, text, nil
}
