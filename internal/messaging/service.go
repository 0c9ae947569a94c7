// Package messaging delivers messages into members' inboxes and follows
// those inboxes live.
//
// A send resolves its targets once, cut to the sender's range, and writes
// the message and one inbox entry per recipient in the request's
// transaction: every recipient or none. Each member's entries are numbered
// by a gap-free seq and every change to them (delivered, read, recalled) by
// a version, both from the member's counter row, so a subscription replays
// from a cursor and then follows live without gap or duplicate. Wake-ups go
// through the realtime bus after commit; the database is the record.
package messaging

import (
	"context"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/ratelimit"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/store"
)

// Limits of one send.
const (
	MaxTargetMembers     = 1000
	MaxTargetDepartments = 100
	MaxTargetTags        = 100
	MaxIdempotencyKey    = 128
	// IdempotencyWindow is how long a retried send with the same key
	// answers with the first attempt instead of sending again.
	IdempotencyWindow = 4 * time.Hour
	// RecallWindow is how long after sending a message can be recalled.
	RecallWindow = 24 * time.Hour
)

// Options tune a Service; zero values take the defaults.
type Options struct {
	// SendRate is how many sends a second one sender (app or member) may
	// make, sustained, with SendBurst at once (defaults in package config).
	SendRate  float64
	SendBurst int
	// Live runs inbox subscriptions: buffers, slow subscribers and the
	// re-check of their viewer are its business (see package live).
	Live *live.Hub
	Now  func() time.Time
}

// Service sends, recalls and reads messages, and streams inboxes.
type Service struct {
	client  *ent.Client
	dialect string
	pub     bus.Publisher
	auth    *auth.Service
	senders *ratelimit.Bucket
	fetches *fetches
	opts    Options
}

// New returns a Service over client (of the given ent dialect).
func New(client *ent.Client, dialect string, pub bus.Publisher, authn *auth.Service, o Options) *Service {
	if o.SendRate == 0 {
		o.SendRate = config.DefaultSendRate
	}
	if o.SendBurst == 0 {
		o.SendBurst = config.DefaultSendBurst
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	senders := ratelimit.NewBucket(o.SendRate, o.SendBurst)
	senders.Now = o.Now
	s := &Service{client: client, dialect: dialect, pub: pub, auth: authn, senders: senders, opts: o}
	s.fetches = newFetches(s)
	return s
}

// db is the client of the request's transaction, if any.
func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

func (s *Service) now() time.Time { return s.opts.Now() }

// publish wakes the live connections of members once the request's
// transaction has committed.
func (s *Service) publish(ctx context.Context, memberIDs []string) {
	if len(memberIDs) == 0 {
		return
	}
	topics := make([]string, len(memberIDs))
	for i, id := range memberIDs {
		topics[i] = bus.InboxTopic(id)
	}
	bus.PublishAfterCommit(ctx, s.pub, topics...)
}
