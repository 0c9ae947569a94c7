package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"entgo.io/contrib/entgql"
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

// SubscribeInbox starts the inbox subscription id after cursor ("" for now).
func (w *WS) SubscribeInbox(id, after string) {
	w.t.Helper()
	w.Subscribe(id, InboxSubscription, afterVar(after))
}

// InboxEvent reads the next event of subscription id.
func (w *WS) InboxEvent(id string) InboxEvent {
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
		return r.Data.Inbox, nil
	}
}

// SubscribeInbox follows the client's inbox over SSE after cursor ("" for now).
func (c *Client) SubscribeInbox(after string) *SSE {
	c.env.T.Helper()
	return c.SSE(InboxSubscription, afterVar(after))
}

// InboxEvent reads the next event of the stream.
func (s *SSE) InboxEvent() InboxEvent {
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

// InboxBeginning is the stream cursor before a member's first inbox event.
// Tests subscribe after it rather than "from now": a subscription becomes
// live some time after the client sends it, and a message sent meanwhile
// would be before "now". A fresh member's inbox is empty, so it is the same
// as now, without the race.
func InboxBeginning() string {
	var b bytes.Buffer
	entgql.Cursor[string]{ID: "inbox:0.0"}.MarshalGQL(&b)
	s, _ := strconv.Unquote(b.String())
	return s
}
