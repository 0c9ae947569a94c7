package messaging

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/conversationmember"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
)

// EraseMember erases a deleted member's history in the enterprise account:
// their inbox entries and counter, from the database, not hidden, because a
// member who leaves takes their inbox with them; and their places in
// conversations. What they sent stays, attributed to a former member, since
// it is part of others' history; the record of confidential views stays
// too, as the trace of who read what. It is a lifecycle.Eraser:
// deleteMember runs it in its transaction, as the admin deleting them.
func EraseMember(ctx context.Context, db *ent.Client, m *ent.Member) error {
	if _, err := db.InboxEntry.Delete().Where(inboxentry.MemberID(m.ID)).Exec(ctx); err != nil {
		return fmt.Errorf("erase inbox: %w", err)
	}
	if _, err := db.InboxCounter.Delete().Where(inboxcounter.MemberID(m.ID)).Exec(ctx); err != nil {
		return fmt.Errorf("erase inbox counter: %w", err)
	}
	if _, err := db.ConversationMember.Delete().Where(conversationmember.MemberID(m.ID)).Exec(ctx); err != nil {
		return fmt.Errorf("leave conversations: %w", err)
	}
	return nil
}
