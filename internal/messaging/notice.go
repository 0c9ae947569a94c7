package messaging

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
)

// Notice is news about an item of an office app (an assignment, an
// announcement, an approval) for the inboxes of the members it concerns.
//
// Its entries reference the item by type and ID and copy none of its text:
// a client shows the item as it is now, and an entry whose item the member
// may no longer see shows nothing (its subject resolves to null). Every app
// uses this one kind of entry, so the inbox stream, unread counts and
// erasure treat them alike.
type Notice struct {
	SubjectType inboxentry.SubjectType
	SubjectID   string
	// Event says what happened (ASSIGNED, COMPLETED, PUBLISHED...), in the
	// words of the item's app.
	Event string
	// ActorID is the member whose action this reports, if any.
	ActorID string
	Members []string
}

// Notify writes one entry of n into each member's inbox, in the request's
// transaction, and wakes their live connections after commit. The caller
// decided who is concerned; it leaves the actor out of Members when the
// actor need not hear of their own action.
func (s *Service) Notify(ctx context.Context, enterpriseID string, n Notice) error {
	var actor *string
	if n.ActorID != "" {
		actor = &n.ActorID
	}
	return s.writeEntries(ctx, enterpriseID, n.Members, func(c *ent.InboxEntryCreate, _ string) {
		c.SetSubjectType(n.SubjectType).
			SetSubjectID(n.SubjectID).
			SetSubjectEvent(n.Event).
			SetNillableActorID(actor)
	})
}
