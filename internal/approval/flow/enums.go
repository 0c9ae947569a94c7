package flow

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// The enums below are stored by ent (Values) and shown by GraphQL
// (MarshalGQL, UnmarshalGQL) under their own names.

var (
	statuses     = []Status{StatusRunning, StatusApproved, StatusRejected, StatusWithdrawn, StatusRevoked, StatusReturned}
	taskStatuses = []TaskStatus{TaskPending, TaskApproved, TaskRejected, TaskTransferred, TaskReturned, TaskCanceled}
	nodeStatuses = []NodeStatus{NodeWaiting, NodeRunning, NodeApproved, NodeRejected, NodeCanceled}
	modes        = []Mode{ModeAll, ModeAny, ModeSequential}
)

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// marshal writes v as a GraphQL enum value, and an unset one as null (a
// condition node has no mode, a step decided by people no auto result).
func marshal[T ~string](w io.Writer, v T) {
	if v == "" {
		io.WriteString(w, "null")
		return
	}
	io.WriteString(w, strconv.Quote(string(v)))
}

func unmarshal[T ~string](dst *T, v any, valid []T, name string) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(valid, T(s)) {
		return fmt.Errorf("%v is not a valid %s", v, name)
	}
	*dst = T(s)
	return nil
}

// Values lists the statuses, for ent.
func (Status) Values() []string { return names(statuses) }

// MarshalGQL writes s as a GraphQL enum value.
func (s Status) MarshalGQL(w io.Writer) { marshal(w, s) }

// UnmarshalGQL reads s from a GraphQL enum value.
func (s *Status) UnmarshalGQL(v any) error { return unmarshal(s, v, statuses, "ApprovalStatus") }

// Values lists the task statuses, for ent.
func (TaskStatus) Values() []string { return names(taskStatuses) }

// MarshalGQL writes s as a GraphQL enum value.
func (s TaskStatus) MarshalGQL(w io.Writer) { marshal(w, s) }

// UnmarshalGQL reads s from a GraphQL enum value.
func (s *TaskStatus) UnmarshalGQL(v any) error {
	return unmarshal(s, v, taskStatuses, "ApprovalTaskStatus")
}

// Values lists the node statuses, for ent.
func (NodeStatus) Values() []string { return names(nodeStatuses) }

// MarshalGQL writes s as a GraphQL enum value.
func (s NodeStatus) MarshalGQL(w io.Writer) { marshal(w, s) }

// UnmarshalGQL reads s from a GraphQL enum value.
func (s *NodeStatus) UnmarshalGQL(v any) error {
	return unmarshal(s, v, nodeStatuses, "ApprovalNodeStatus")
}

// Values lists the modes, for ent.
func (Mode) Values() []string { return names(modes) }

// MarshalGQL writes m as a GraphQL enum value.
func (m Mode) MarshalGQL(w io.Writer) { marshal(w, m) }

// UnmarshalGQL reads m from a GraphQL enum value.
func (m *Mode) UnmarshalGQL(v any) error { return unmarshal(m, v, modes, "ApprovalMode") }

// Action is what a timeline entry records.
type Action string

// The actions of a timeline.
const (
	ActionSubmitted      Action = "SUBMITTED"
	ActionResubmitted    Action = "RESUBMITTED"
	ActionApproved       Action = "APPROVED"
	ActionRejected       Action = "REJECTED"
	ActionAutoApproved   Action = "AUTO_APPROVED"
	ActionAutoRejected   Action = "AUTO_REJECTED"
	ActionReturned       Action = "RETURNED"
	ActionTransferred    Action = "TRANSFERRED"
	ActionApproversAdded Action = "APPROVERS_ADDED"
	ActionWithdrawn      Action = "WITHDRAWN"
	ActionRevoked        Action = "REVOKED"
	ActionUrged          Action = "URGED"
	ActionCommented      Action = "COMMENTED"
	ActionReassigned     Action = "REASSIGNED"
	ActionFinished       Action = "FINISHED"
)

var actions = []Action{ActionSubmitted, ActionResubmitted, ActionApproved, ActionRejected,
	ActionAutoApproved, ActionAutoRejected, ActionReturned, ActionTransferred, ActionApproversAdded,
	ActionWithdrawn, ActionRevoked, ActionUrged, ActionCommented, ActionReassigned, ActionFinished}

// Values lists the actions, for ent.
func (Action) Values() []string { return names(actions) }

// MarshalGQL writes a as a GraphQL enum value.
func (a Action) MarshalGQL(w io.Writer) { marshal(w, a) }

// UnmarshalGQL reads a from a GraphQL enum value.
func (a *Action) UnmarshalGQL(v any) error { return unmarshal(a, v, actions, "ApprovalAction") }

// CcStage says when a CC recipient was copied.
type CcStage string

// The CC stages.
const (
	CcOnSubmit CcStage = "SUBMIT"
	CcOnFinish CcStage = "FINISH"
)

var ccStages = []CcStage{CcOnSubmit, CcOnFinish}

// Values lists the stages, for ent.
func (CcStage) Values() []string { return names(ccStages) }

// MarshalGQL writes s as a GraphQL enum value.
func (s CcStage) MarshalGQL(w io.Writer) { marshal(w, s) }

// UnmarshalGQL reads s from a GraphQL enum value.
func (s *CcStage) UnmarshalGQL(v any) error { return unmarshal(s, v, ccStages, "ApprovalCcStage") }

var selfPolicies = []SelfPolicy{SelfAutoApprove, SelfAsk}

// Values lists the policies, for ent.
func (SelfPolicy) Values() []string { return names(selfPolicies) }

// MarshalGQL writes p as a GraphQL enum value.
func (p SelfPolicy) MarshalGQL(w io.Writer) { marshal(w, p) }

// UnmarshalGQL reads p from a GraphQL enum value.
func (p *SelfPolicy) UnmarshalGQL(v any) error {
	return unmarshal(p, v, selfPolicies, "ApprovalSelfPolicy")
}

var (
	emptyPolicies = []EmptyPolicy{EmptyAutoApprove, EmptyAutoReject, EmptyToSuperAdmins}
	nodeKinds     = []NodeKind{NodeApproval, NodeCondition}
	sourceKinds   = []SourceKind{SourceMembers, SourceLeader, SourceDepartmentLeaders, SourceTag, SourceChosen}
	condOps       = []CondOp{OpLT, OpLTE, OpGT, OpGTE, OpEQ, OpIn, OpApplicantDepartmentIn}
)

// MarshalGQL writes p as a GraphQL enum value.
func (p EmptyPolicy) MarshalGQL(w io.Writer) { marshal(w, p) }

// UnmarshalGQL reads p from a GraphQL enum value.
func (p *EmptyPolicy) UnmarshalGQL(v any) error {
	return unmarshal(p, v, emptyPolicies, "ApprovalEmptyPolicy")
}

// MarshalGQL writes k as a GraphQL enum value.
func (k NodeKind) MarshalGQL(w io.Writer) { marshal(w, k) }

// UnmarshalGQL reads k from a GraphQL enum value.
func (k *NodeKind) UnmarshalGQL(v any) error { return unmarshal(k, v, nodeKinds, "ApprovalNodeKind") }

// MarshalGQL writes k as a GraphQL enum value.
func (k SourceKind) MarshalGQL(w io.Writer) { marshal(w, k) }

// UnmarshalGQL reads k from a GraphQL enum value.
func (k *SourceKind) UnmarshalGQL(v any) error {
	return unmarshal(k, v, sourceKinds, "ApprovalSourceKind")
}

// MarshalGQL writes o as a GraphQL enum value.
func (o CondOp) MarshalGQL(w io.Writer) { marshal(w, o) }

// UnmarshalGQL reads o from a GraphQL enum value.
func (o *CondOp) UnmarshalGQL(v any) error { return unmarshal(o, v, condOps, "ApprovalConditionOp") }

// MarshalGQL writes k as a GraphQL enum value. A kind this server does not
// know (from a newer template) is written as it is: clients skip it.
func (k ControlKind) MarshalGQL(w io.Writer) { marshal(w, k) }

// UnmarshalGQL reads k from a GraphQL enum value.
func (k *ControlKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !ControlKind(s).IsValid() {
		return fmt.Errorf("%v is not a valid ApprovalControlKind", v)
	}
	*k = ControlKind(s)
	return nil
}
