package messaging

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/viewer"
)

// MarkRead marks one entry of the viewer's inbox read, or every entry up
// to and including upTo (by seq). It returns how many changed; entries
// already read keep their first reading time.
func (s *Service) MarkRead(ctx context.Context, entryID, upToEntryID *string) (int, error) {
	v := viewer.FromContext(ctx)
	if v.Kind != viewer.KindMember {
		return 0, apperr.E(apperr.Forbidden, "only members have an inbox")
	}
	if (entryID == nil) == (upToEntryID == nil) {
		return 0, apperr.Input("entryId", "give either entryId or upTo")
	}
	db := s.db(ctx)
	id, field := entryID, "entryId"
	if id == nil {
		id, field = upToEntryID, "upTo"
	}
	e, err := db.InboxEntry.Get(ctx, *id) // the policy shows only the viewer's own
	if ent.IsNotFound(err) {
		return 0, &apperr.Error{Code: apperr.NotFound, Message: "inbox entry not found", Field: field}
	}
	if err != nil {
		return 0, fmt.Errorf("mark read: %w", err)
	}
	which := inboxentry.ID(e.ID)
	if upToEntryID != nil {
		which = inboxentry.SeqLTE(e.Seq)
	}
	n, err := db.InboxEntry.Query().Where(which, inboxentry.ReadAtIsNil()).Count(ctx)
	if err != nil || n == 0 {
		return 0, err
	}
	slots, err := s.bump(ctx, v.EnterpriseID, []string{v.MemberID}, false)
	if err != nil {
		return 0, err
	}
	n, err = db.InboxEntry.Update().
		Where(inboxentry.MemberID(v.MemberID), inboxentry.RecalledAtIsNil(), inboxentry.ReadAtIsNil(), which).
		SetReadAt(s.now()).
		SetVersion(slots[v.MemberID].Version).
		Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("mark read: %w", err)
	}
	s.publish(ctx, []string{v.MemberID})
	return n, nil
}

// Unread counts a member's unread entries, by app and by conversation.
type Unread struct {
	Total         int
	Apps          []UnreadCount // messages from apps, per app
	Conversations []UnreadCount // conversation messages, per conversation
	// Others are messages from admins, outside apps and conversations.
	Others int
}

// UnreadCount is the unread entries of one app or conversation.
type UnreadCount struct {
	ID    string
	Count int
}

// Unread counts the viewer's unread entries. It reads through the inbox
// policy, so it counts exactly what the inbox shows.
func (s *Service) Unread(ctx context.Context) (*Unread, error) {
	var rows []struct {
		AppID          *string `json:"app_id"`
		ConversationID *string `json:"conversation_id"`
		Count          int     `json:"count"`
	}
	err := s.db(ctx).InboxEntry.Query().
		Where(inboxentry.ReadAtIsNil()).
		GroupBy(inboxentry.FieldAppID, inboxentry.FieldConversationID).
		Aggregate(ent.Count()).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("unread: %w", err)
	}
	u := &Unread{Apps: []UnreadCount{}, Conversations: []UnreadCount{}}
	for _, r := range rows {
		u.Total += r.Count
		switch {
		case r.AppID != nil:
			u.Apps = append(u.Apps, UnreadCount{ID: *r.AppID, Count: r.Count})
		case r.ConversationID != nil:
			u.Conversations = append(u.Conversations, UnreadCount{ID: *r.ConversationID, Count: r.Count})
		default:
			u.Others += r.Count
		}
	}
	return u, nil
}
