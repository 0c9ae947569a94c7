// Package flow is the pure engine of approvals: form controls and their
// typed values, flows with conditional branches, approver sources, modes and
// policies, and the states of approvals, nodes and tasks.
//
// ValidateControls and ValidateForm check forms; ValidateFlow checks flows
// (cycles, unreachable nodes, branches without a default, more than MaxNodes
// nodes or MaxApprovers approvers); Resolve turns a flow into a path of
// people for one applicant and form; Tally decides a node from its votes.
// It imports nothing of the data layer, so the ent schema can store its
// types (package approval does the storing).
package flow
