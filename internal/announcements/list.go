package announcements

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/announcement"
	"github.com/corpline/corpline/ent/announcementread"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/viewer"
)

// Filter narrows a list of the announcements the viewer sees.
type Filter struct {
	Pinned *bool
	Read   *bool
}

// Predicates turns f into predicates over the viewer's announcements (the
// ent policy has already narrowed them to those the viewer sees).
func (f Filter) Predicates(ctx context.Context) []predicate.Announcement {
	var ps []predicate.Announcement
	now := clock.Now(ctx)
	if f.Pinned != nil {
		pinned := announcement.And(announcement.PinnedUntilNotNil(), announcement.PinnedUntilGT(now))
		if !*f.Pinned {
			pinned = announcement.Or(announcement.PinnedUntilIsNil(), announcement.PinnedUntilLTE(now))
		}
		ps = append(ps, pinned)
	}
	if f.Read != nil {
		me := ""
		if v := viewer.FromContext(ctx); v != nil {
			me = v.MemberID
		}
		read := announcement.HasReadsWith(announcementread.MemberID(me), announcementread.First(true))
		if !*f.Read {
			read = announcement.Not(read)
		}
		ps = append(ps, read)
	}
	return ps
}

// Pinned reports whether a is pinned now.
func Pinned(ctx context.Context, a *ent.Announcement) bool {
	return a.PinnedUntil != nil && clock.Now(ctx).Before(*a.PinnedUntil)
}
