package inbox

import (
	"context"
	"fmt"
	"slices"

	"github.com/corpline/corpline/ent"
)

// Delivery is one message on its way into inboxes. Its entries carry the
// message's app and conversation, by which the inbox counts unread ones.
type Delivery struct {
	Message *ent.Message
	// Members receive it, each once.
	Members []string
	// Withheld marks entries whose content is not readable (forwards of a
	// confidential message).
	Withheld bool
	// ReadBy is a member whose entry is born read: the sender of a
	// conversation message, who sees it in their own stream.
	ReadBy string
}

// Deliver writes one inbox entry per member for a message. The sender
// writes entries into other members' inboxes: who they are was read through
// the sender's reach (policy.ReachOf), or is a conversation's members
// (policy.AllowInboxEntryWrites).
func (s *Service) Deliver(ctx context.Context, d Delivery) error {
	now := s.now()
	return s.writeEntries(ctx, d.Message.EnterpriseID, d.Members, func(c *ent.InboxEntryCreate, m string) {
		c.SetMessageID(d.Message.ID).
			SetConfidential(d.Message.Confidential).
			SetWithheld(d.Withheld).
			SetNillableAppID(d.Message.AppID).
			SetNillableConversationID(d.Message.ConversationID)
		if m == d.ReadBy {
			c.SetReadAt(now)
		}
	})
}

// writeEntries writes one inbox entry per member, numbered by their
// counters, in the request's transaction, and wakes their connections after
// commit; fill sets what the entry carries. Who the members are is decided
// by the caller: a send's reach, a conversation's members, an item's people.
func (s *Service) writeEntries(ctx context.Context, enterpriseID string, memberIDs []string, fill func(*ent.InboxEntryCreate, string)) error {
	members := slices.Clone(memberIDs)
	slices.Sort(members)
	members = slices.Compact(members)
	if len(members) == 0 {
		return nil
	}
	slots, err := s.bump(ctx, enterpriseID, members, true)
	if err != nil {
		return err
	}
	db := s.db(ctx)
	now := s.now()
	for start := 0; start < len(members); start += chunk {
		part := members[start:min(start+chunk, len(members))]
		creates := make([]*ent.InboxEntryCreate, len(part))
		for i, m := range part {
			sl := slots[m]
			c := db.InboxEntry.Create().
				SetMemberID(m).
				SetSeq(sl.Seq).
				SetVersion(sl.Version).
				SetCreatedVersion(sl.Version).
				SetCreatedAt(now)
			fill(c, m)
			creates[i] = c
		}
		if err := db.InboxEntry.CreateBulk(creates...).Exec(ctx); err != nil {
			return fmt.Errorf("deliver: %w", err)
		}
	}
	s.publish(ctx, members)
	return nil
}
