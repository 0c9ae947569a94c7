package assignments

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/assignmentevent"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/viewer"
)

// CreateInput is a new assignment.
type CreateInput struct {
	Title       string
	Description string
	Mode        assignment.CompletionMode
	Priority    assignment.Priority
	AssigneeIDs []string
	FollowerIDs []string
	// VerifierID is the assigner when empty.
	VerifierID string
	StartDate  string
	DueDate    string
	// ParentID makes the assignment a subtask of another (one level only).
	ParentID string
}

// Create assigns work: everyone named must be a member the assigner sees
// in the directory. The assignees, followers and verifier find it in their
// inboxes.
func (s *Service) Create(ctx context.Context, in CreateInput) (*ent.Assignment, error) {
	v, err := asMember(ctx)
	if err != nil {
		return nil, err
	}
	title, err := checkText("title", in.Title, 1, MaxTitle)
	if err != nil {
		return nil, err
	}
	desc, err := checkText("description", in.Description, 0, MaxDescription)
	if err != nil {
		return nil, err
	}
	assignees, followers, err := checkPeople(in.AssigneeIDs, in.FollowerIDs)
	if err != nil {
		return nil, err
	}
	verifier := in.VerifierID
	if verifier == "" {
		verifier = v.MemberID
	}
	if err := s.requireVisible(ctx, "assigneeIds", assignees); err != nil {
		return nil, err
	}
	if err := s.requireVisible(ctx, "followerIds", followers); err != nil {
		return nil, err
	}
	if err := s.requireVisible(ctx, "verifierId", []string{verifier}); err != nil {
		return nil, err
	}
	if in.ParentID != "" {
		if err := s.checkParent(ctx, v, in.ParentID); err != nil {
			return nil, err
		}
	}
	loc, err := s.zone(ctx, v.EnterpriseID)
	if err != nil {
		return nil, err
	}
	dueAt, err := dates(in.StartDate, in.DueDate, loc)
	if err != nil {
		return nil, err
	}
	now := clock.Now(ctx)
	db := s.db(ctx)
	c := db.Assignment.Create().
		SetTitle(title).
		SetDescription(desc).
		SetAssignerID(v.MemberID).
		SetVerifierID(verifier).
		SetNillableStartDate(nonEmpty(in.StartDate)).
		SetNillableDueDate(nonEmpty(in.DueDate)).
		SetNillableDueAt(dueAt).
		SetNillableParentID(nonEmpty(in.ParentID)).
		SetCreatedAt(now).
		SetUpdatedAt(now)
	if in.Mode != "" {
		c.SetCompletionMode(in.Mode)
	}
	if in.Priority != "" {
		c.SetPriority(in.Priority)
	}
	a, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create assignment: %w", err)
	}
	if err := s.place(ctx, a, assignmentparticipant.RoleASSIGNEE, assignees); err != nil {
		return nil, err
	}
	if err := s.place(ctx, a, assignmentparticipant.RoleFOLLOWER, followers); err != nil {
		return nil, err
	}
	st := &state{a: a}
	st.participants, err = a.QueryParticipants().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("create assignment: %w", err)
	}
	return a, s.record(ctx, st, assignmentevent.KindASSIGNED, "", st.concerned(v.MemberID))
}

// checkParent allows a subtask under an assignment the viewer assigned or
// is assigned to, when that assignment is not itself a subtask.
func (s *Service) checkParent(ctx context.Context, v *viewer.Viewer, id string) error {
	st, err := s.load(ctx, id, "parentId")
	if err != nil {
		return err
	}
	if st.a.ParentID != nil {
		return apperr.Input("parentId", "subtasks go one level deep: that assignment is a subtask")
	}
	if !is(st.a.AssignerID, v.MemberID) && st.assignee(v.MemberID) == nil {
		return apperr.E(apperr.Forbidden, "only the assigner and assignees of an assignment add subtasks to it")
	}
	if !open(st.a.Status) {
		return apperr.E(apperr.Conflict, "that assignment is %s: it takes no new subtasks", st.a.Status)
	}
	return nil
}

// place adds members to an assignment in a role.
func (s *Service) place(ctx context.Context, a *ent.Assignment, role assignmentparticipant.Role, members []string) error {
	if len(members) == 0 {
		return nil
	}
	db := s.db(ctx)
	creates := make([]*ent.AssignmentParticipantCreate, len(members))
	for i, m := range members {
		creates[i] = db.AssignmentParticipant.Create().
			SetAssignmentID(a.ID).
			SetMemberID(m).
			SetRole(role).
			SetCreatedAt(a.UpdatedAt)
	}
	if err := db.AssignmentParticipant.CreateBulk(creates...).Exec(ctx); err != nil {
		return fmt.Errorf("assignment participants: %w", err)
	}
	return nil
}

// requireVisible fails with NOT_FOUND, naming field, unless the viewer sees
// every one of ids in the directory: work is assigned only within sight.
func (s *Service) requireVisible(ctx context.Context, field string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	found, err := s.db(ctx).Member.Query().
		Where(member.IDIn(ids...), member.StatusNEQ(member.StatusDISABLED)).
		IDs(ctx)
	if err != nil {
		return fmt.Errorf("assignment members: %w", err)
	}
	if len(found) != len(ids) {
		for _, id := range ids {
			if !slices.Contains(found, id) {
				return &apperr.Error{Code: apperr.NotFound, Message: fmt.Sprintf("no member %s that you can assign", id), Field: field}
			}
		}
	}
	return nil
}

// checkPeople validates assignee and follower lists: 1 to MaxAssignees
// assignees, at most MaxFollowers followers, nobody in both.
func checkPeople(assignees, followers []string) ([]string, []string, error) {
	assignees, followers = dedupe(assignees), dedupe(followers)
	switch {
	case len(assignees) == 0:
		return nil, nil, apperr.Input("assigneeIds", "an assignment needs at least one assignee")
	case len(assignees) > MaxAssignees:
		return nil, nil, apperr.Input("assigneeIds", "an assignment has at most %d assignees", MaxAssignees)
	case len(followers) > MaxFollowers:
		return nil, nil, apperr.Input("followerIds", "an assignment has at most %d followers", MaxFollowers)
	}
	for _, f := range followers {
		if slices.Contains(assignees, f) {
			return nil, nil, apperr.Input("followerIds", "%s is an assignee already", f)
		}
	}
	return assignees, followers, nil
}

// checkText trims s and checks its length in characters.
func checkText(field, s string, minLen, maxLen int) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < minLen {
		return "", apperr.Input(field, "%s is required", field)
	}
	if n > maxLen {
		return "", apperr.Input(field, "%s is at most %d characters", field, maxLen)
	}
	return s, nil
}

func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
