package approval

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/approval/flow"
)

// Template kinds. GENERAL approvals concern nobody but their people; the
// others are built-in requests another app reacts to (package leave,
// attendance...). Any string registered with RegisterKind is a kind.
const (
	KindGeneral           = "GENERAL"
	KindLeave             = "LEAVE"
	KindLeaveCancel       = "LEAVE_CANCEL"
	KindCheckinCorrection = "CHECKIN_CORRECTION"
	KindBusinessTrip      = "BUSINESS_TRIP"
	KindOuting            = "OUTING"
)

// Event is what a kind's hook is told: the approval as it is now (status
// already changed and saved), and what happened. Actor is the member who
// acted, "" when the flow decided by itself (an empty-approver policy, a
// disabled approver's task moving).
type Event struct {
	Approval *ent.Approval
	Action   flow.Action
	Actor    string
}

// Hook reacts to an approval of a kind. It runs inside the transaction of
// the action, with the acting viewer's context (so its writes obey the
// write rules of that viewer, and roll back with the action): an error
// refuses the whole action and is shown to the client like any other (use
// internal/apperr codes).
type Hook func(ctx context.Context, e Event) error

// KindHooks are the moments a kind can react to. Each may be nil.
//
//   - OnSubmit: the approval was submitted (or resubmitted after a return):
//     check the form against the app's own rules (a leave balance, say) and
//     hold what it needs.
//   - OnApproved: the last node approved; the request takes effect.
//   - OnRejected, OnWithdrawn, OnReturned: the request did not pass (yet);
//     release what OnSubmit held. A returned approval may be resubmitted,
//     which calls OnSubmit again.
//   - OnRevoked: an approved request was revoked inside its window; undo
//     what OnApproved did.
type KindHooks struct {
	OnSubmit    Hook
	OnApproved  Hook
	OnRejected  Hook
	OnWithdrawn Hook
	OnReturned  Hook
	OnRevoked   Hook
}

// KindSpec describes a built-in kind: its hooks, and the form and flow its
// approvals use when the enterprise has no template of the kind yet.
//
// DefaultControls is the form SubmitKind validates against; DefaultFlow the
// route (for instance the applicant's level-1 leader, ANY, empty to the
// super admins). When an admin creates a template with the same kind (its
// controls must keep the keys the app reads), SubmitKind uses that
// template's current version instead.
type KindSpec struct {
	Title           string
	DefaultControls []flow.Control
	DefaultFlow     flow.Flow
	Hooks           KindHooks
}

// RegisterKind makes kind known to s, with its hooks and defaults. The
// composition root calls it once per app while wiring, before serving:
//
//	approvals.RegisterKind(approval.KindLeave, approval.KindSpec{
//		Title:           "Leave",
//		DefaultControls: leave.Controls,
//		DefaultFlow:     leave.DefaultFlow,
//		Hooks:           approval.KindHooks{OnSubmit: l.hold, OnApproved: l.take, ...},
//	})
func (s *Service) RegisterKind(kind string, spec KindSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kinds[kind] = spec
}

func (s *Service) kind(kind string) (KindSpec, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.kinds[kind]
	return k, ok
}

// hook calls the hook of the approval's kind for action, if any.
func (s *Service) hook(ctx context.Context, a *ent.Approval, action flow.Action, actor string) error {
	spec, ok := s.kind(a.Kind)
	if !ok {
		return nil
	}
	var h Hook
	switch action {
	case flow.ActionSubmitted, flow.ActionResubmitted:
		h = spec.Hooks.OnSubmit
	case flow.ActionApproved:
		h = spec.Hooks.OnApproved
	case flow.ActionRejected:
		h = spec.Hooks.OnRejected
	case flow.ActionWithdrawn:
		h = spec.Hooks.OnWithdrawn
	case flow.ActionReturned:
		h = spec.Hooks.OnReturned
	case flow.ActionRevoked:
		h = spec.Hooks.OnRevoked
	}
	if h == nil {
		return nil
	}
	return h(ctx, Event{Approval: a, Action: action, Actor: actor})
}

// KindSubmission is what another app submits through SubmitKind.
type KindSubmission struct {
	Kind string
	// Form holds the values, keyed like the kind's controls.
	Form flow.Form
	// Chosen are approvers picked for CHOSEN nodes, by node id.
	Chosen map[string][]string
	Cc     []string
	// IdempotencyKey works as for submitApproval.
	IdempotencyKey string
}

// SubmitKind submits an approval of a built-in kind for the viewer of ctx,
// in the caller's transaction (ctx's, from ent.FromContext), so the
// caller's own rows and the approval commit or roll back together.
//
// It uses the enterprise's newest unarchived template of that kind, or the
// kind's DefaultControls and DefaultFlow when there is none; the form is
// validated against those controls (errors name the control key in
// extensions.field), the path is resolved, the kind's OnSubmit hook runs,
// and the first approvers are notified after commit. The returned approval
// has its ID for the caller to keep.
func (s *Service) SubmitKind(ctx context.Context, in KindSubmission) (*ent.Approval, error) {
	def, err := s.kindDefinition(ctx, in.Kind)
	if err != nil {
		return nil, err
	}
	return s.submit(ctx, def, SubmitInput{
		Form: in.Form, Chosen: in.Chosen, Cc: in.Cc, IdempotencyKey: in.IdempotencyKey,
	})
}
