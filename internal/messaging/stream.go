package messaging

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/realtime"
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
	// Reason is set on CLOSED.
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

// streamPage is how many entries one read of the stream takes.
const streamPage = 200

// Stream follows the viewer's inbox: every change after the position
// (every entry, recall and read since, when given; none when nil), then
// live changes as they commit. It subscribes to the bus before it reads, so
// nothing committed in between is lost, and it reads by position, so
// nothing is sent twice. On every wake-up it re-checks the viewer; when the
// member is disabled or deleted or the session ends, the stream closes.
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
	wake, stop := s.bus.Subscribe(realtime.MemberTopic(v.MemberID))
	head, err := s.head(ctx, v.MemberID)
	if err != nil {
		stop()
		return nil, err
	}
	pos := Position{Version: head, Seq: math.MaxInt64}
	if after != nil {
		if after.Version > head {
			stop()
			return nil, apperr.Input("after", "this cursor is ahead of your inbox: it is not one of its events")
		}
		pos = *after
	}
	out := make(chan *Event, s.opts.StreamBuffer)
	go s.follow(ctx, v, pos, wake, stop, out)
	return out, nil
}

// head is the member's last inbox version (0 before their first entry).
func (s *Service) head(ctx context.Context, memberID string) (int64, error) {
	// The counter is the system's row; it is the viewer's own.
	c, err := s.client.InboxCounter.Query().Where(inboxcounter.MemberID(memberID)).Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("inbox head: %w", err)
	}
	return c.Version, nil
}

func (s *Service) follow(ctx context.Context, v *viewer.Viewer, pos Position, wake <-chan struct{}, stop func(), out chan *Event) {
	defer close(out)
	defer stop()
	recheck := time.NewTicker(s.opts.Recheck)
	defer recheck.Stop()
	synced := false
	for {
		fresh, err := s.auth.Recheck(ctx, v)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			// The connection reads nothing more as this member.
			viewer.Adopt(ctx, nil)
			s.close(out, "your access ended: "+safeMessage(err))
			return
		}
		viewer.Adopt(ctx, fresh)
		v = fresh
		if !s.drain(ctx, v, &pos, out, synced) {
			return
		}
		if !synced {
			// Caught up: the replay is over and the stream is live. A client
			// that subscribed without a cursor may load its inbox now.
			p := pos
			if !s.emit(ctx, out, &Event{Kind: EventSync, Position: &p}) {
				return
			}
			synced = true
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-recheck.C:
		}
	}
}

// drain sends every change after pos, advancing pos. A subscriber that has
// caught up reads in a batch with the others woken now; a replay pages.
func (s *Service) drain(ctx context.Context, v *viewer.Viewer, pos *Position, out chan *Event, live bool) bool {
	for {
		var es []*ent.InboxEntry
		var err error
		if live {
			es, _, err = s.reads.Get(ctx, liveRead{memberID: v.MemberID, pos: *pos})
		} else {
			// The stream reads the member's own entries as the system,
			// recalled ones included: their recall is an event too.
			es, err = s.client.InboxEntry.Query().
				Where(inboxentry.MemberID(v.MemberID), after(*pos)).
				Order(inboxentry.ByVersion(), inboxentry.BySeq()).
				Limit(streamPage).
				All(policy.SystemContext(ctx))
		}
		if ctx.Err() != nil {
			return false
		}
		if err != nil {
			slog.ErrorContext(ctx, "inbox stream", "err", err, "member", v.MemberID)
			s.close(out, "internal error; resume from your last cursor")
			return false
		}
		for _, e := range es {
			ev := eventFor(e, *pos)
			*pos = Position{Version: e.Version, Seq: e.Seq}
			if ev == nil {
				continue
			}
			p := *pos
			ev.Position = &p
			if !s.emit(ctx, out, ev) {
				return false
			}
		}
		if live || len(es) < streamPage {
			return true
		}
	}
}

// eventFor says what a changed entry means to a client standing at pos:
// an entry it has not seen is NEW (or nothing, when already recalled), one
// it has seen was READ or RECALLED.
func eventFor(e *ent.InboxEntry, pos Position) *Event {
	seen := e.CreatedVersion < pos.Version || (e.CreatedVersion == pos.Version && e.Seq <= pos.Seq)
	ev := &Event{Seq: &e.Seq, EntryID: &e.ID, MessageID: &e.MessageID, ReadAt: e.ReadAt}
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

// emit hands ev to the subscriber's bounded buffer. A subscriber whose
// buffer stays full for SlowSubscriber is closed as too far behind: it holds
// nobody else back (its wake-ups coalesce, and the database is the record),
// and it resumes by cursor.
func (s *Service) emit(ctx context.Context, out chan *Event, ev *Event) bool {
	select {
	case out <- ev:
		return true
	case <-ctx.Done():
		return false
	default:
	}
	t := time.NewTimer(s.opts.SlowSubscriber)
	defer t.Stop()
	select {
	case out <- ev:
		return true
	case <-ctx.Done():
		return false
	case <-t.C:
		s.close(out, "too far behind: resume from your last cursor")
		return false
	}
}

// close ends a stream with a CLOSED event saying why. Buffered events make
// way for it: the client resumes from the last event it received.
func (s *Service) close(out chan *Event, reason string) {
	for {
		select {
		case <-out:
			continue
		default:
		}
		break
	}
	select {
	case out <- &Event{Kind: EventClosed, Reason: &reason}:
	default:
	}
}

// safeMessage is err's message when it is one of ours, else a generic one.
func safeMessage(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Message
	}
	slog.Error("inbox stream: revalidate", "err", err)
	return "internal error"
}
