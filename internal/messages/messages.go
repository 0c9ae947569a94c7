// Package messages sends messages: to targets cut to the sender's range
// (send, forward), into a conversation (post); and recalls them, reads their
// content and counts their read receipts.
//
// Every message takes one path (broadcast): a retried send answers with
// the first attempt, the sender spends a token of its rate, the recipients
// are decided (a send resolves its targets once, cut to the sender's reach;
// a post goes to the conversation's members), and the message and one inbox
// entry per recipient are written in the request's transaction: every
// recipient or none. Package inbox numbers and streams the entries.
package messages

import (
	"context"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/inbox"
	"github.com/corpline/corpline/internal/ratelimit"
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
	Now       func() time.Time
}

// Service sends, recalls and reads messages.
type Service struct {
	client  *ent.Client
	inbox   *inbox.Service
	senders *ratelimit.Bucket
	opts    Options
}

// New returns a Service over client that delivers into inboxes.
func New(client *ent.Client, inboxes *inbox.Service, o Options) *Service {
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
	return &Service{client: client, inbox: inboxes, senders: senders, opts: o}
}

// db is the client of the request's transaction, if any.
func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

func (s *Service) now() time.Time { return s.opts.Now() }
