package flow

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
)

// Mode says how the approvers of one node decide.
type Mode string

const (
	// ModeAll (会签): everyone approves; one rejection rejects.
	ModeAll Mode = "ALL"
	// ModeAny (或签): the first decision decides; the other tasks are CANCELED.
	ModeAny Mode = "ANY"
	// ModeSequential (依次): one after another, in order; one rejection rejects.
	ModeSequential Mode = "SEQUENTIAL"
)

// EmptyPolicy says what a node does when its approvers resolve to nobody
// (no leader at that level, an empty tag, everyone disabled).
type EmptyPolicy string

const (
	EmptyAutoApprove EmptyPolicy = "AUTO_APPROVE"
	EmptyAutoReject  EmptyPolicy = "AUTO_REJECT"
	// EmptyToSuperAdmins gives the node to the enterprise's super admins.
	EmptyToSuperAdmins EmptyPolicy = "SUPER_ADMINS"
)

// SelfPolicy says what happens when the applicant is an approver of a node.
type SelfPolicy string

const (
	// SelfAutoApprove approves the applicant's own task at once.
	SelfAutoApprove SelfPolicy = "AUTO_APPROVE"
	// SelfAsk gives the applicant a task like anyone else.
	SelfAsk SelfPolicy = "ASK"
)

// NodeKind says whether a node asks people or chooses a branch.
type NodeKind string

const (
	NodeApproval  NodeKind = "APPROVAL"
	NodeCondition NodeKind = "CONDITION"
)

// SourceKind says where a node's approvers come from.
type SourceKind string

const (
	// SourceMembers names the approvers.
	SourceMembers SourceKind = "MEMBERS"
	// SourceLeader is the applicant's Level-th leader, bottom-up from their
	// primary department through department leaders (see Resolve).
	SourceLeader SourceKind = "LEADER"
	// SourceDepartmentLeaders are the leaders of named departments.
	SourceDepartmentLeaders SourceKind = "DEPARTMENT_LEADERS"
	// SourceTag is the members of tags.
	SourceTag SourceKind = "TAG"
	// SourceChosen is chosen by the applicant at submit, inside Range,
	// between MinCount and MaxCount people.
	SourceChosen SourceKind = "CHOSEN"
)

// Limits of flows.
const (
	MaxNodes     = 50
	MaxApprovers = 100
	MaxLevel     = 20
)

// Source is one origin of approvers (or CC recipients).
type Source struct {
	Kind          SourceKind         `json:"kind"`
	MemberIDs     []string           `json:"memberIds,omitempty"`
	Level         int                `json:"level,omitempty"`
	DepartmentIDs []string           `json:"departmentIds,omitempty"`
	TagIDs        []string           `json:"tagIds,omitempty"`
	Range         *audience.Audience `json:"range,omitempty"`
	MinCount      int                `json:"minCount,omitempty"`
	MaxCount      int                `json:"maxCount,omitempty"`
}

// CondOp is the operator of a branch condition.
type CondOp string

const (
	OpLT  CondOp = "LT"
	OpLTE CondOp = "LTE"
	OpGT  CondOp = "GT"
	OpGTE CondOp = "GTE"
	OpEQ  CondOp = "EQ"
	// OpIn holds when a select's chosen option (any, for a multi-select) is
	// one of OptionKeys.
	OpIn CondOp = "IN"
	// OpApplicantDepartmentIn holds when the applicant's primary department
	// lies in the subtree of one of DepartmentIDs. It names no control.
	OpApplicantDepartmentIn CondOp = "APPLICANT_DEPARTMENT_IN"
)

// Condition is one test of a branch. Comparisons (LT..EQ) apply to NUMBER
// and MONEY controls, and to a DATE_RANGE's duration in days; EQ and IN to
// selects, against option keys.
type Condition struct {
	Field         string           `json:"field,omitempty"`
	Op            CondOp           `json:"op"`
	Number        *decimal.Decimal `json:"number,omitempty"`
	OptionKeys    []string         `json:"optionKeys,omitempty"`
	DepartmentIDs []string         `json:"departmentIds,omitempty"`
}

// Branch leads to Next when all its conditions hold; the one Default
// branch of a condition node is taken when no other does.
type Branch struct {
	Name       string      `json:"name"`
	Conditions []Condition `json:"conditions,omitempty"`
	Default    bool        `json:"default,omitempty"`
	Next       string      `json:"next,omitempty"` // "" ends the flow
}

// Node is one step of a flow: an approval step, or a choice among branches.
// ID is stable across versions of a template, so clients and timelines can
// say which step an approval is on.
type Node struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Kind        NodeKind    `json:"kind"`
	Approvers   []Source    `json:"approvers,omitempty"`
	Mode        Mode        `json:"mode,omitempty"`
	EmptyPolicy EmptyPolicy `json:"emptyPolicy,omitempty"`
	SelfPolicy  SelfPolicy  `json:"selfPolicy,omitempty"`
	Next        string      `json:"next,omitempty"` // "" ends the flow
	Branches    []Branch    `json:"branches,omitempty"`
}

// Flow is the route of a template's approvals.
type Flow struct {
	Start string `json:"start"`
	Nodes []Node `json:"nodes"`
	// Dedup decides an approver's task at once when they approved the step
	// just before (consecutive identical approvers decide once).
	Dedup bool `json:"dedup,omitempty"`
	// CcOnSubmit and CcOnFinish are copied when the approval is submitted
	// and when it ends approved.
	CcOnSubmit []Source `json:"ccOnSubmit,omitempty"`
	CcOnFinish []Source `json:"ccOnFinish,omitempty"`
	// RevokeDays is how many days after approval the applicant may revoke
	// it; 0 means never.
	RevokeDays int `json:"revokeDays,omitempty"`
}

func (f Flow) node(id string) *Node {
	for i := range f.Nodes {
		if f.Nodes[i].ID == id {
			return &f.Nodes[i]
		}
	}
	return nil
}

// successors lists where n may lead ("" is the end).
func (n Node) successors() []string {
	if n.Kind == NodeCondition {
		out := make([]string, len(n.Branches))
		for i, b := range n.Branches {
			out[i] = b.Next
		}
		return out
	}
	return []string{n.Next}
}

// ValidateFlow refuses a flow that could not run: more than MaxNodes nodes,
// a node with more than MaxApprovers named approvers, a cycle, a node no
// path reaches, a condition node without exactly one default branch, a
// condition on a control that does not exist or does not fit. field names
// the input being checked.
func ValidateFlow(field string, f Flow, controls []Control) error {
	if len(f.Nodes) == 0 || len(f.Nodes) > MaxNodes {
		return apperr.Input(field+".nodes", "a flow has 1 to %d nodes", MaxNodes)
	}
	if f.RevokeDays < 0 || f.RevokeDays > 365 {
		return apperr.Input(field+".revokeDays", "revokeDays is between 0 and 365")
	}
	ids := map[string]bool{}
	for i, n := range f.Nodes {
		at := fmt.Sprintf("%s.nodes.%d", field, i)
		if !keyPattern.MatchString(n.ID) || ids[n.ID] {
			return apperr.Input(at+".id", "node ids are distinct keys of letters, digits and underscores")
		}
		ids[n.ID] = true
		if err := validateNode(at, n, controls); err != nil {
			return err
		}
	}
	for i, n := range f.Nodes {
		for _, s := range n.successors() {
			if s != "" && !ids[s] {
				return apperr.Input(fmt.Sprintf("%s.nodes.%d", field, i), "node %q leads to unknown node %q", n.ID, s)
			}
		}
	}
	if !ids[f.Start] {
		return apperr.Input(field+".start", "the flow starts at unknown node %q", f.Start)
	}
	if err := checkGraph(field, f); err != nil {
		return err
	}
	for i, cc := range [][]Source{f.CcOnSubmit, f.CcOnFinish} {
		if err := validateSources(fmt.Sprintf("%s.cc.%d", field, i), cc); err != nil {
			return err
		}
	}
	return nil
}

// checkGraph finds cycles and unreachable nodes with one depth-first walk.
func checkGraph(field string, f Flow) error {
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var walk func(id string) error
	walk = func(id string) error {
		if id == "" {
			return nil
		}
		switch state[id] {
		case open:
			return apperr.Input(field+".nodes", "the flow has a cycle through node %q", id)
		case done:
			return nil
		}
		state[id] = open
		for _, s := range f.node(id).successors() {
			if err := walk(s); err != nil {
				return err
			}
		}
		state[id] = done
		return nil
	}
	if err := walk(f.Start); err != nil {
		return err
	}
	for i, n := range f.Nodes {
		if state[n.ID] != done {
			return apperr.Input(fmt.Sprintf("%s.nodes.%d", field, i), "node %q is unreachable", n.ID)
		}
	}
	return nil
}

func validateNode(at string, n Node, controls []Control) error {
	if n.Name == "" || len([]rune(n.Name)) > 100 {
		return apperr.Input(at+".name", "node %q needs a name of 1 to 100 characters", n.ID)
	}
	switch n.Kind {
	case NodeApproval:
		if len(n.Branches) > 0 {
			return apperr.Input(at+".branches", "approval node %q has no branches", n.ID)
		}
		switch n.Mode {
		case ModeAll, ModeAny, ModeSequential:
		default:
			return apperr.Input(at+".mode", "node %q needs a mode: ALL, ANY or SEQUENTIAL", n.ID)
		}
		switch n.EmptyPolicy {
		case EmptyAutoApprove, EmptyAutoReject, EmptyToSuperAdmins:
		default:
			return apperr.Input(at+".emptyPolicy", "node %q needs an empty-approver policy", n.ID)
		}
		switch n.SelfPolicy {
		case SelfAutoApprove, SelfAsk:
		default:
			return apperr.Input(at+".selfPolicy", "node %q needs a policy for the applicant as approver", n.ID)
		}
		if len(n.Approvers) == 0 {
			return apperr.Input(at+".approvers", "node %q needs at least one source of approvers", n.ID)
		}
		return validateSources(at+".approvers", n.Approvers)
	case NodeCondition:
		return validateBranches(at, n, controls)
	}
	return apperr.Input(at+".kind", "node %q needs a kind: APPROVAL or CONDITION", n.ID)
}

func validateSources(at string, ss []Source) error {
	named := 0
	for i, s := range ss {
		sat := fmt.Sprintf("%s.%d", at, i)
		switch s.Kind {
		case SourceMembers:
			if len(s.MemberIDs) == 0 {
				return apperr.Input(sat+".memberIds", "name at least one member")
			}
			named += len(s.MemberIDs)
		case SourceLeader:
			if s.Level < 1 || s.Level > MaxLevel {
				return apperr.Input(sat+".level", "a leader level is between 1 and %d", MaxLevel)
			}
		case SourceDepartmentLeaders:
			if len(s.DepartmentIDs) == 0 {
				return apperr.Input(sat+".departmentIds", "name at least one department")
			}
		case SourceTag:
			if len(s.TagIDs) == 0 {
				return apperr.Input(sat+".tagIds", "name at least one tag")
			}
		case SourceChosen:
			if s.MinCount < 0 || s.MaxCount < 1 || s.MinCount > s.MaxCount || s.MaxCount > MaxApprovers {
				return apperr.Input(sat+".maxCount", "chosen approvers need 0 <= minCount <= maxCount <= %d, maxCount >= 1", MaxApprovers)
			}
			named += s.MaxCount
		default:
			return apperr.Input(sat+".kind", "unknown approver source %q", s.Kind)
		}
	}
	if named > MaxApprovers {
		return apperr.Input(at, "a node has at most %d approvers", MaxApprovers)
	}
	return nil
}

func validateBranches(at string, n Node, controls []Control) error {
	if n.Next != "" || len(n.Approvers) > 0 {
		return apperr.Input(at, "condition node %q leads only through its branches", n.ID)
	}
	defaults := 0
	for i, b := range n.Branches {
		bat := fmt.Sprintf("%s.branches.%d", at, i)
		if b.Default {
			defaults++
			if len(b.Conditions) > 0 {
				return apperr.Input(bat+".conditions", "the default branch of %q has no conditions", n.ID)
			}
			continue
		}
		if len(b.Conditions) == 0 {
			return apperr.Input(bat+".conditions", "a branch of %q needs a condition (or to be the default)", n.ID)
		}
		for j, c := range b.Conditions {
			if err := validateCondition(fmt.Sprintf("%s.conditions.%d", bat, j), c, controls); err != nil {
				return err
			}
		}
	}
	if defaults != 1 {
		return apperr.Input(at+".branches", "condition node %q needs exactly one default branch", n.ID)
	}
	return nil
}

func validateCondition(at string, c Condition, controls []Control) error {
	if c.Op == OpApplicantDepartmentIn {
		if len(c.DepartmentIDs) == 0 {
			return apperr.Input(at+".departmentIds", "name at least one department")
		}
		return nil
	}
	ctl := controlByKey(controls, c.Field)
	if ctl == nil {
		return apperr.Input(at+".field", "the form has no control %q", c.Field)
	}
	switch c.Op {
	case OpLT, OpLTE, OpGT, OpGTE, OpEQ:
		switch ctl.Kind {
		case ControlNumber, ControlMoney, ControlDateRange:
			if c.Number == nil {
				return apperr.Input(at+".number", "comparing %q needs a number", c.Field)
			}
			return nil
		case ControlSelect, ControlMultiSelect:
			if c.Op == OpEQ {
				return checkCondOptions(at, *ctl, c.OptionKeys)
			}
		}
	case OpIn:
		if ctl.Kind == ControlSelect || ctl.Kind == ControlMultiSelect {
			return checkCondOptions(at, *ctl, c.OptionKeys)
		}
	default:
		return apperr.Input(at+".op", "unknown operator %q", c.Op)
	}
	return apperr.Input(at+".op", "%s does not apply to the %s control %q", c.Op, ctl.Kind, c.Field)
}

func checkCondOptions(at string, ctl Control, keys []string) error {
	if len(keys) == 0 {
		return apperr.Input(at+".optionKeys", "name at least one option of %q", ctl.Key)
	}
	for _, k := range keys {
		if !ctl.hasOption(k) {
			return apperr.Input(at+".optionKeys", "%q is not an option of %q", k, ctl.Key)
		}
	}
	return nil
}
