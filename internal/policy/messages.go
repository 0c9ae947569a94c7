package policy

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/confidentialview"
	"github.com/corpline/corpline/ent/conversation"
	"github.com/corpline/corpline/ent/conversationmember"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/message"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/internal/viewer"
)

// CanBroadcast reports whether v may send messages to targets (members,
// departments, tags, everyone): an app, inside its range, or an admin
// holding SEND_MESSAGES, inside their scope. Other members talk in
// conversations.
func CanBroadcast(v *viewer.Viewer) bool {
	return v != nil && (v.Kind == viewer.KindApp || (v.Kind == viewer.KindMember && v.Admin.Can(viewer.RightSendMessages)))
}

// VisibleMessages is the predicate of the messages v may see: those it sent
// and those in its inbox (not recalled); a super admin also sees every
// message sent outside conversations (for read receipts and confidential
// reads). Seeing a message is not reading its content: see package messages.
func VisibleMessages(v *viewer.Viewer) predicate.Message {
	switch v.Kind {
	case viewer.KindOperator:
		return nil
	case viewer.KindApp:
		return message.AppID(v.AppID)
	case viewer.KindMember:
		ps := []predicate.Message{
			message.SenderMemberID(v.MemberID),
			message.HasEntriesWith(inboxentry.MemberID(v.MemberID), inboxentry.RecalledAtIsNil()),
		}
		if v.IsSuperAdmin() {
			ps = append(ps, message.ConversationIDIsNil())
		}
		return message.Or(ps...)
	}
	return message.IDIn()
}

// FilterVisibleMessages applies VisibleMessages to every message query.
func FilterVisibleMessages() privacy.QueryRule {
	return privacy.MessageQueryRuleFunc(func(ctx context.Context, q *ent.MessageQuery) error {
		if p := VisibleMessages(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// OwnInbox is the predicate of the inbox entries v may see: a member's own,
// except recalled ones. Apps and operators have no inbox.
func OwnInbox(v *viewer.Viewer) predicate.InboxEntry {
	if v.Kind != viewer.KindMember {
		return inboxentry.IDIn()
	}
	return inboxentry.And(inboxentry.MemberID(v.MemberID), inboxentry.RecalledAtIsNil())
}

// FilterOwnInbox applies OwnInbox to every inbox entry query.
func FilterOwnInbox() privacy.QueryRule {
	return privacy.InboxEntryQueryRuleFunc(func(ctx context.Context, q *ent.InboxEntryQuery) error {
		q.Where(OwnInbox(viewer.FromContext(ctx)))
		return privacy.Skip
	})
}

// VisibleConfidentialViews is the predicate of the records of confidential
// reads v may see: a super admin all, a sender those of its messages.
func VisibleConfidentialViews(v *viewer.Viewer) predicate.ConfidentialView {
	switch {
	case v.Kind == viewer.KindOperator, v.IsSuperAdmin():
		return nil
	case v.Kind == viewer.KindApp:
		return confidentialview.HasMessageWith(message.AppID(v.AppID))
	case v.Kind == viewer.KindMember:
		return confidentialview.HasMessageWith(message.SenderMemberID(v.MemberID))
	}
	return confidentialview.IDIn()
}

// FilterVisibleConfidentialViews applies VisibleConfidentialViews to every query of them.
func FilterVisibleConfidentialViews() privacy.QueryRule {
	return privacy.ConfidentialViewQueryRuleFunc(func(ctx context.Context, q *ent.ConfidentialViewQuery) error {
		if p := VisibleConfidentialViews(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// OwnConversations is the predicate of the conversations v is a member of
// now. Conversations are private: admins see only their own.
func OwnConversations(v *viewer.Viewer) predicate.Conversation {
	if v.Kind == viewer.KindOperator {
		return nil
	}
	if v.Kind != viewer.KindMember {
		return conversation.IDIn()
	}
	return conversation.HasParticipantsWith(conversationmember.MemberID(v.MemberID))
}

// FilterOwnConversations applies OwnConversations to every conversation query.
func FilterOwnConversations() privacy.QueryRule {
	return privacy.ConversationQueryRuleFunc(func(ctx context.Context, q *ent.ConversationQuery) error {
		if p := OwnConversations(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// FilterOwnConversationMembers shows who is in a conversation only to its members.
func FilterOwnConversationMembers() privacy.QueryRule {
	return privacy.ConversationMemberQueryRuleFunc(func(ctx context.Context, q *ent.ConversationMemberQuery) error {
		if p := OwnConversations(viewer.FromContext(ctx)); p != nil {
			q.Where(conversationmember.HasConversationWith(p))
		}
		return privacy.Skip
	})
}
