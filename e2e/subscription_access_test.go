package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestASubscriptionCarriesOnlyItsOwnMembersEntries(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("all", apitest.Range{Everyone: true})
	app := o.env.AsApp("acme", id, secret)
	rita := o.env.Connect(o.login("rita").Token).Subscribe(streamSub, nil)
	olgaClient := o.env.Login("other", "olga", apitest.TestPassword)
	olga := olgaClient.SubscribeSSE(streamSub, nil)
	expect(t, rita, "SYNC", 0)
	expect(t, olga, "SYNC", 0)

	app.Send(apitest.Text("for sam", apitest.Range{Members: []string{o.sam}}))
	app.Send(apitest.Text("for sales", apitest.Range{Departments: []string{o.sales}}))
	app.Send(apitest.Text("everyone", apitest.Range{Everyone: true}))
	// rita's first event is the message to everyone, as her seq 1.
	if ev := expect(t, rita, "NEW", 1); ev.Entry.Message.Content.Text != "everyone" {
		t.Fatalf("rita's first event carries %q", ev.Entry.Message.Content.Text)
	}
	// olga, in another enterprise, got nothing: her first event is her own.
	other := o.env.Admin(o.other)
	other.Send(apitest.Text("olga's own", apitest.Range{Members: []string{o.olga}}))
	if ev := expect(t, olga, "NEW", 1); ev.Entry.Message.Content.Text != "olga's own" {
		t.Fatalf("olga's first event carries %q", ev.Entry.Message.Content.Text)
	}
}

func TestAppsAndAnonymousClientsHaveNoInboxSubscription(t *testing.T) {
	o := newOrg(t)
	_, err := o.env.TryConnect("clt_forged")
	if err == nil {
		t.Fatal("a forged token opened a websocket")
	}
	crm, _ := o.salesApp()
	s := o.env.Connect(crm.Token).Subscribe(streamSub, nil)
	m, _ := s.Next()
	if m.Type == "next" {
		var r struct{ Errors []apitest.Error }
		_ = jsonUnmarshal(m.Payload, &r)
		if len(r.Errors) == 0 || r.Errors[0].Code() != "FORBIDDEN" {
			t.Fatalf("an app subscribed to an inbox: %s", m.Payload)
		}
	} else if m.Type != "error" {
		t.Fatalf("an app's subscription answered %q %s", m.Type, m.Payload)
	}
	anon := o.env.Anonymous().SubscribeSSE(streamSub, nil)
	m, _ = anon.Next()
	var r struct{ Errors []apitest.Error }
	_ = jsonUnmarshal(m.Payload, &r)
	if len(r.Errors) == 0 || r.Errors[0].Code() != "UNAUTHENTICATED" {
		t.Fatalf("an anonymous SSE subscription answered %q %s", m.Type, m.Payload)
	}
}

func TestARevokedSessionEndsItsSubscriptionBeforeAnythingMoreIsDelivered(t *testing.T) {
	for name, subscribe := range map[string]func(o *org, c *apitest.Client) *apitest.Stream{
		"websocket": func(o *org, c *apitest.Client) *apitest.Stream {
			return o.env.Connect(c.Token).Subscribe(streamSub, nil)
		},
		"sse": func(_ *org, c *apitest.Client) *apitest.Stream { return c.SubscribeSSE(streamSub, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			o := newOrg(t)
			crm, _ := o.salesApp()
			sam := o.login("sam")
			s := subscribe(o, sam)
			expect(t, s, "SYNC", 0)
			sam.MustDo(`mutation { logout { ok } }`, nil, nil)
			crm.Send(apitest.Text("after logout", apitest.Range{Members: []string{o.sam}}))
			ev := next(t, s)
			if ev.Kind != "CLOSED" || ev.Reason == nil {
				t.Fatalf("after logout the stream sent %+v", ev)
			}
			if m, ok := s.Next(); ok && m.Type != "complete" {
				t.Fatalf("after CLOSED: %q %s", m.Type, m.Payload)
			}
		})
	}
}

func TestAMovedMembersOpenSubscriptionSeesWithTheirNewDepartments(t *testing.T) {
	o := newOrg(t)
	o.admin.SetVisibility("DEPARTMENT")
	o.admin.GrantScoped(o.ray, []string{o.acme.RootID}, "SEND_MESSAGES")
	ray := o.login("ray")
	const sub = `subscription { inbox { kind seq entry { message { sender { userid } } } } }`
	type ev struct {
		Inbox struct {
			Kind  string
			Seq   *int
			Entry *struct {
				Message struct{ Sender *struct{ Userid string } }
			}
		}
	}
	s := o.env.Connect(o.login("sam").Token).Subscribe(sub, nil)
	var e ev
	s.NextData(&e) // SYNC
	ray.Send(apitest.Text("from R&D", apitest.Range{Members: []string{o.sam}}))
	s.NextData(&e)
	if e.Inbox.Kind != "NEW" || e.Inbox.Entry.Message.Sender != nil {
		t.Fatalf("sam in Sales sees the R&D sender: %+v", e.Inbox)
	}
	o.admin.MustDo(`mutation($id: ID!, $d: ID!) { updateMember(input: {id: $id, departments: [{departmentId: $d}]}) { id } }`,
		map[string]any{"id": o.sam, "d": o.rnd}, nil)
	ray.Send(apitest.Text("welcome", apitest.Range{Members: []string{o.sam}}))
	s.NextData(&e)
	if e.Inbox.Kind != "NEW" || e.Inbox.Entry.Message.Sender == nil || e.Inbox.Entry.Message.Sender.Userid != "ray" {
		t.Fatalf("sam, moved to R&D, still sees as before: %+v", e.Inbox)
	}
}
