package announcements

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/policy"
)

// audienceMembers lists the active members of a's audience now, but its
// author (who wrote it and needs no entry). It is a tenant-wide read: the
// audience was checked against the publisher's scope when it was set, and
// who is in it is not a question of whom the publisher sees.
func (s *Service) audienceMembers(ctx context.Context, db *ent.Client, a *ent.Announcement) ([]string, error) {
	ctx = policy.TenantRead(ctx)
	q := db.Member.Query().Where(member.StatusEQ(member.StatusACTIVE))
	if a.AuthorID != nil {
		q.Where(member.IDNEQ(*a.AuthorID))
	}
	if p := policy.AudienceMembers(a.Audience); p != nil {
		q.Where(p)
	}
	ids, err := q.IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("announcement audience: %w", err)
	}
	return ids, nil
}

// notice is the inbox news of a's publication for members.
func notice(a *ent.Announcement, members []string) messaging.Notice {
	n := messaging.Notice{
		SubjectType: inboxentry.SubjectTypeANNOUNCEMENT,
		SubjectID:   a.ID,
		Event:       EventPublished,
		ActorID:     deref(a.AuthorID),
		Members:     members,
	}
	return n
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// retraction takes the entries of announcement id out of the inboxes of
// members (all when nil).
func retraction(id string, members []string) messaging.Retraction {
	return messaging.Retraction{SubjectType: inboxentry.SubjectTypeANNOUNCEMENT, SubjectID: id, Members: members}
}
