// Package realtime wakes live subscriptions when the data they follow changes.
//
// A publish carries no data, only a topic: the database is the record, and a
// woken subscriber reads it again from its cursor. So a lost or duplicated
// wake-up costs a query, never a message. Publish after commit (see
// store.AfterCommit), so nobody reads a row that is then rolled back.
package realtime

import "context"

// Bus carries wake-ups to subscribers, on this process and (with the
// PostgreSQL implementation) on every other one sharing the database.
type Bus interface {
	// Publish wakes every subscriber of each topic.
	Publish(ctx context.Context, topics ...string) error
	// Subscribe returns a channel that receives after each publish of topic
	// (bursts may coalesce into one wake-up) and a function that ends the
	// subscription.
	Subscribe(topic string) (<-chan struct{}, func())
	// SubscribeFunc calls wake after each publish of topic until the
	// returned function is called. wake must not block: it lets an idle
	// subscription wait without a goroutine of its own.
	SubscribeFunc(topic string, wake func()) func()
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
