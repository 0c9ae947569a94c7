package messaging

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/batch"
	"github.com/corpline/corpline/internal/policy"
)

// A woken subscription re-checks its viewer (auth.Recheck gathers those of
// subscriptions woken together) and reads what changed: the reads too are
// gathered, one statement for a few hundred subscribers.

// liveRead asks for a member's changes after pos.
type liveRead struct {
	memberID string
	pos      Position
}

func (s *Service) newBatchers() {
	s.reads = &batch.Loader[liveRead, []*ent.InboxEntry]{Load: s.readLive}
}

// readLive reads every change after each member's position, in one query.
// It serves subscribers that had caught up, whose backlog is what arrived
// since their last wake-up; a replay from an old cursor pages instead.
func (s *Service) readLive(ctx context.Context, reqs []liveRead) (map[liveRead][]*ent.InboxEntry, error) {
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
		All(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("inbox stream: %w", err)
	}
	byMember := map[string][]*ent.InboxEntry{}
	for _, e := range es {
		byMember[e.MemberID] = append(byMember[e.MemberID], e)
	}
	out := make(map[liveRead][]*ent.InboxEntry, len(reqs))
	for _, r := range reqs {
		// One member may have two subscriptions at different positions.
		var es []*ent.InboxEntry
		for _, e := range byMember[r.memberID] {
			if e.Version > r.pos.Version || (e.Version == r.pos.Version && e.Seq > r.pos.Seq) {
				es = append(es, e)
			}
		}
		out[r] = es
	}
	return out, nil
}

// after is the predicate of the changes after pos.
func after(pos Position) predicate.InboxEntry {
	return inboxentry.Or(
		inboxentry.VersionGT(pos.Version),
		inboxentry.And(inboxentry.Version(pos.Version), inboxentry.SeqGT(pos.Seq)),
	)
}
