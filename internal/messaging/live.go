package messaging

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// The batched halves of a live subscription's wake-up: re-check the viewer,
// then read what changed. Both run for many subscribers at once.

// liveRead asks for a member's changes after pos.
type liveRead struct {
	memberID string
	pos      Position
}

func (s *Service) newBatchers() {
	s.rechecks = newBatcher(func(vs []*viewer.Viewer) ([]*viewer.Viewer, []error) {
		// The batch outlives any one subscriber's context.
		return s.auth.RevalidateMany(context.Background(), vs)
	})
	s.reads = newBatcher(s.readLive)
}

// readLive reads every change after each member's position, in one query.
// It serves subscribers that had caught up, whose backlog is what arrived
// since their last wake-up; a replay from an old cursor pages instead.
func (s *Service) readLive(reqs []liveRead) ([][]*ent.InboxEntry, []error) {
	out, errs := make([][]*ent.InboxEntry, len(reqs)), make([]error, len(reqs))
	// Each term is one range of the (member_id, version, seq) index, a
	// shape both databases turn into index lookups; the seq tiebreak at
	// the position's own version is applied below.
	ps := make([]predicate.InboxEntry, len(reqs))
	for i, r := range reqs {
		ps[i] = inboxentry.And(inboxentry.MemberID(r.memberID), inboxentry.VersionGTE(r.pos.Version))
	}
	// Each subscriber's own entries, recalled ones included (see drain).
	es, err := s.client.InboxEntry.Query().
		Where(inboxentry.Or(ps...)).
		Order(inboxentry.ByVersion(), inboxentry.BySeq()).
		All(policy.SystemContext(context.Background()))
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("inbox stream: %w", err)
		}
		return out, errs
	}
	byMember := map[string][]*ent.InboxEntry{}
	for _, e := range es {
		byMember[e.MemberID] = append(byMember[e.MemberID], e)
	}
	for i, r := range reqs {
		// One member may have two subscriptions at different positions.
		for _, e := range byMember[r.memberID] {
			if e.Version > r.pos.Version || (e.Version == r.pos.Version && e.Seq > r.pos.Seq) {
				out[i] = append(out[i], e)
			}
		}
	}
	return out, errs
}

// after is the predicate of the changes after pos.
func after(pos Position) predicate.InboxEntry {
	return inboxentry.Or(
		inboxentry.VersionGT(pos.Version),
		inboxentry.And(inboxentry.Version(pos.Version), inboxentry.SeqGT(pos.Seq)),
	)
}
