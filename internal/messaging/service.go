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
	"log/slog"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/batch"
	"github.com/corpline/corpline/internal/ratelimit"
	"github.com/corpline/corpline/internal/realtime"
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
	// make, sustained, with SendBurst at once (defaults 300 and 600).
	SendRate  float64
	SendBurst int
	// StreamBuffer is how many events wait for one subscriber (default 64).
	StreamBuffer int
	// SlowSubscriber is how long a subscriber's buffer may stay full before
	// it is closed as too far behind (default 10s); it resumes by cursor.
	SlowSubscriber time.Duration
	// Recheck is how often a quiet subscription re-checks its viewer, so an
	// expired session ends it even when nothing wakes it (default 30s).
	Recheck time.Duration
	Now     func() time.Time
}

// Service sends, recalls and reads messages, and streams inboxes.
type Service struct {
	client  *ent.Client
	dialect string
	bus     realtime.Bus
	auth    *auth.Service
	senders *ratelimit.Bucket
	opts    Options

	reads *batch.Loader[liveRead, []*ent.InboxEntry]
}

// New returns a Service over client (of the given ent dialect).
func New(client *ent.Client, dialect string, bus realtime.Bus, authn *auth.Service, o Options) *Service {
	if o.SendRate == 0 {
		o.SendRate = 300
	}
	if o.SendBurst == 0 {
		o.SendBurst = 600
	}
	if o.StreamBuffer == 0 {
		o.StreamBuffer = 64
	}
	if o.SlowSubscriber == 0 {
		o.SlowSubscriber = 10 * time.Second
	}
	if o.Recheck == 0 {
		o.Recheck = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	senders := ratelimit.NewBucket(o.SendRate, o.SendBurst)
	senders.Now = o.Now
	s := &Service{client: client, dialect: dialect, bus: bus, auth: authn, senders: senders, opts: o}
	s.newBatchers()
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
		topics[i] = realtime.MemberTopic(id)
	}
	store.AfterCommit(ctx, func() {
		if err := s.bus.Publish(context.Background(), topics...); err != nil {
			// A lost wake-up delays delivery until the next one or the
			// subscriber's recheck; the entries are committed either way.
			slog.Error("publish inbox wake-ups", "err", err, "members", len(memberIDs))
		}
	})
}
