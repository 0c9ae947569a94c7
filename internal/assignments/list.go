package assignments

import (
	"context"
	"slices"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/viewer"
)

// Role is a member's part in an assignment.
type Role string

// Roles in an assignment.
const (
	RoleAssigner Role = "ASSIGNER"
	RoleVerifier Role = "VERIFIER"
	RoleAssignee Role = "ASSIGNEE"
	RoleFollower Role = "FOLLOWER"
)

// Filter narrows a list of the assignments the viewer sees.
type Filter struct {
	Role     Role
	Overdue  *bool
	TopLevel *bool
}

// Predicates turns f into predicates over the viewer's assignments (the
// ent policy has already narrowed them to those the viewer sees).
func (f Filter) Predicates(ctx context.Context) []predicate.Assignment {
	v := viewer.FromContext(ctx)
	var ps []predicate.Assignment
	me := ""
	if v != nil {
		me = v.MemberID
	}
	switch f.Role {
	case RoleAssigner:
		ps = append(ps, assignment.AssignerID(me))
	case RoleVerifier:
		ps = append(ps, assignment.VerifierID(me))
	case RoleAssignee:
		ps = append(ps, assignment.HasParticipantsWith(assignmentparticipant.MemberID(me), assignmentparticipant.RoleEQ(assignmentparticipant.RoleASSIGNEE)))
	case RoleFollower:
		ps = append(ps, assignment.HasParticipantsWith(assignmentparticipant.MemberID(me), assignmentparticipant.RoleEQ(assignmentparticipant.RoleFOLLOWER)))
	}
	if f.Overdue != nil {
		ps = append(ps, OverdueFilter(ctx, *f.Overdue))
	}
	if f.TopLevel != nil {
		if *f.TopLevel {
			ps = append(ps, assignment.ParentIDIsNil())
		} else {
			ps = append(ps, assignment.ParentIDNotNil())
		}
	}
	return ps
}

// RolesOf returns the roles of the viewer in a, given its participants.
func RolesOf(ctx context.Context, a *ent.Assignment, participants []*ent.AssignmentParticipant) []Role {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil
	}
	var out []Role
	if is(a.AssignerID, v.MemberID) {
		out = append(out, RoleAssigner)
	}
	if is(a.VerifierID, v.MemberID) {
		out = append(out, RoleVerifier)
	}
	for _, p := range participants {
		if p.MemberID != v.MemberID {
			continue
		}
		r := RoleFollower
		if p.Role == assignmentparticipant.RoleASSIGNEE {
			r = RoleAssignee
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}
