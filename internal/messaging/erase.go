package messaging

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/conversationmember"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
)

// EraseMember erases a deleted member's history in the enterprise account
// (DOMAIN.md, Member lifecycle): their inbox entries and counter, from the
// database, not hidden; and their places in conversations. What they sent
// stays, attributed to a former member; the record of confidential views
// stays too. It is a lifecycle.Eraser: deleteMember runs it in its
// transaction, as the system, once the admin's right is checked.
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
