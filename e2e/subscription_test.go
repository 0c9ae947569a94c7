package e2e

import (
	"fmt"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

const streamSub = `subscription($after: Cursor) { inbox(after: $after) {
	kind cursor seq entryId messageId readAt reason
	entry { id seq message { id content { text } } } } }`

type streamEvent struct {
	Kind      string
	Cursor    *string
	Seq       *int
	EntryID   *string
	MessageID *string
	ReadAt    *string
	Reason    *string
	Entry     *struct {
		ID      string
		Seq     int
		Message struct {
			ID      string
			Content *struct{ Text string }
		}
	}
}

// next reads the next event of an inbox subscription.
func next(t *testing.T, s *apitest.Stream) streamEvent {
	t.Helper()
	var out struct{ Inbox streamEvent }
	s.NextData(&out)
	return out.Inbox
}

// expect reads the next event and fails unless it has kind (and seq, when not 0).
func expect(t *testing.T, s *apitest.Stream, kind string, seq int) streamEvent {
	t.Helper()
	ev := next(t, s)
	if ev.Kind != kind || (seq != 0 && (ev.Seq == nil || *ev.Seq != seq)) {
		t.Fatalf("event = %+v (seq %v), want %s seq %d", ev, deref(ev.Seq), kind, seq)
	}
	return ev
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// subscriber opens an inbox subscription as a member, over websocket or SSE.
type subscriber func(t *testing.T, o *org, who string, after *string) *apitest.Stream

var transports = map[string]subscriber{
	"websocket": func(t *testing.T, o *org, who string, after *string) *apitest.Stream {
		return o.env.Connect(o.login(who).Token).Subscribe(streamSub, map[string]any{"after": after})
	},
	"sse": func(t *testing.T, o *org, who string, after *string) *apitest.Stream {
		return o.login(who).SubscribeSSE(streamSub, map[string]any{"after": after})
	},
}

func TestInboxSubscriptionStreamsLiveAndResumesByCursorWithNothingLostOrRepeated(t *testing.T) {
	for name, subscribe := range transports {
		t.Run(name, func(t *testing.T) {
			o := newOrg(t)
			crm, _ := o.salesApp()
			toSam := func(text string) { crm.Send(apitest.Text(text, apitest.Range{Members: []string{o.sam}})) }

			s := subscribe(t, o, "sam", nil)
			expect(t, s, "SYNC", 0)
			toSam("first")
			ev := expect(t, s, "NEW", 1)
			if ev.Entry == nil || ev.Entry.Message.Content == nil || ev.Entry.Message.Content.Text != "first" {
				t.Fatalf("the live event carries %+v", ev.Entry)
			}
			last := ev.Cursor
			s.Stop()

			for i := 2; i <= 51; i++ {
				toSam(fmt.Sprint(i))
			}
			s = subscribe(t, o, "sam", last)
			for i := 2; i <= 51; i++ {
				ev := expect(t, s, "NEW", i)
				if ev.Entry.Message.Content.Text != fmt.Sprint(i) {
					t.Fatalf("replayed seq %d carries %q", i, ev.Entry.Message.Content.Text)
				}
			}
			expect(t, s, "SYNC", 0)
			// Live again, and nothing of the replay comes twice.
			toSam("live")
			ev = expect(t, s, "NEW", 52)
			if ev.Entry.Message.Content.Text != "live" || s.Pending() != 0 {
				t.Fatalf("after the switch: %+v, %d more waiting", ev, s.Pending())
			}
		})
	}
}

func TestReadAndRecallArriveAsEventsLiveAndOnResume(t *testing.T) {
	for name, subscribe := range transports {
		t.Run(name, func(t *testing.T) {
			o := newOrg(t)
			crm, _ := o.salesApp()
			sam := o.login("sam")
			markRead := func(entryID string) {
				sam.MustDo(`mutation($id: ID!) { markInboxRead(input: {entryId: $id}) { updated } }`, map[string]any{"id": entryID}, nil)
			}
			s := subscribe(t, o, "sam", nil)
			expect(t, s, "SYNC", 0)
			a := crm.Send(apitest.Text("a", apitest.Range{Members: []string{o.sam}}))
			crm.Send(apitest.Text("b", apitest.Range{Members: []string{o.sam}}))
			first := expect(t, s, "NEW", 1)
			second := expect(t, s, "NEW", 2)

			markRead(*first.EntryID)
			ev := expect(t, s, "READ", 1)
			if ev.ReadAt == nil || ev.Entry == nil {
				t.Fatalf("read event = %+v", ev)
			}
			s.Stop()

			// While away: the first is recalled, the second read elsewhere.
			crm.MustDo(`mutation($id: ID!) { recallMessage(input: {id: $id}) { message { id } } }`, map[string]any{"id": a.Message.ID}, nil)
			markRead(*second.EntryID)
			s = subscribe(t, o, "sam", ev.Cursor)
			if ev := expect(t, s, "RECALLED", 1); ev.Entry != nil || *ev.MessageID != a.Message.ID {
				t.Fatalf("recall event = %+v", ev)
			}
			expect(t, s, "READ", 2)
			expect(t, s, "SYNC", 0)
			// Live recall.
			c := crm.Send(apitest.Text("c", apitest.Range{Members: []string{o.sam}}))
			expect(t, s, "NEW", 3)
			crm.MustDo(`mutation($id: ID!) { recallMessage(input: {id: $id}) { message { id } } }`, map[string]any{"id": c.Message.ID}, nil)
			expect(t, s, "RECALLED", 3)
		})
	}
}

// TestSubscriptionSwitchesFromReplayToLiveWithoutGapUnderConcurrentSends
// resumes while messages keep arriving: whatever lands during the replay,
// every entry comes exactly once, in order.
func TestSubscriptionSwitchesFromReplayToLiveWithoutGapUnderConcurrentSends(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	toSam := apitest.Range{Members: []string{o.sam}}
	s := o.env.Connect(o.login("sam").Token).Subscribe(streamSub, nil)
	expect(t, s, "SYNC", 0)
	crm.Send(apitest.Text("0", toSam))
	cursor := expect(t, s, "NEW", 1).Cursor
	s.Stop()

	const n = 120
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range n {
			crm.TrySend(apitest.Text(fmt.Sprint(i), toSam))
		}
	}()
	s = o.env.Connect(o.login("sam").Token).Subscribe(streamSub, map[string]any{"after": cursor})
	want, syncs := 2, 0
	for want <= n+1 {
		ev := next(t, s)
		if ev.Kind == "SYNC" {
			syncs++
			continue
		}
		if ev.Kind != "NEW" || *ev.Seq != want {
			t.Fatalf("event %s seq %v, want NEW seq %d", ev.Kind, deref(ev.Seq), want)
		}
		want++
	}
	<-done
	crm.Send(apitest.Text("last", toSam))
	ev := next(t, s)
	if ev.Kind == "SYNC" {
		syncs++
		ev = next(t, s)
	}
	if ev.Kind != "NEW" || *ev.Seq != n+2 || syncs != 1 {
		t.Fatalf("after the burst: %s seq %v (syncs %d), want NEW seq %d and one SYNC", ev.Kind, deref(ev.Seq), syncs, n+2)
	}
}
