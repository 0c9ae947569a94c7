package approval

import (
	"context"

	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/viewer"
)

// InboxNotifier puts approval notices into inboxes as entries whose subject
// is the approval (messaging.Notice): the entry copies nothing, so it shows
// the approval as it is now, to whoever may still see it. Event is the
// notice kind (TASK, RESULT, CC, URGE, RETURN, MENTION).
func InboxNotifier(m *messaging.Service) Notifier { return inboxNotifier{m} }

type inboxNotifier struct{ m *messaging.Service }

func (n inboxNotifier) Notify(ctx context.Context, notices []Notice) error {
	v := viewer.FromContext(ctx)
	type key struct {
		kind     NoticeKind
		approval string
	}
	var order []key
	members := map[key][]string{}
	for _, x := range notices {
		k := key{x.Kind, x.ApprovalID}
		if _, ok := members[k]; !ok {
			order = append(order, k)
		}
		members[k] = append(members[k], x.MemberID)
	}
	for _, k := range order {
		err := n.m.Notify(ctx, v.EnterpriseID, messaging.Notice{
			SubjectType: inboxentry.SubjectTypeAPPROVAL,
			SubjectID:   k.approval,
			Event:       string(k.kind),
			ActorID:     v.MemberID,
			Members:     members[k],
		})
		if err != nil {
			return err
		}
	}
	return nil
}
