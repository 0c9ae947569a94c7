package messaging

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/request"
	"github.com/corpline/corpline/internal/viewer"
)

// EventKind is what happened in an inbox.
type EventKind string

const (
	EventNew      EventKind = "NEW"      // an entry arrived
	EventRead     EventKind = "READ"     // an entry's read state changed
	EventRecalled EventKind = "RECALLED" // an entry was recalled: drop it
	EventSync     EventKind = "SYNC"     // caught up: live from here
	EventClosed   EventKind = "CLOSED"   // the stream ends; Reason says why
)

// Event is one change of a member's inbox, in stream order.
type Event struct {
	Kind EventKind
	// Position is where the stream stands after this event: resume after it.
	// It is nil on CLOSED: resume from the last event received.
	Position  *Position
	Seq       *int64
	EntryID   *string
	MessageID *string
	ReadAt    *time.Time
	// Entry is set for NEW and READ.
	Entry *ent.InboxEntry
	// Code and Reason are set on CLOSED: why it ends (an apperr reason such
	// as SLOW_CONSUMER or MEMBER_DISABLED, else its code, e.g.
	// UNAUTHENTICATED) and what to tell the person.
	Code   *string
	Reason *string
}

// Position is a place in a member's inbox stream: just after the change
// with this version to the entry with this seq. Changes are ordered by
// (version, seq), so resuming after a position misses nothing and repeats
// nothing.
type Position struct{ Version, Seq int64 }

// Cursor is p as an opaque GraphQL cursor.
func (p Position) Cursor() entgql.Cursor[string] {
	return entgql.Cursor[string]{ID: fmt.Sprintf("inbox:%d.%d", p.Version, p.Seq)}
}

// ParsePosition reads a cursor made by Cursor; nil stays nil.
func ParsePosition(c *entgql.Cursor[string]) (*Position, error) {
	if c == nil {
		return nil, nil
	}
	bad := apperr.Input("after", "not an inbox stream cursor: use the cursor of an inbox event")
	rest, ok := strings.CutPrefix(c.ID, "inbox:")
	if !ok {
		return nil, bad
	}
	v, s, ok := strings.Cut(rest, ".")
	version, err1 := strconv.ParseInt(v, 10, 64)
	seq, err2 := strconv.ParseInt(s, 10, 64)
	if !ok || err1 != nil || err2 != nil || version < 0 || seq < 0 {
		return nil, bad
	}
	return &Position{Version: version, Seq: seq}, nil
}

// Stream follows the viewer's inbox: every change after the position
// (every entry, recall and read since, when given; none when nil), then
// live changes as they commit. Package live runs it as every subscription:
// it follows the bus before it reads, so nothing committed in between is
// lost, and it reads by position, so nothing is sent twice; it re-checks
// the viewer on every wake-up (a disabled or deleted member or an ended
// session closes it), holds a bounded buffer, and closes a subscriber that
// falls too far behind. The stream ends with a CLOSED event saying why.
func (s *Service) Stream(ctx context.Context, after *Position) (<-chan *Event, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		// gqlgen runs no root-field middleware for subscriptions: the
		// guard of graph/guard.go does not reach here.
		return nil, apperr.ErrUnauthenticated
	}
	if v.Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members have an inbox")
	}
	head, err := s.head(ctx, v.MemberID)
	if err != nil {
		return nil, err
	}
	// Read before the bus is followed, the head is at worst too low: what
	// commits meanwhile is above it, and read from there.
	pos := Position{Version: head, Seq: math.MaxInt64}
	if after != nil {
		if after.Version > head {
			return nil, apperr.Input("after", "this cursor is ahead of your inbox: it is not one of its events")
		}
		pos = *after
	}
	// The replay reads from the position a page at a time, and ends with
	// SYNC: caught up, live from here (a client that subscribed without a
	// cursor may load its inbox now). The reads after a wake-up are
	// gathered with every other subscription's woken at once (see fetches).
	replaying := true
	return live.Run(ctx, s.opts.Live, live.Source[*Event]{
		Topics: []string{bus.InboxTopic(v.MemberID)},
		Fetch: func(ctx context.Context, limit int) ([]*Event, bool, error) {
			v := viewer.FromContext(ctx)
			if !replaying {
				es, more, err := s.fetches.get(ctx, v.MemberID, pos, limit)
				if err != nil {
					return nil, false, err
				}
				return events(es, &pos), more, nil
			}
			es, more, err := s.entriesAfter(policy.TenantRead(ctx), v.MemberID, pos, limit)
			if err != nil {
				return nil, false, err
			}
			evs := events(es, &pos)
			if !more {
				replaying = false
				p := pos
				evs = append(evs, &Event{Kind: EventSync, Position: &p})
			}
			return evs, more, nil
		},
		Closed: func(err error) *Event { return closed(ctx, err) },
	})
}

// head is the member's last inbox version (0 before their first entry).
func (s *Service) head(ctx context.Context, memberID string) (int64, error) {
	c, err := s.client.InboxCounter.Query().Where(inboxcounter.MemberID(memberID)).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("inbox head: %w", err)
	}
	return c.Version, nil
}

// entriesAfter reads at most limit of the member's entries changed after
// pos, with their messages. The stream reads a member's own entries with
// policy.TenantRead, because recalled ones (which the inbox policy hides)
// are events too; it shows no message of a recalled entry (see events).
func (s *Service) entriesAfter(ctx context.Context, memberID string, pos Position, limit int) ([]*ent.InboxEntry, bool, error) {
	es, err := s.client.InboxEntry.Query().
		WithMessage().
		Where(inboxentry.MemberID(memberID), after(pos)).
		Order(inboxentry.ByVersion(), inboxentry.BySeq()).
		Limit(limit).
		All(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("inbox stream: %w", err)
	}
	return es, len(es) == limit, nil
}

// after is the predicate of the entries changed after pos.
func after(pos Position) predicate.InboxEntry {
	return inboxentry.Or(
		inboxentry.VersionGT(pos.Version),
		inboxentry.And(inboxentry.Version(pos.Version), inboxentry.SeqGT(pos.Seq)),
	)
}

// events turns entries, in stream order, into the events a client at pos
// gets, and advances pos past them. Each message comes with the reader's
// entry as its only loaded entry, as the inbox policy would load it (a
// recipient sees the message of its entry): resolving `entry { message {
// content } }` then needs no query per event, which a fan-out to
// thousands would feel.
func events(es []*ent.InboxEntry, pos *Position) []*Event {
	out := make([]*Event, 0, len(es))
	for _, e := range es {
		if m := e.Edges.Message; m != nil && e.RecalledAt == nil {
			own := *m // entries of several members may share one loaded message
			own.Edges.Entries = []*ent.InboxEntry{e}
			e.Edges.Message = &own
		}
		ev := eventFor(e, *pos)
		*pos = Position{Version: e.Version, Seq: e.Seq}
		if ev == nil {
			continue
		}
		p := *pos
		ev.Position = &p
		out = append(out, ev)
	}
	return out
}

// closed is the last event of a stream that ends for err.
func closed(ctx context.Context, err error) *Event {
	code := apperr.ReasonOf(err)
	if code == "" {
		code = string(apperr.Internal)
	}
	reason := safeMessage(ctx, err)
	if code == string(apperr.SlowConsumer) {
		reason = "too far behind: resume from your last cursor"
	}
	return &Event{Kind: EventClosed, Code: &code, Reason: &reason}
}

// eventFor says what a changed entry means to a client standing at pos:
// an entry it has not seen is NEW (or nothing, when already recalled), one
// it has seen was READ or RECALLED.
func eventFor(e *ent.InboxEntry, pos Position) *Event {
	seen := e.CreatedVersion < pos.Version || (e.CreatedVersion == pos.Version && e.Seq <= pos.Seq)
	ev := &Event{Seq: &e.Seq, EntryID: &e.ID, MessageID: e.MessageID, ReadAt: e.ReadAt}
	switch {
	case e.RecalledAt != nil && !seen:
		return nil
	case e.RecalledAt != nil:
		ev.Kind = EventRecalled
	case !seen:
		ev.Kind, ev.Entry = EventNew, e
	default:
		ev.Kind, ev.Entry = EventRead, e
	}
	return ev
}

// safeMessage is err's message when it is one of ours, else a generic one
// (the error itself goes to the request's log).
func safeMessage(ctx context.Context, err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Message
	}
	request.Logger(ctx).ErrorContext(ctx, "inbox stream: revalidate", "err", err)
	return "internal error"
}
