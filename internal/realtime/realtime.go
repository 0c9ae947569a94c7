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

// MemberTopic is woken when anything a member's live connections follow
// changes: their inbox, their read state, their departments, their status or
// sessions. A woken subscription re-checks its viewer before reading.
func MemberTopic(memberID string) string { return "member:" + memberID }

// EnterpriseTopic is woken when something changes for a whole enterprise
// (its visibility setting, its account being reclaimed).
func EnterpriseTopic(enterpriseID string) string { return "enterprise:" + enterpriseID }
