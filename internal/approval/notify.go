package approval

import "context"

// NoticeKind says why a member is told about an approval.
type NoticeKind string

// The notices of approvals, each an inbox entry that references the approval.
const (
	NoticeTask    NoticeKind = "TASK"    // a task waits for you
	NoticeResult  NoticeKind = "RESULT"  // your approval ended
	NoticeCc      NoticeKind = "CC"      // an approval was copied to you
	NoticeUrge    NoticeKind = "URGE"    // the applicant urges your task
	NoticeReturn  NoticeKind = "RETURN"  // your approval was returned to you
	NoticeMention NoticeKind = "MENTION" // you were mentioned in a comment
)

// Notice tells one member about one approval.
type Notice struct {
	Kind       NoticeKind
	MemberID   string
	ApprovalID string
}

// Notifier puts notices into members' inboxes, in the action's transaction
// (ctx's), and wakes their inbox streams after commit.
type Notifier interface {
	Notify(ctx context.Context, notices []Notice) error
}

type noNotifier struct{}

func (noNotifier) Notify(context.Context, []Notice) error { return nil }
