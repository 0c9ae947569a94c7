// Package lifecycle holds the rules of a member's life in an enterprise:
// following (activation through an invite, with identity match and,
// per enterprise, secondary verification), disabling, enabling and deleting.
//
// What must follow each event at once, because a disabled or deleted member
// must lose access on every device before the admin's answer: the session table is the gate of every request (package auth refuses a
// disabled member's token with MEMBER_DISABLED), and a wake-up of
// bus.MemberTopic after commit makes live subscriptions re-check their
// viewer and close.
//
// Deleting a member: the member leaves the directory and stops following;
// their sessions, departments, tags, admin role and inbox entries are erased
// from the database (inbox through the Erasers messaging registers). What
// they wrote for others (messages, posts) stays, attributed to a former
// member: the member row stays as a tombstone with status DELETED, their name
// and nothing else (userid freed for reuse, contact data and password
// erased), and no query of the directory returns it.
package lifecycle

import (
	"context"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/invite"
	"github.com/corpline/corpline/internal/ratelimit"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/store"
)

// Eraser erases what belongs to a member being deleted, in the deletion's
// transaction (db), as the admin deleting them: the write rules let an admin
// holding MANAGE_MEMBERS erase what a deleted member they managed leaves
// behind. Messaging registers one that deletes the member's inbox entries.
type Eraser func(ctx context.Context, db *ent.Client, m *ent.Member) error

// Service applies the lifecycle rules.
type Service struct {
	client  *ent.Client
	auth    *auth.Service
	invites *invite.Service
	pub     bus.Publisher
	erasers []Eraser

	perAddr     *ratelimit.Limiter
	perIdentity *ratelimit.Limiter
}

// Options tune a Service; zero values take the defaults.
type Options struct {
	// Erasers run when a member is deleted.
	Erasers []Eraser
	// ActivationFailures is how many failed activations one address may make
	// per 15 minutes (default 20); one identity (enterprise and mobile or
	// email) may fail a quarter as often.
	ActivationFailures int
}

// New returns a Service.
func New(client *ent.Client, authn *auth.Service, invites *invite.Service, pub bus.Publisher, o Options) *Service {
	if o.ActivationFailures == 0 {
		o.ActivationFailures = 20
	}
	s := &Service{
		client: client, auth: authn, invites: invites, pub: pub, erasers: o.Erasers,
		perAddr:     ratelimit.New(o.ActivationFailures, 15*time.Minute),
		perIdentity: ratelimit.New(max(o.ActivationFailures/4, 1), 15*time.Minute),
	}
	return s
}

func (s *Service) db(ctx context.Context) *ent.Client { return store.ClientFrom(ctx, s.client) }

// wake publishes topics once the transaction of ctx has committed.
func (s *Service) wake(ctx context.Context, topics ...string) {
	bus.PublishAfterCommit(ctx, s.pub, topics...)
}
