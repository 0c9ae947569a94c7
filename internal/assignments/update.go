package assignments

import (
	"context"
	"fmt"
	"slices"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/assignmentevent"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
)

// UpdateInput changes an assignment; nil fields stay as they are. Dates
// set to "" are cleared. AssigneeIDs and FollowerIDs, when given, replace
// the lists: assignees who stay keep their completion.
type UpdateInput struct {
	ID          string
	Title       *string
	Description *string
	Priority    *assignment.Priority
	StartDate   *string
	DueDate     *string
	VerifierID  *string
	AssigneeIDs []string
	FollowerIDs []string
}

// Update changes an assignment that is not closed; only its assigner may.
// Newly named assignees, followers and verifier find it in their inboxes.
func (s *Service) Update(ctx context.Context, in UpdateInput) (*ent.Assignment, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.load(ctx, in.ID, "id")
	if err != nil {
		return nil, err
	}
	if !is(st.a.AssignerID, v.MemberID) {
		return nil, apperr.E(apperr.Forbidden, "only the assigner changes an assignment")
	}
	if st.a.Status == assignment.StatusVERIFIED {
		return nil, apperr.E(apperr.Conflict, "the assignment is verified and closed")
	}
	now := clock.Now(ctx)
	u := s.db(ctx).Assignment.UpdateOne(st.a).SetUpdatedAt(now)
	if in.Title != nil {
		t, err := checkText("title", *in.Title, 1, MaxTitle)
		if err != nil {
			return nil, err
		}
		u.SetTitle(t)
	}
	if in.Description != nil {
		d, err := checkText("description", *in.Description, 0, MaxDescription)
		if err != nil {
			return nil, err
		}
		u.SetDescription(d)
	}
	if in.Priority != nil {
		u.SetPriority(*in.Priority)
	}
	if in.StartDate != nil || in.DueDate != nil {
		start, due := pick(in.StartDate, st.a.StartDate), pick(in.DueDate, st.a.DueDate)
		loc, err := s.zone(ctx, st.a.EnterpriseID)
		if err != nil {
			return nil, err
		}
		dueAt, err := dates(start, due, loc)
		if err != nil {
			return nil, err
		}
		u.SetNillableStartDate(nonEmpty(start)).SetNillableDueDate(nonEmpty(due)).SetNillableDueAt(dueAt)
		if start == "" {
			u.ClearStartDate()
		}
		if due == "" {
			u.ClearDueDate().ClearDueAt()
		}
	}
	var fresh []string
	if in.VerifierID != nil && !is(st.a.VerifierID, *in.VerifierID) {
		if err := s.requireVisible(ctx, "verifierId", []string{*in.VerifierID}); err != nil {
			return nil, err
		}
		u.SetVerifierID(*in.VerifierID)
		fresh = append(fresh, *in.VerifierID)
	}
	if in.AssigneeIDs != nil || in.FollowerIDs != nil {
		added, err := s.replacePeople(ctx, st, in.AssigneeIDs, in.FollowerIDs)
		if err != nil {
			return nil, err
		}
		fresh = append(fresh, added...)
	}
	a, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("update assignment: %w", err)
	}
	st.a = a
	if st.participants, err = a.QueryParticipants().All(ctx); err != nil {
		return nil, fmt.Errorf("update assignment: %w", err)
	}
	// A change of assignees can complete an EACH assignment (the one
	// missing left) or reopen its progress (a new one joined).
	if next := progress(st); open(a.Status) && next != a.Status {
		if st.a, err = s.setStatus(ctx, st, next, now); err != nil {
			return nil, err
		}
	}
	fresh = slices.DeleteFunc(dedupe(fresh), func(id string) bool { return id == v.MemberID })
	if err := s.record(ctx, st, assignmentevent.KindUPDATED, "", nil); err != nil {
		return nil, err
	}
	if len(fresh) > 0 {
		if err := s.record(ctx, st, assignmentevent.KindASSIGNED, "", fresh); err != nil {
			return nil, err
		}
	}
	return st.a, nil
}

// replacePeople sets the assignee and follower lists (nil: unchanged) and
// returns the members newly placed.
func (s *Service) replacePeople(ctx context.Context, st *state, assignees, followers []string) ([]string, error) {
	var curA, curF []string
	for _, p := range st.participants {
		if p.Role == assignmentparticipant.RoleASSIGNEE {
			curA = append(curA, p.MemberID)
		} else {
			curF = append(curF, p.MemberID)
		}
	}
	if !open(st.a.Status) && assignees != nil {
		return nil, apperr.E(apperr.Conflict, "the assignment is %s: its assignees are settled", st.a.Status)
	}
	if assignees == nil {
		assignees = curA
	}
	if followers == nil {
		followers = curF
	}
	assignees, followers, err := checkPeople(assignees, followers)
	if err != nil {
		return nil, err
	}
	addA, dropA := diff(curA, assignees)
	addF, dropF := diff(curF, followers)
	if err := s.requireVisible(ctx, "assigneeIds", addA); err != nil {
		return nil, err
	}
	if err := s.requireVisible(ctx, "followerIds", addF); err != nil {
		return nil, err
	}
	if drop := append(dropA, dropF...); len(drop) > 0 {
		_, err := s.db(ctx).AssignmentParticipant.Delete().
			Where(assignmentparticipant.AssignmentID(st.a.ID), assignmentparticipant.MemberIDIn(drop...)).
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("assignment participants: %w", err)
		}
	}
	if err := s.place(ctx, st.a, assignmentparticipant.RoleASSIGNEE, addA); err != nil {
		return nil, err
	}
	if err := s.place(ctx, st.a, assignmentparticipant.RoleFOLLOWER, addF); err != nil {
		return nil, err
	}
	return append(addA, addF...), nil
}

// diff returns what want adds to cur and what it drops.
func diff(cur, want []string) (add, drop []string) {
	for _, w := range want {
		if !slices.Contains(cur, w) {
			add = append(add, w)
		}
	}
	for _, c := range cur {
		if !slices.Contains(want, c) {
			drop = append(drop, c)
		}
	}
	return add, drop
}

func pick(in, cur *string) string {
	if in != nil {
		return *in
	}
	if cur != nil {
		return *cur
	}
	return ""
}
