package messaging

import (
	"context"
	"fmt"
	"slices"

	"github.com/corpline/corpline/ent"
)

// delivery is one message on its way into inboxes.
type delivery struct {
	enterpriseID   string
	message        *ent.Message
	members        []string
	appID          *string
	conversationID *string
	// withheld marks entries whose content is not readable (forwards of a
	// confidential message).
	withheld bool
	// readBy is a member whose entry is born read: the sender of a
	// conversation message, who sees it in their own stream.
	readBy string
}

// deliver writes one inbox entry per member for a message.
func (s *Service) deliver(ctx context.Context, d delivery) error {
	now := s.now()
	return s.writeEntries(ctx, d.enterpriseID, d.members, func(c *ent.InboxEntryCreate, m string) {
		c.SetMessageID(d.message.ID).
			SetConfidential(d.message.Confidential).
			SetWithheld(d.withheld).
			SetNillableAppID(d.appID).
			SetNillableConversationID(d.conversationID)
		if m == d.readBy {
			c.SetReadAt(now)
		}
	})
}

// writeEntries writes one inbox entry per member, numbered by their
// counters, in the request's transaction, and wakes their connections after
// commit; fill sets what the entry carries. The writer puts entries into
// other members' inboxes: who they are was read through the writer's reach
// (policy.ReachOf), or is decided by the domain package that calls (a
// conversation's members, an assignment's people).
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
