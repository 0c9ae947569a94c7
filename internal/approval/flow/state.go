package flow

// Status is the state of an approval.
type Status string

const (
	StatusRunning   Status = "RUNNING"
	StatusApproved  Status = "APPROVED"
	StatusRejected  Status = "REJECTED"
	StatusWithdrawn Status = "WITHDRAWN"
	StatusRevoked   Status = "REVOKED"
	StatusReturned  Status = "RETURNED"
)

// TaskStatus is the state of one approver's task.
type TaskStatus string

const (
	TaskPending     TaskStatus = "PENDING"
	TaskApproved    TaskStatus = "APPROVED"
	TaskRejected    TaskStatus = "REJECTED"
	TaskTransferred TaskStatus = "TRANSFERRED"
	TaskReturned    TaskStatus = "RETURNED"
	TaskCanceled    TaskStatus = "CANCELED"
)

// NodeStatus is the state of one step of an approval's path.
type NodeStatus string

const (
	NodeWaiting  NodeStatus = "WAITING"
	NodeRunning  NodeStatus = "RUNNING"
	NodeApproved NodeStatus = "APPROVED"
	NodeRejected NodeStatus = "REJECTED"
	NodeCanceled NodeStatus = "CANCELED"
)

// Vote is one approver's standing in the current activation of a node.
type Vote struct {
	Approver string
	Status   TaskStatus
}

// Progress says where a node stands after its votes so far: decided
// (approved or rejected) or running, and for a running SEQUENTIAL node who
// is next to be asked.
type Progress struct {
	Status NodeStatus
	// Ask lists approvers who should hold a pending task now and do not.
	Ask []string
}

// Tally decides a node from its approvers (in order) and the votes of its
// current activation. Transferred, canceled and returned tasks carry no
// vote; the transferee's task does.
//
//   - ALL: one rejection rejects; approved once every approver approved.
//   - ANY: the first decision decides.
//   - SEQUENTIAL: one rejection rejects; each approver is asked once the
//     one before approved; approved after the last.
func Tally(mode Mode, approvers []string, votes []Vote) Progress {
	got := map[string]TaskStatus{}
	for _, v := range votes {
		switch v.Status {
		case TaskApproved, TaskRejected, TaskPending:
			got[v.Approver] = v.Status
		}
	}
	approved := 0
	for _, a := range approvers {
		switch got[a] {
		case TaskRejected:
			return Progress{Status: NodeRejected}
		case TaskApproved:
			if mode == ModeAny {
				return Progress{Status: NodeApproved}
			}
			approved++
		}
	}
	if approved == len(approvers) {
		return Progress{Status: NodeApproved}
	}
	var ask []string
	for _, a := range approvers {
		switch got[a] {
		case TaskApproved:
			continue
		case "":
			ask = append(ask, a)
		}
		if mode == ModeSequential {
			break
		}
	}
	return Progress{Status: NodeRunning, Ask: ask}
}

// Final reports whether an approval in s can no longer change (REVOKED
// after APPROVED being the one exception, see revoke).
func (s Status) Final() bool {
	return s != StatusRunning && s != StatusReturned
}
