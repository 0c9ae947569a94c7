// Package inbox keeps members' inboxes: it numbers and writes the entries
// a message delivers, marks them read or recalled, erases a deleted
// member's, and streams each inbox live.
//
// Each member's entries are numbered by a gap-free seq and every change to
// them (delivered, read, recalled) by a version, both from the member's
// counter row, so a subscription replays from a cursor and then follows live
// without gap or duplicate. Every write happens in the request's
// transaction; wake-ups go out through bus.PublishAfterCommit, and the
// database stays the record. What a message says and who may send it is
// package messages' business.
package inbox

import (
	"context"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/store"
)

// Options tune a Service; zero values take the defaults.
type Options struct {
	// Live runs inbox subscriptions: buffers, slow subscribers and the
	// re-check of their viewer are its business (see package live).
	Live *live.Hub
	Now  func() time.Time
}

// Service writes and streams inboxes.
type Service struct {
	client  *ent.Client
	dialect string
	pub     bus.Publisher
	fetches *fetches
	opts    Options
}

// New returns a Service over client (of the given ent dialect).
func New(client *ent.Client, dialect string, pub bus.Publisher, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Service{client: client, dialect: dialect, pub: pub, opts: o}
	s.fetches = newFetches(s)
	return s
}

// db is the client of the request's transaction, if any.
func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

func (s *Service) now() time.Time { return s.opts.Now() }

// publish wakes the live connections of members once the request's
// transaction has committed.
func (s *Service) publish(ctx context.Context, memberIDs []string) {
	topics := make([]string, len(memberIDs))
	for i, id := range memberIDs {
		topics[i] = bus.InboxTopic(id)
	}
	bus.PublishAfterCommit(ctx, s.pub, topics...)
}
