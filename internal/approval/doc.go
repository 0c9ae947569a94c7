// Package approval is corpline's workflow approval app (工作流程审批):
// templates with versioned forms and flows, approvals submitted along them,
// and every action an applicant or approver takes.
//
// The flow engine is pure: ValidateControls and ValidateForm check forms,
// ValidateFlow checks flows (cycles, unreachable nodes, branches without a
// default, more than MaxNodes nodes or MaxApprovers approvers), Resolve turns
// a flow into a path of people for one applicant and form, and Tally decides
// a node from its votes. The Service writes approvals through ent in the
// request's transaction; who may see and write what is decided by named
// rules in internal/policy attached to the ent schemas (see
// ent/schema/approval*.go).
//
// States. An approval is RUNNING, then APPROVED, REJECTED, WITHDRAWN (by
// the applicant while running) or RETURNED (to the applicant, who may
// resubmit); an APPROVED approval may become REVOKED within its template's
// revoke window. A task is PENDING, then APPROVED, REJECTED, TRANSFERRED,
// RETURNED or CANCELED (another approver's decision made it moot).
package approval
