package messaging

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/policy"
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

// Retraction takes the entries about one item out of inboxes: the item was
// withdrawn, or the members can no longer see it.
type Retraction struct {
	SubjectType inboxentry.SubjectType
	SubjectID   string
	// Members whose entries go; nil for everyone's.
	Members []string
}

// Retract marks the entries of r recalled with a new version of their
// members' inboxes, in the request's transaction, so live subscriptions and
// ones resuming later both learn of it (RECALLED), and wakes the members
// after commit. It returns the members whose entries went.
func (s *Service) Retract(ctx context.Context, enterpriseID string, r Retraction) ([]string, error) {
	db := s.db(ctx)
	where := []predicate.InboxEntry{
		inboxentry.SubjectTypeEQ(r.SubjectType),
		inboxentry.SubjectID(r.SubjectID),
		inboxentry.RecalledAtIsNil(),
	}
	if r.Members != nil {
		if len(r.Members) == 0 {
			return nil, nil
		}
		where = append(where, inboxentry.MemberIDIn(r.Members...))
	}
	// Whose entries these are is read tenant-wide; changing them is the
	// write rule's to allow (policy.AllowInboxEntryWrites: the item's
	// managers, or the member themself).
	members, err := db.InboxEntry.Query().Where(where...).Select(inboxentry.FieldMemberID).Strings(policy.TenantRead(ctx))
	if err != nil || len(members) == 0 {
		return nil, err
	}
	if _, err := s.bump(ctx, enterpriseID, members, false); err != nil {
		return nil, err
	}
	err = db.InboxEntry.Update().
		Where(where...).
		SetRecalledAt(s.now()).
		Modify(setVersionFromCounter).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("retract: %w", err)
	}
	s.publish(ctx, members)
	return members, nil
}
