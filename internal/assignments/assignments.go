// Package assignments holds the rules of work assignment (工作安排及监督):
// a member assigns work to colleagues they can see in the directory,
// followers watch it, each assignee completes their part, and a verifier
// (the assigner unless another is named) verifies it, closing the loop, or
// reopens it with a reason.
//
// States: TODO (nothing completed), IN_PROGRESS (some of the required
// completions are in), DONE (all required completions are in: every
// assignee's in EACH mode, one in ANY mode), VERIFIED (closed), REOPENED
// (sent back: completions cleared, until the next completion). Only a DONE
// assignment can be verified or reopened; acting on one whose state moved
// on is a CONFLICT.
//
// Each change is one transaction that writes the assignment, its timeline
// line (AssignmentEvent) and an inbox entry referencing the assignment for
// everyone concerned (assigner, verifier, assignees and followers, not the
// one who acted), through package messaging's Notify.
//
// Who sees an assignment is the ent policy's business (policy.
// VisibleAssignments); this package never filters by hand and decides only
// who among those who see it may act.
package assignments

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/assignment"
	"github.com/corpline/corpline/ent/assignmentparticipant"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Limits of an assignment.
const (
	MaxTitle       = 200    // characters
	MaxDescription = 10_000 // characters
	MaxComment     = 2_000  // characters
	MaxReason      = 500    // characters
	MaxAssignees   = 100
	MaxFollowers   = 100
)

// Notifier puts notices into members' inboxes (messaging.Service).
type Notifier interface {
	Notify(ctx context.Context, enterpriseID string, n messaging.Notice) error
}

// Service applies the assignment rules.
type Service struct {
	client *ent.Client
	notify Notifier
}

// New returns a Service.
func New(client *ent.Client, notify Notifier) *Service {
	return &Service{client: client, notify: notify}
}

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// asMember returns the viewer when it is a member: apps and operators
// neither assign nor do work.
func asMember(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members take part in assignments")
	}
	return v, nil
}

// state is an assignment as one change sees it: the row, locked until the
// transaction ends, and its participants.
type state struct {
	a            *ent.Assignment
	participants []*ent.AssignmentParticipant
}

// is reports whether the member reference p (null once the member was
// deleted) names id.
func is(p *string, id string) bool { return p != nil && *p == id }

func (st *state) assignees() []*ent.AssignmentParticipant {
	var out []*ent.AssignmentParticipant
	for _, p := range st.participants {
		if p.Role == assignmentparticipant.RoleASSIGNEE {
			out = append(out, p)
		}
	}
	return out
}

func (st *state) assignee(memberID string) *ent.AssignmentParticipant {
	for _, p := range st.assignees() {
		if p.MemberID == memberID {
			return p
		}
	}
	return nil
}

// concerned is everyone an assignment's news goes to, but the actor.
func (st *state) concerned(actor string) []string {
	seen := map[string]bool{actor: true}
	var out []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if st.a.AssignerID != nil {
		add(*st.a.AssignerID)
	}
	if st.a.VerifierID != nil {
		add(*st.a.VerifierID)
	}
	for _, p := range st.participants {
		add(p.MemberID)
	}
	return out
}

// load reads an assignment the viewer sees (NOT_FOUND otherwise, naming
// field), locking its row on PostgreSQL so that concurrent completions
// count each other (SQLite's transaction already holds the only write
// lock), with all its participants.
func (s *Service) load(ctx context.Context, id, field string) (*state, error) {
	db := s.db(ctx)
	q := db.Assignment.Query().Where(assignment.ID(id)).Unique(false)
	q.Modify(func(sel *sql.Selector) {
		if sel.Dialect() == dialect.Postgres {
			sel.ForUpdate(sql.WithLockTables(assignment.Table))
		}
	})
	a, err := q.Only(ctx)
	if ent.IsNotFound(err) {
		return nil, &apperr.Error{Code: apperr.NotFound, Message: "assignment not found", Field: field}
	}
	if err != nil {
		return nil, fmt.Errorf("load assignment: %w", err)
	}
	// Every participant of a visible assignment is visible (policy), so
	// the state counts all the completions.
	ps, err := a.QueryParticipants().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load assignment: %w", err)
	}
	return &state{a: a, participants: ps}, nil
}
