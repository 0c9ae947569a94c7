package graph

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/lifecycle"
)

// An inbox page reads each entry's message with its content and senderName.
// Content needs the reader's own entry of the message (is it withheld?), and
// senderName whether the sender is a former member: one query each per
// message, 60 more for a page of 30. PrefetchEdges loads both for the whole
// page instead:
//   - the viewer's entries of the page's messages, read through the inbox
//     policy (it shows the viewer's own only) as Content would, and attached
//     to their message as the inbox stream does (messaging.changes); Content
//     reads them there and still checks they are the viewer's. The entries of
//     the connection itself cannot serve: entgql loads only the columns the
//     query asked for, and a missing withheld would read as false. Every
//     confidential reading is still recorded one by one, by Content.
//   - former senders' names, in one query.

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

// loadReaderEntries attaches to each message the viewer's entry of it, when
// there is exactly one (what the query of messaging.readerEntry would find);
// otherwise Content queries alone, as it did.
func loadReaderEntries(ctx context.Context, db *ent.Client, msgs []*ent.Message) error {
	ids := make([]string, 0, len(msgs))
	for _, m := range msgs {
		ids = append(ids, m.ID)
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

func (pf *prefetched) loadFormerSenders(ctx context.Context, lc *lifecycle.Service, msgs []*ent.Message) error {
	var ids []string
	for _, m := range msgs {
		if m.SenderMemberID != nil {
			ids = append(ids, *m.SenderMemberID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names, err := lc.FormerSenderNames(ctx, ids)
	if err != nil {
		return err
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
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
