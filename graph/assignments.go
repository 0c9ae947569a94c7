package graph

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/graph/model"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/assignments"
)

// visibleMember returns member id when the viewer sees it, and nil (no
// error) when the directory hides it: fields that point at people the
// viewer may not see are nullable.
func visibleMember(ctx context.Context, c *ent.Client, id string) (*ent.Member, error) {
	if id == "" {
		return nil, nil // the member was deleted
	}
	m, err := c.Member.Query().Where(member.ID(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return m, err
}

// participantsOf lists an assignment's participants in role ("": all), in
// the order they were placed.
func participantsOf(ctx context.Context, a *ent.Assignment, role assignmentparticipant.Role) ([]*ent.AssignmentParticipant, error) {
	q := a.QueryParticipants().Order(ent.Asc(assignmentparticipant.FieldCreatedAt), ent.Asc(assignmentparticipant.FieldID))
	if role != "" {
		q.Where(assignmentparticipant.RoleEQ(role))
	}
	return q.All(ctx)
}

func rolesOf(rs []assignments.Role) []model.AssignmentRole {
	out := make([]model.AssignmentRole, len(rs))
	for i, r := range rs {
		out[i] = model.AssignmentRole(r)
	}
	return out
}

func assignmentsFilter(f *model.AssignmentsFilter) assignments.Filter {
	if f == nil {
		return assignments.Filter{}
	}
	out := assignments.Filter{Overdue: f.Overdue, TopLevel: f.TopLevel}
	if f.Role != nil {
		out.Role = assignments.Role(*f.Role)
	}
	return out
}

func createAssignmentInput(in model.CreateAssignmentInput) assignments.CreateInput {
	return assignments.CreateInput{
		Title:       in.Title,
		Description: deref(in.Description),
		Mode:        deref(in.CompletionMode),
		Priority:    deref(in.Priority),
		AssigneeIDs: in.AssigneeIds,
		FollowerIDs: in.FollowerIds,
		VerifierID:  deref(in.VerifierID),
		StartDate:   deref(in.StartDate),
		DueDate:     deref(in.DueDate),
		ParentID:    deref(in.ParentID),
	}
}

func updateAssignmentInput(in model.UpdateAssignmentInput) assignments.UpdateInput {
	return assignments.UpdateInput{
		ID:          in.ID,
		Title:       in.Title,
		Description: in.Description,
		Priority:    in.Priority,
		StartDate:   in.StartDate,
		DueDate:     in.DueDate,
		VerifierID:  in.VerifierID,
		AssigneeIDs: in.AssigneeIds,
		FollowerIDs: in.FollowerIds,
	}
}

// inboxSubject loads the item an inbox entry is about, as the viewer may
// see it now: null for entries that carry a message, and for items the
// viewer no longer sees (moved out of an audience, say).
func inboxSubject(ctx context.Context, c *ent.Client, e *ent.InboxEntry) (ent.Noder, error) {
	if e.SubjectID == nil {
		return nil, nil
	}
	n, err := c.Noder(ctx, *e.SubjectID, ent.WithNodeType(nodeType))
	if ent.IsNotFound(err) || apperr.CodeOf(err) == apperr.NotFound {
		return nil, nil
	}
	return n, err
}
