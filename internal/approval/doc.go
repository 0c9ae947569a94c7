// Package approval is corpline's workflow approval app (工作流程审批):
// templates with versioned forms and flows, approvals submitted along them,
// and every action an applicant or approver takes.
//
// The rules of forms and flows are pure, in package flow. The Service
// writes approvals through ent in the request's transaction; who may see and
// write what is decided by named rules in internal/policy attached to the
// ent schemas (ent/schema/approval*.go).
//
// States. An approval is RUNNING, then APPROVED, REJECTED, WITHDRAWN (by
// the applicant while running) or RETURNED (to the applicant, who may
// resubmit); an APPROVED approval may become REVOKED within its template's
// revoke window. A task is PENDING, then APPROVED, REJECTED, TRANSFERRED,
// RETURNED or CANCELED (another approver's decision made it moot).
package approval
