package e2e

import (
	"fmt"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// These follow the inbox subscription as web and mobile clients do: over
// graphql-transport-ws and over SSE, through disconnects and resumes.

// sendTexts sends n texts "<prefix>1".."<prefix>n" to members from app.
func sendTexts(app *apitest.Client, prefix string, n int, members ...string) {
	for i := 1; i <= n; i++ {
		app.Send(apitest.Text(fmt.Sprint(prefix, i), apitest.Range{Members: members}))
	}
}

// expectTexts reads n NEW events and checks their texts are prefix1..n with
// consecutive seqs; it returns the last event.
func expectTexts(t *testing.T, next func() apitest.InboxEvent, prefix string, n int) apitest.InboxEvent {
	t.Helper()
	var last apitest.InboxEvent
	for i := 1; i <= n; i++ {
		ev := next()
		if ev.Kind != "NEW" || ev.Text() != fmt.Sprint(prefix, i) || ev.Cursor == "" {
			t.Fatalf("event %d: got %s %q, want NEW %q", i, ev.Kind, ev.Text(), fmt.Sprint(prefix, i))
		}
		if last.Kind != "" && ev.Seq != last.Seq+1 {
			t.Fatalf("event %d: seq %d after %d", i, ev.Seq, last.Seq)
		}
		last = ev
	}
	return last
}

func TestTheInboxOverWebsocketResumesFromTheLastCursorWithNothingLostOrRepeated(t *testing.T) {
	o := newSerialOrg(t)
	crm, _ := o.salesApp()
	sam := o.login("sam")

	ws := o.env.WS()
	ws.Init(sam.Token)
	ws.SubscribeInbox("inbox", "")
	sendTexts(crm, "a", 1, o.sam)
	last := expectTexts(t, func() apitest.InboxEvent { return ws.InboxEvent("inbox") }, "a", 1)
	ws.Close()

	// Offline: 50 more arrive.
	sendTexts(crm, "b", 50, o.sam)

	ws = o.env.WS()
	ws.Init(sam.Token)
	ws.SubscribeInbox("inbox", last.Cursor)
	next := func() apitest.InboxEvent { return ws.InboxEvent("inbox") }
	last = expectTexts(t, next, "b", 50)
	// Then live, from the same subscription, without a gap or a repeat at
	// the switch.
	sendTexts(crm, "c", 2, o.sam)
	expectTexts(t, next, "c", 2)
	// Nothing else was queued: the next message is the answer to a ping.
	ws.Send(apitest.WSMessage{Type: "ping"})
	if m := ws.Next(); m.Type != "pong" {
		t.Fatalf("want pong, got %s %s", m.Type, m.Payload)
	}
	ws.Close()
}

func TestTheInboxOverSSEResumesFromTheLastCursorWithNothingLostOrRepeated(t *testing.T) {
	o := newSerialOrg(t)
	crm, _ := o.salesApp()
	sam := o.login("sam")

	sse := sam.SubscribeInbox("")
	sendTexts(crm, "a", 1, o.sam)
	last := expectTexts(t, sse.InboxEvent, "a", 1)
	sse.Close()

	sendTexts(crm, "b", 50, o.sam)

	sse = sam.SubscribeInbox(last.Cursor)
	expectTexts(t, sse.InboxEvent, "b", 50)
	sendTexts(crm, "c", 2, o.sam)
	expectTexts(t, sse.InboxEvent, "c", 2)
	sse.Close()
}

func TestMembersOutsideTheAudienceAndOtherEnterprisesReceiveNothingLive(t *testing.T) {
	o := newSerialOrg(t)
	crm, _ := o.salesApp()
	subscribe := func(c *apitest.Client) *apitest.WS {
		ws := o.env.WS()
		ws.Init(c.Token)
		ws.SubscribeInbox("inbox", "")
		return ws
	}
	rita, olga := subscribe(o.login("rita")), subscribe(o.env.Login("other", "olga", apitest.TestPassword))
	sam := subscribe(o.login("sam"))

	// To Sales (sam, eve), to everyone (cut to the app's range: Sales), and
	// to sam and rita by name (rita is outside the range).
	crm.Send(apitest.Text("sales only", apitest.Range{Departments: []string{o.sales}}))
	crm.Send(apitest.Text("everyone", apitest.Range{Everyone: true}))
	crm.Send(apitest.Text("sam and rita", apitest.Range{Members: []string{o.sam, o.rita}}))
	if ev := sam.InboxEvent("inbox"); ev.Text() != "sales only" {
		t.Fatalf("sam got %+v", ev)
	}
	if ev := sam.InboxEvent("inbox"); ev.Text() != "everyone" {
		t.Fatalf("sam got %+v", ev)
	}
	if ev := sam.InboxEvent("inbox"); ev.Text() != "sam and rita" {
		t.Fatalf("sam got %+v", ev)
	}

	// Then messages rita and olga may receive: each one's first event is
	// theirs, so none of the above reached them.
	admin := o.admin
	admin.Send(apitest.Text("admin to rita", apitest.Range{Members: []string{o.rita}}))
	if ev := rita.InboxEvent("inbox"); ev.Text() != "admin to rita" {
		t.Fatalf("rita's first event: %+v", ev)
	}
	o.env.Admin(o.other).Send(apitest.Text("other to olga", apitest.Range{Members: []string{o.olga}}))
	if ev := olga.InboxEvent("inbox"); ev.Text() != "other to olga" {
		t.Fatalf("olga's first event: %+v", ev)
	}
	for _, ws := range []*apitest.WS{rita, olga, sam} {
		ws.Close()
	}
}

func TestALoggedOutSessionsSubscriptionClosesAndItsSocketWith4403(t *testing.T) {
	o := newSerialOrg(t)
	crm, _ := o.salesApp()
	phone, laptop := o.login("sam"), o.login("sam")

	onPhone := o.env.WS()
	onPhone.Init(phone.Token)
	onPhone.SubscribeInbox("inbox", "")
	onLaptop := laptop.SubscribeInbox("")
	sendTexts(crm, "a", 1, o.sam)
	expectTexts(t, func() apitest.InboxEvent { return onPhone.InboxEvent("inbox") }, "a", 1)
	expectTexts(t, onLaptop.InboxEvent, "a", 1)

	phone.MustDo(`mutation { logout { ok } }`, nil, nil)
	ev := onPhone.InboxEvent("inbox")
	if ev.Kind != "CLOSED" || ev.Code != "UNAUTHENTICATED" || ev.Reason == "" {
		t.Fatalf("want CLOSED UNAUTHENTICATED, got %+v", ev)
	}
	onPhone.ExpectClose(4403)

	// The laptop's session still holds.
	sendTexts(crm, "b", 1, o.sam)
	expectTexts(t, onLaptop.InboxEvent, "b", 1)
	onLaptop.Close()
}
