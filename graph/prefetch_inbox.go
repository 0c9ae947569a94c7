package graph

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/lifecycle"
)

// An inbox page reads each entry's message with its content and senderName.
// Content needs the reader's own entry of the message (is it withheld?), and
// senderName whether the sender is a former member: one query each per
// message, 60 more for a page of 30. PrefetchEdges serves the whole page
// instead:
//   - the viewer's entries of the page's messages are the page's own entries
//     (the inbox policy shows the viewer's own only), read with the columns
//     Content checks (readerColumns) and attached to their message as the
//     inbox stream does (messaging.changes); Content reads them there and
//     still checks they are the viewer's. Where the page could not be read
//     that way (entgql counts it apart), they are read in one query through
//     the inbox policy. Every confidential reading is still recorded one by
//     one, by Content.
//   - former senders' names, in one query, for the senders that the sender
//     edge did not load (it loads members of the directory only).

// messagesOf returns the messages of a page of inbox entries.
func messagesOf(res any) []*ent.Message {
	conn, ok := res.(*ent.InboxEntryConnection)
	if !ok || conn == nil {
		return nil
	}
	var msgs []*ent.Message
	for _, e := range conn.Edges {
		if e != nil && e.Node != nil && e.Node.Edges.Message != nil {
			msgs = append(msgs, e.Node.Edges.Message)
		}
	}
	return msgs
}

// readerColumns makes an inbox page read, whatever the client asked, the
// columns Content needs of the viewer's entry (the page's own entries are
// the viewer's): loadReaderEntries then needs no query.
func readerColumns(s *sql.Selector) {
	s.AppendSelect(s.C(inboxentry.FieldMemberID), s.C(inboxentry.FieldWithheld), s.C(inboxentry.FieldRecalledAt))
}

// loadReaderEntries attaches to each message the viewer's entry of it, when
// there is exactly one (what the query of messaging.readerEntry would find);
// otherwise Content queries alone, as it did. A page read with
// readerColumns holds those entries already: each entry of the page that
// carries its member is attached to its message as it is.
func loadReaderEntries(ctx context.Context, db *ent.Client, res any, msgs []*ent.Message) error {
	if conn, ok := res.(*ent.InboxEntryConnection); ok {
		for _, e := range conn.Edges {
			if e != nil && e.Node != nil && e.Node.MemberID != "" && e.Node.Edges.Message != nil && e.Node.Edges.Message.Edges.Entries == nil {
				e.Node.Edges.Message.Edges.Entries = []*ent.InboxEntry{e.Node}
			}
		}
	}
	ids := make([]string, 0, len(msgs))
	for _, m := range msgs {
		if m.Edges.Entries == nil {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	es, err := db.InboxEntry.Query().Where(inboxentry.MessageIDIn(ids...)).All(ctx)
	if err != nil {
		return err
	}
	byMessage := map[string][]*ent.InboxEntry{}
	for _, e := range es {
		if e.MessageID != nil {
			byMessage[*e.MessageID] = append(byMessage[*e.MessageID], e)
		}
	}
	for _, m := range msgs {
		if mine := byMessage[m.ID]; len(mine) == 1 && m.Edges.Entries == nil {
			m.Edges.Entries = mine
		}
	}
	return nil
}

// loadFormerSenders reads the names of the page's former senders in one
// query. A sender the page loaded through the sender edge is in the
// directory (the edge hides former members), so it has no senderName and
// needs no lookup.
func (pf *prefetched) loadFormerSenders(ctx context.Context, lc *lifecycle.Service, msgs []*ent.Message) error {
	var ids, current []string
	for _, m := range msgs {
		switch {
		case m.SenderMemberID == nil:
		case m.Edges.Sender != nil && m.Edges.Sender.ID == *m.SenderMemberID:
			current = append(current, *m.SenderMemberID)
		default:
			ids = append(ids, *m.SenderMemberID)
		}
	}
	names := map[string]string{}
	if len(ids) > 0 {
		var err error
		if names, err = lc.FormerSenderNames(ctx, ids); err != nil {
			return err
		}
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	for _, id := range current {
		pf.formerNames[id] = nil
	}
	for _, id := range ids {
		if n, ok := names[id]; ok {
			pf.formerNames[id] = &n
		} else {
			pf.formerNames[id] = nil
		}
	}
	return nil
}

// formerSenderName returns the prefetched senderName of a sender.
func (pf *prefetched) formerSenderName(memberID string) (*string, bool) {
	if pf == nil {
		return nil, false
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	n, ok := pf.formerNames[memberID]
	return n, ok
}
