package apitest

import (
	"encoding/json"
	"fmt"
)

// InboxSubscription follows the viewer's inbox from after (null: from now).
const InboxSubscription = `subscription($after: Cursor) { inbox(after: $after) {
	kind cursor seq messageId code reason entry { id seq message { id content { text } } } } }`

// InboxEvent is one event of the inbox subscription.
type InboxEvent struct {
	Kind      string
	Cursor    string
	Seq       int
	MessageID string
	Code      string
	Reason    string
	Entry     *struct {
		ID      string
		Seq     int
		Message struct {
			ID      string
			Content *struct{ Text string }
		}
	}
}

// Text is the text of the event's message, or "".
func (e InboxEvent) Text() string {
	if e.Entry == nil || e.Entry.Message.Content == nil {
		return ""
	}
	return e.Entry.Message.Content.Text
}

// SubscribeInbox starts the inbox subscription id after cursor; with ""
// it subscribes from now and returns once the stream is live (its SYNC
// event has come), so nothing sent afterwards can be missed.
func (w *WS) SubscribeInbox(id, after string) {
	w.t.Helper()
	w.Subscribe(id, InboxSubscription, afterVar(after))
	if after == "" {
		if ev := w.inboxEvent(id); ev.Kind != "SYNC" {
			w.t.Fatalf("a subscription from now starts with SYNC, got %+v", ev)
		}
	}
}

// InboxEvent reads the next event of subscription id other than SYNC.
func (w *WS) InboxEvent(id string) InboxEvent {
	w.t.Helper()
	for {
		if ev := w.inboxEvent(id); ev.Kind != "SYNC" {
			return ev
		}
	}
}

func (w *WS) inboxEvent(id string) InboxEvent {
	w.t.Helper()
	var out struct{ Inbox InboxEvent }
	w.NextData(id, &out)
	return out.Inbox
}

// TryInboxEvent reads the next event of subscription id without failing
// the test, for readers in other goroutines: a NEW event or an error.
func (w *WS) TryInboxEvent(id string) (InboxEvent, error) {
	for {
		m, err := w.read()
		if err != nil {
			return InboxEvent{}, err
		}
		if m.Type == "ping" {
			continue
		}
		if m.Type != "next" || m.ID != id {
			return InboxEvent{}, fmt.Errorf("want next for %s, got %s %s", id, m.Type, m.Payload)
		}
		var r struct {
			Data   struct{ Inbox InboxEvent }
			Errors []Error
		}
		if err := json.Unmarshal(m.Payload, &r); err != nil || len(r.Errors) > 0 {
			return InboxEvent{}, fmt.Errorf("next for %s: %s", id, m.Payload)
		}
		if r.Data.Inbox.Kind == "SYNC" {
			continue
		}
		return r.Data.Inbox, nil
	}
}

// SubscribeInbox follows the client's inbox over SSE after cursor; with ""
// from now, once live (see WS.SubscribeInbox).
func (c *Client) SubscribeInbox(after string) *SSE {
	c.env.T.Helper()
	s := c.SSE(InboxSubscription, afterVar(after))
	if after == "" {
		if ev := s.inboxEvent(); ev.Kind != "SYNC" {
			c.env.T.Fatalf("a subscription from now starts with SYNC, got %+v", ev)
		}
	}
	return s
}

// InboxEvent reads the next event of the stream other than SYNC.
func (s *SSE) InboxEvent() InboxEvent {
	s.t.Helper()
	for {
		if ev := s.inboxEvent(); ev.Kind != "SYNC" {
			return ev
		}
	}
}

func (s *SSE) inboxEvent() InboxEvent {
	s.t.Helper()
	var out struct{ Inbox InboxEvent }
	s.NextData(&out)
	return out.Inbox
}

func afterVar(after string) map[string]any {
	if after == "" {
		return map[string]any{"after": nil}
	}
	return map[string]any{"after": after}
}
