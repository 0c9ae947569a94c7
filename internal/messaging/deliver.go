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

// deliver writes one inbox entry per member, numbered by their counters,
// in the request's transaction, and wakes their connections after commit.
func (s *Service) deliver(ctx context.Context, d delivery) error {
	members := slices.Clone(d.members)
	slices.Sort(members)
	members = slices.Compact(members)
	slots, err := s.bump(ctx, d.enterpriseID, members, true)
	if err != nil {
		return err
	}
	// The sender writes entries into other members' inboxes: who they are
	// was read through the sender's reach (policy.ReachOf), or is a
	// conversation's members.
	db := s.db(ctx)
	now := s.now()
	for start := 0; start < len(members); start += chunk {
		part := members[start:min(start+chunk, len(members))]
		creates := make([]*ent.InboxEntryCreate, len(part))
		for i, m := range part {
			sl := slots[m]
			c := db.InboxEntry.Create().
				SetMemberID(m).
				SetMessageID(d.message.ID).
				SetSeq(sl.Seq).
				SetVersion(sl.Version).
				SetCreatedVersion(sl.Version).
				SetConfidential(d.message.Confidential).
				SetWithheld(d.withheld).
				SetNillableAppID(d.appID).
				SetNillableConversationID(d.conversationID).
				SetCreatedAt(now)
			if m == d.readBy {
				c.SetReadAt(now)
			}
			creates[i] = c
		}
		if err := db.InboxEntry.CreateBulk(creates...).Exec(ctx); err != nil {
			return fmt.Errorf("deliver: %w", err)
		}
	}
	s.publish(ctx, members)
	return nil
}
