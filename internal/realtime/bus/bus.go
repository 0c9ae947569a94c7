// Package bus wakes live subscriptions when the data they follow changes.
//
// A publish carries no data, only a topic: the database is the record, and a
// woken subscriber reads it again from its cursor. So a lost or duplicated
// wake-up costs a query, never a message. Writers publish through
// PublishAfterCommit, so nobody reads a row that is then rolled back.
//
// The two sides of the bus are named for what they do: domain services hold
// a Publisher, the subscription runtime (package live) holds a Subscriber,
// and the composition root builds one Bus that is both.
package bus

import (
	"context"

	"github.com/corpline/corpline/internal/request"
	"github.com/corpline/corpline/internal/store"
)

// Publisher is the writers' side of the bus.
type Publisher interface {
	// Publish wakes every subscriber of each topic.
	Publish(ctx context.Context, topics ...string) error
}

// Subscriber is the readers' side of the bus.
type Subscriber interface {
	// Subscribe returns a channel that receives after each publish of topic
	// (bursts may coalesce into one wake-up) and a function that ends the
	// subscription.
	Subscribe(topic string) (<-chan struct{}, func())
	// SubscribeFunc calls wake after each publish of topic until the
	// returned function is called. wake must not block: it lets an idle
	// subscription wait without a goroutine of its own.
	SubscribeFunc(topic string, wake func()) func()
}

// Bus carries wake-ups to subscribers, on this process and (with the
// PostgreSQL implementation) on every other one sharing the database.
type Bus interface {
	Publisher
	Subscriber
}

// PublishAfterCommit wakes the subscribers of topics once the transaction of
// ctx has committed (never if it rolls back), or at once when ctx has no
// transaction. It is the one way writers publish.
//
// The publish runs on a context that is not cancelled with ctx: the
// request's may be finishing by the time the commit hook runs. A failed
// publish is logged and otherwise ignored: a wake-up is a hint, the rows are
// committed either way, and a subscriber catches up at its next wake-up or
// its quiet re-check. A nil pub or no topics publish nothing.
func PublishAfterCommit(ctx context.Context, pub Publisher, topics ...string) {
	if pub == nil || len(topics) == 0 {
		return
	}
	bg := context.WithoutCancel(ctx)
	store.AfterCommit(ctx, func() {
		if err := pub.Publish(bg, topics...); err != nil {
			request.Logger(bg).ErrorContext(bg, "publish wake-ups", "err", err, "topics", len(topics))
		}
	})
}

// MemberTopic is woken when a member's access changes: their status, their
// sessions, their departments, tags or admin rights. Every live
// subscription of the member re-checks its viewer when woken by it (and
// ends when access is gone).
func MemberTopic(memberID string) string { return "member:" + memberID }

// InboxTopic is woken when a member's inbox changes: an entry delivered,
// read or recalled. Inbox subscriptions read from their cursor when woken
// by it; it says nothing about access, so a message to 10,000 members does
// not re-check 10,000 viewers.
func InboxTopic(memberID string) string { return "inbox:" + memberID }

// EnterpriseTopic is woken when something changes for a whole enterprise
// (its visibility setting, its account being reclaimed).
func EnterpriseTopic(enterpriseID string) string { return "enterprise:" + enterpriseID }
