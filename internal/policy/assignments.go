package policy

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/assignmentevent"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/viewer"
)

// DenyIfNotMember refuses apps and operators: only people of the directory
// take part in the office apps' items.
func DenyIfNotMember() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if err := RequireMember(ctx); err != nil {
			return privacy.Denyf("%w", err)
		}
		return privacy.Skip
	})
}

// involvedIn is the predicate of the assignments v takes part in by name:
// as assigner, verifier, assignee or follower.
func involvedIn(v *viewer.Viewer) predicate.Assignment {
	return assignment.Or(
		assignment.AssignerID(v.MemberID),
		assignment.VerifierID(v.MemberID),
		assignment.HasParticipantsWith(assignmentparticipant.MemberID(v.MemberID)),
	)
}

// VisibleAssignments is the predicate of the assignments v may see: those v
// takes part in, those assigned by a member of the departments v administers
// (any admin right; a super admin administers every department), and the
// subtasks of all of these. It is nil when v sees every assignment of the
// enterprise. Apps and operators see none.
func VisibleAssignments(v *viewer.Viewer) predicate.Assignment {
	if v == nil || v.Kind != viewer.KindMember {
		return assignment.IDIn()
	}
	if v.IsSuperAdmin() {
		return nil
	}
	own := []predicate.Assignment{involvedIn(v)}
	if v.Admin != nil {
		own = append(own, assignment.HasAssignerWith(MembersInScope(v)))
	}
	direct := assignment.Or(own...)
	return assignment.Or(direct, assignment.HasParentWith(direct))
}

// FilterVisibleAssignments applies VisibleAssignments to every assignment query.
func FilterVisibleAssignments() privacy.QueryRule {
	return privacy.AssignmentQueryRuleFunc(func(ctx context.Context, q *ent.AssignmentQuery) error {
		if p := VisibleAssignments(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterAssignmentWrites lets a member create assignments in their own name
// only, and change only those they assign, verify or do: followers and
// admins watch, they do not act.
func FilterAssignmentWrites() privacy.MutationRule {
	return privacy.AssignmentMutationRuleFunc(func(ctx context.Context, m *ent.AssignmentMutation) error {
		v := viewer.FromContext(ctx)
		if m.Op().Is(ent.OpCreate) {
			if id, ok := m.AssignerID(); !ok || id != v.MemberID {
				return denyForbidden()
			}
			return privacy.Skip
		}
		m.Where(assignment.Or(
			assignment.AssignerID(v.MemberID),
			assignment.VerifierID(v.MemberID),
			assignment.HasParticipantsWith(
				assignmentparticipant.MemberID(v.MemberID),
				assignmentparticipant.RoleEQ(assignmentparticipant.RoleASSIGNEE),
			),
		))
		return privacy.Skip
	})
}

// VisibleAssignmentParticipants is the predicate of the participants v may
// see: all those of the assignments v sees. Whether v sees the participant's
// member in the directory is the member's own rule (the member field is
// then null): the list itself must stay whole, since it says who still has
// to complete.
func VisibleAssignmentParticipants(v *viewer.Viewer) predicate.AssignmentParticipant {
	if p := VisibleAssignments(v); p != nil {
		return assignmentparticipant.HasAssignmentWith(p)
	}
	return nil
}

// FilterVisibleAssignmentParticipants applies VisibleAssignmentParticipants to every query of them.
func FilterVisibleAssignmentParticipants() privacy.QueryRule {
	return privacy.AssignmentParticipantQueryRuleFunc(func(ctx context.Context, q *ent.AssignmentParticipantQuery) error {
		if p := VisibleAssignmentParticipants(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterAssignmentParticipantWrites lets the assigner place and remove
// participants, the assigner and verifier clear completions (a reopen), and
// an assignee record their own completion.
func FilterAssignmentParticipantWrites() privacy.MutationRule {
	return privacy.AssignmentParticipantMutationRuleFunc(func(ctx context.Context, m *ent.AssignmentParticipantMutation) error {
		v := viewer.FromContext(ctx)
		if !m.Op().Is(ent.OpCreate) {
			m.Where(assignmentparticipant.Or(
				assignmentparticipant.MemberID(v.MemberID),
				assignmentparticipant.HasAssignmentWith(assignment.Or(
					assignment.AssignerID(v.MemberID),
					assignment.VerifierID(v.MemberID),
				)),
			))
			return privacy.Skip
		}
		id, ok := m.AssignmentID()
		if !ok {
			return denyForbidden()
		}
		mine, err := m.Client().Assignment.Query().
			Where(assignment.ID(id), assignment.AssignerID(v.MemberID)).
			Exist(ctx)
		if err != nil {
			return privacy.Denyf("assignment participants: %v", err)
		}
		if !mine {
			return denyForbidden()
		}
		return privacy.Skip
	})
}

// VisibleAssignmentEvents is the predicate of the timeline lines v may see:
// those of visible assignments.
func VisibleAssignmentEvents(v *viewer.Viewer) predicate.AssignmentEvent {
	if p := VisibleAssignments(v); p != nil {
		return assignmentevent.HasAssignmentWith(p)
	}
	return nil
}

// FilterVisibleAssignmentEvents applies VisibleAssignmentEvents to every query of them.
func FilterVisibleAssignmentEvents() privacy.QueryRule {
	return privacy.AssignmentEventQueryRuleFunc(func(ctx context.Context, q *ent.AssignmentEventQuery) error {
		if p := VisibleAssignmentEvents(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// AllowIfAssignmentVisible allows a timeline line written in the viewer's
// own name on an assignment the viewer sees, and refuses any other.
func AllowIfAssignmentVisible() privacy.MutationRule {
	return privacy.AssignmentEventMutationRuleFunc(func(ctx context.Context, m *ent.AssignmentEventMutation) error {
		v := viewer.FromContext(ctx)
		id, ok := m.AssignmentID()
		if actor, set := m.ActorID(); !ok || !set || actor != v.MemberID {
			return denyForbidden()
		}
		seen, err := m.Client().Assignment.Query().Where(assignment.ID(id)).Exist(ctx)
		if err != nil {
			return privacy.Denyf("assignment events: %v", err)
		}
		if !seen {
			return denyForbidden()
		}
		return privacy.Allow
	})
}
