package policy

import (
	"context"

	"entgo.io/ent/dialect/sql"
	"slices"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/announcement"
	"github.com/corpline/corpline/ent/conversation"
	"github.com/corpline/corpline/ent/conversationmember"
	"github.com/corpline/corpline/ent/inboxcounter"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/message"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/ent/session"
	"github.com/corpline/corpline/internal/viewer"
)

// The write rules of messages, inboxes and conversations. None of them
// reads the database: a send writes thousands of entries, and a rule that
// asked a question per row would cost a statement per recipient. What they
// cannot see in the row itself (whether a recipient is inside the sender's
// reach, whether a conversation's members see each other) the domain
// package decided with reads through Reach and the visibility rules, in the
// same transaction.

// SentBy is the predicate of the messages v sent: an app's, or a member's.
func SentBy(v *viewer.Viewer) predicate.Message {
	switch v.Kind {
	case viewer.KindApp:
		return message.AppID(v.AppID)
	case viewer.KindMember:
		return message.SenderMemberID(v.MemberID)
	}
	return message.IDIn()
}

// SenderRef names v as a sender, for idempotency keys and send limits: the
// app or the member.
func SenderRef(v *viewer.Viewer) string {
	if v.Kind == viewer.KindApp {
		return v.AppID
	}
	return v.MemberID
}

// AllowMessageWrites lets a sender write its own messages: an app or a
// member creates a message in its own name (a member broadcasts only with
// SEND_MESSAGES; without it, they forward to named members or post in a
// conversation), and updates (recalls, releases a key of) only messages it
// sent. Nobody deletes a message.
func AllowMessageWrites() privacy.MutationRule {
	return privacy.MessageMutationRuleFunc(func(ctx context.Context, m *ent.MessageMutation) error {
		v := viewer.FromContext(ctx)
		if v.Kind != viewer.KindApp && v.Kind != viewer.KindMember {
			return denyForbidden()
		}
		switch {
		case m.Op().Is(ent.OpCreate):
			app, isApp := m.AppID()
			sender, isMember := m.SenderMemberID()
			ref, _ := m.SenderRef()
			_, inConversation := m.ConversationID()
			_, forwarded := m.ForwardedFromID()
			switch {
			case ref != SenderRef(v),
				v.Kind == viewer.KindApp && (!isApp || app != v.AppID || isMember),
				v.Kind == viewer.KindMember && (!isMember || sender != v.MemberID || isApp),
				v.Kind == viewer.KindApp && inConversation,
				v.Kind == viewer.KindMember && !inConversation && !forwarded && !CanBroadcast(v):
				return denyForbidden()
			}
			return privacy.Allow
		case m.Op().Is(ent.OpUpdate | ent.OpUpdateOne):
			m.Where(SentBy(v))
			return privacy.Allow
		}
		return denyForbidden()
	})
}

// AllowInboxEntryWrites lets a sender deliver entries of its message (an
// app's entries carry its app), a member mark their own entries read, a
// sender recall the entries of its messages, and an admin holding
// MANAGE_MEMBERS erase the inbox of a deleted member they managed.
func AllowInboxEntryWrites() privacy.MutationRule {
	return privacy.InboxEntryMutationRuleFunc(func(ctx context.Context, m *ent.InboxEntryMutation) error {
		v := viewer.FromContext(ctx)
		switch {
		case m.Op().Is(ent.OpCreate):
			app, isApp := m.AppID()
			switch {
			case v.Kind == viewer.KindApp && isApp && app == v.AppID,
				v.Kind == viewer.KindMember && !isApp:
				return privacy.Allow
			}
		case m.Op().Is(ent.OpUpdate | ent.OpUpdateOne):
			own := []predicate.InboxEntry{inboxentry.HasMessageWith(SentBy(v))}
			if v.Kind == viewer.KindMember {
				own = append(own, inboxentry.MemberID(v.MemberID), announcementEntriesManaged(v))
			}
			m.Where(inboxentry.Or(own...))
			return privacy.Allow
		case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
			if p := formerMembersManaged(v); p != nil {
				m.Where(inboxentry.HasMemberWith(p))
				return privacy.Allow
			}
		}
		return denyForbidden()
	})
}

// FilterOwnInboxCounter shows a member their own inbox counter (the head
// of their stream); apps and operators have none.
func FilterOwnInboxCounter() privacy.QueryRule {
	return privacy.InboxCounterQueryRuleFunc(func(ctx context.Context, q *ent.InboxCounterQuery) error {
		v := viewer.FromContext(ctx)
		if v.Kind != viewer.KindMember {
			q.Where(inboxcounter.IDIn())
			return privacy.Skip
		}
		q.Where(inboxcounter.MemberID(v.MemberID))
		return privacy.Skip
	})
}

// AllowInboxCounterErase lets an admin holding MANAGE_MEMBERS erase the
// counter of a deleted member they managed. Counters are otherwise written
// only by the upsert that numbers deliveries, in the sender's transaction.
func AllowInboxCounterErase() privacy.MutationRule {
	return privacy.InboxCounterMutationRuleFunc(func(ctx context.Context, m *ent.InboxCounterMutation) error {
		if p := formerMembersManaged(viewer.FromContext(ctx)); p != nil && m.Op().Is(ent.OpDelete|ent.OpDeleteOne) {
			m.Where(inboxcounter.HasMemberWith(p))
			return privacy.Allow
		}
		return denyForbidden()
	})
}

// AllowOwnConfidentialView lets a member record their own reading of a
// confidential message; the record is never changed.
func AllowOwnConfidentialView() privacy.MutationRule {
	return privacy.ConfidentialViewMutationRuleFunc(func(ctx context.Context, m *ent.ConfidentialViewMutation) error {
		v := viewer.FromContext(ctx)
		if id, ok := m.MemberID(); ok && m.Op().Is(ent.OpCreate) && v.Kind == viewer.KindMember && id == v.MemberID {
			return privacy.Allow
		}
		return denyForbidden()
	})
}

// AllowConversationWrites lets a member create a conversation they start
// (its members, whom they must see, are checked by package conversation
// through the member visibility rule) and update the conversations they
// are in. Conversations are never deleted.
func AllowConversationWrites() privacy.MutationRule {
	return privacy.ConversationMutationRuleFunc(func(ctx context.Context, m *ent.ConversationMutation) error {
		v := viewer.FromContext(ctx)
		if v.Kind != viewer.KindMember {
			return denyForbidden()
		}
		switch {
		case m.Op().Is(ent.OpCreate):
			if by, ok := m.CreatedBy(); ok && by == v.MemberID {
				return privacy.Allow
			}
		case m.Op().Is(ent.OpUpdate | ent.OpUpdateOne):
			m.Where(OwnConversations(v))
			return privacy.Allow
		}
		return denyForbidden()
	})
}

// AllowConversationMemberWrites lets a member place members in a
// conversation they start or are in, a conversation's creator remove
// anyone from it and every member remove themselves, and an admin holding
// MANAGE_MEMBERS erase the places of a deleted member they managed.
func AllowConversationMemberWrites() privacy.MutationRule {
	return privacy.ConversationMemberMutationRuleFunc(func(ctx context.Context, m *ent.ConversationMemberMutation) error {
		v := viewer.FromContext(ctx)
		switch {
		case m.Op().Is(ent.OpCreate):
			if v.Kind == viewer.KindMember {
				return privacy.Allow
			}
		case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
			var ps []predicate.ConversationMember
			if v.Kind == viewer.KindMember {
				ps = append(ps, conversationmember.And(
					conversationmember.HasConversationWith(OwnConversations(v)),
					conversationmember.Or(
						conversationmember.MemberID(v.MemberID),
						conversationmember.HasConversationWith(conversation.CreatedBy(v.MemberID)),
					),
				))
			}
			if p := formerMembersManaged(v); p != nil {
				ps = append(ps, conversationmember.HasMemberWith(p))
			}
			if len(ps) > 0 {
				m.Where(conversationmember.Or(ps...))
				return privacy.Allow
			}
		}
		return denyForbidden()
	})
}

// FilterSessionWrites lets a member revoke their own sessions, and an
// admin holding MANAGE_MEMBERS end those of the members they manage (on
// disabling or deleting them). Sessions are opened only by sign-in.
func FilterSessionWrites() privacy.MutationRule {
	return privacy.SessionMutationRuleFunc(func(ctx context.Context, m *ent.SessionMutation) error {
		if m.Op().Is(ent.OpCreate) {
			return denyForbidden()
		}
		v := viewer.FromContext(ctx)
		own := session.MemberID(v.MemberID)
		if RequireRight(v, viewer.RightManageMembers) != nil {
			m.Where(own)
			return privacy.Skip
		}
		if scope := MembersInScope(v); scope != nil {
			m.Where(session.Or(own, session.HasMemberWith(scope)))
		}
		return privacy.Skip
	})
}

// AllowAppTokenRevoke lets an admin holding MANAGE_APPS revoke an app's
// tokens (rotating its secret ends them). Tokens are issued and read only
// by sign-in (package auth).
func AllowAppTokenRevoke() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if m.Op().Is(ent.OpDelete|ent.OpDeleteOne) && RequireRight(viewer.FromContext(ctx), viewer.RightManageApps) == nil {
			return privacy.Allow
		}
		return denyForbidden()
	})
}

// verifierFields are what an app's decision on a pending member writes:
// approved (ACTIVE, activated now) or sent back (INVITED, forgetting the
// password and referral they gave).
var verifierFields = []string{member.FieldStatus, member.FieldActivatedAt, member.FieldUpdatedAt, member.FieldPasswordHash, member.FieldReferredBy}

// AllowAppVerifierDecisions lets an app approve or reject the pending
// members of its visible range (secondary verification by the enterprise's
// own system). Apps write no other directory row.
func AllowAppVerifierDecisions() privacy.MutationRule {
	return privacy.MemberMutationRuleFunc(func(ctx context.Context, m *ent.MemberMutation) error {
		v := viewer.FromContext(ctx)
		if v.Kind != viewer.KindApp || !m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) {
			return privacy.Skip
		}
		for _, f := range append(m.Fields(), m.ClearedFields()...) {
			if !slices.Contains(verifierFields, f) {
				return denyForbidden()
			}
		}
		if len(m.AddedFields()) > 0 || len(m.AddedEdges()) > 0 || len(m.RemovedEdges()) > 0 || len(m.ClearedEdges()) > 0 {
			return denyForbidden()
		}
		m.Where(member.StatusEQ(member.StatusPENDING))
		if p := VisibleMembers(v); p != nil {
			m.Where(p)
		}
		return privacy.Allow
	})
}

// formerMembersManaged is the predicate of the deleted members whose rows
// v erases: those of their scope, for an admin holding MANAGE_MEMBERS; nil
// for everyone else.
func formerMembersManaged(v *viewer.Viewer) predicate.Member {
	if RequireRight(v, viewer.RightManageMembers) != nil {
		return nil
	}
	p := member.StatusEQ(member.StatusDELETED)
	if scope := MembersInScope(v); scope != nil {
		p = member.And(p, scope)
	}
	return p
}

// announcementEntriesManaged is the predicate of the inbox entries about
// announcements v manages (ManagedAnnouncements): withdrawing one takes
// its entries out of its audience's inboxes.
func announcementEntriesManaged(v *viewer.Viewer) predicate.InboxEntry {
	return func(s *sql.Selector) {
		t := sql.Table(announcement.Table)
		sub := sql.Select(t.C(announcement.FieldID)).From(t)
		if p := ManagedAnnouncements(v); p != nil {
			p(sub)
		}
		s.Where(sql.And(
			sql.EQ(s.C(inboxentry.FieldSubjectType), inboxentry.SubjectTypeANNOUNCEMENT),
			sql.In(s.C(inboxentry.FieldSubjectID), sub),
		))
	}
}
