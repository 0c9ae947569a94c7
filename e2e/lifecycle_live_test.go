package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/policy"
)

const inboxSub = `subscription($after: Cursor) { inbox(after: $after) { kind reason entry { id message { id } } } }`

// fromTheStart is the stream cursor before a member's first entry: a
// subscription opened with it replays everything, so a message sent right
// after subscribing arrives whether or not the server has started following
// the inbox by then.
func fromTheStart(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	messaging.Position{}.Cursor().MarshalGQL(&b)
	s, err := strconv.Unquote(b.String())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type inboxEvent struct {
	Inbox struct {
		Kind   string
		Reason *string
		Entry  *struct {
			ID      string
			Message struct{ ID string }
		}
	}
}

// openInbox opens the inbox subscription of a member whose inbox is empty,
// and proves it live: a message sent to them by sender arrives on it.
func openInbox(t *testing.T, env *apitest.Env, member *apitest.Client, memberID string, sender *apitest.Client) *apitest.WS {
	t.Helper()
	ws := env.WS()
	t.Cleanup(ws.Close)
	ws.Init(member.Token)
	ws.Subscribe("1", inboxSub, map[string]any{"after": fromTheStart(t)})
	sent := sender.Send(apitest.Text("are you there?", apitest.Range{Members: []string{memberID}}))
	expectNew(t, ws, sent.Message.ID)
	return ws
}

// expectNew reads the next inbox event and checks it is message id, new.
// The SYNC that ends a replay is passed over.
func expectNew(t *testing.T, ws *apitest.WS, messageID string) {
	t.Helper()
	var ev inboxEvent
	ws.NextData("1", &ev)
	if ev.Inbox.Kind == "SYNC" {
		ws.NextData("1", &ev)
	}
	if ev.Inbox.Kind != "NEW" || ev.Inbox.Entry == nil || ev.Inbox.Entry.Message.ID != messageID {
		t.Fatalf("want NEW for %s, got %+v", messageID, ev.Inbox)
	}
}

// expectEnded reads the end of a subscription whose viewer lost access: a
// CLOSED event whose reason contains want, then the end of the operation
// (complete, or the socket closed with 4403 since its token is no good
// either). It returns how long after since the stream ended.
func expectEnded(t *testing.T, ws *apitest.WS, want string, since time.Time) time.Duration {
	t.Helper()
	m := ws.Next()
	var r struct {
		Data inboxEvent
	}
	if m.Type == "next" && json.Unmarshal(m.Payload, &r) == nil && r.Data.Inbox.Kind == "SYNC" {
		m = ws.Next() // the end of a replay that held the first message
	}
	if m.Type != "next" || json.Unmarshal(m.Payload, &r) != nil || r.Data.Inbox.Kind != "CLOSED" ||
		r.Data.Inbox.Reason == nil || !strings.Contains(*r.Data.Inbox.Reason, want) {
		t.Fatalf("want CLOSED (%s), got %s %s", want, m.Type, m.Payload)
	}
	for {
		m, err := ws.TryRead()
		switch {
		case err != nil && websocket.CloseStatus(err) == 4403:
		case err != nil:
			t.Fatalf("after CLOSED: %v", err)
		case m.Type == "ping":
			ws.Send(apitest.WSMessage{Type: "pong"})
			continue
		case m.Type != "complete" || m.ID != "1":
			t.Fatalf("after CLOSED: %s %s %s", m.Type, m.ID, m.Payload)
		}
		return time.Since(since)
	}
}

// Scenario 6 of DOMAIN.md, whole: a phone is lost; the admin disables the
// member; the inbox subscription open on the phone ends (CLOSED with the
// reason, then close 4403), and nothing more reaches that phone. The close
// is driven by the wake-up of the disable (a quiet subscription re-checks on
// its own only every few minutes; the socket read gives up after 10 s), and
// the time it took is logged.
func TestScenario6TheOpenInboxSubscriptionClosesWhenTheMemberIsDisabled(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	sam := env.Login("acme", "sam", apitest.TestPassword)
	ws := openInbox(t, env, sam, samID, admin)

	start := time.Now()
	admin.MustDo(disableM, map[string]any{"id": samID}, nil)
	took := expectEnded(t, ws, "disabled", start)
	t.Logf("subscription closed %v after the disable answered", took)

	// Nothing more reaches the phone: its token cannot open a new stream.
	admin.Send(apitest.Text("after the disable", apitest.Range{Members: []string{samID}}))
	again := env.WS()
	defer again.Close()
	again.Send(apitest.WSMessage{Type: "connection_init", Payload: json.RawMessage(`{"authToken":"` + sam.Token + `"}`)})
	if reason := again.ExpectClose(4403); !strings.Contains(reason, "disabled") {
		t.Fatalf("reopening with the old token: %q", reason)
	}
}

// With two server processes on PostgreSQL, the disable made through one
// closes the subscription held by the other (the wake-up crosses processes).
func TestADisableClosesTheSubscriptionOnAnotherProcess(t *testing.T) {
	apitest.RequirePostgres(t)
	env := apitest.Start(t)
	other := env.StartAnother()
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	sam := other.Login("acme", "sam", apitest.TestPassword)
	ws := openInbox(t, other, sam, samID, admin) // held by the other process, sent through the first

	start := time.Now()
	admin.MustDo(disableM, map[string]any{"id": samID}, nil)
	t.Logf("subscription on the other process closed %v after the disable answered", expectEnded(t, ws, "disabled", start))
}

// Scenario 5 of DOMAIN.md, live: an employee moves from Sales to R&D while
// their inbox subscription is open; what is addressed to Sales stops
// reaching it, what is addressed to R&D arrives, on the same stream.
func TestScenario5ATransferChangesWhatAnOpenSubscriptionDelivers(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	admin.CreateMember(apitest.MemberSpec{Userid: "sue", Depts: []string{sales}})
	sam := env.Login("acme", "sam", apitest.TestPassword)
	ws := openInbox(t, env, sam, samID, admin)
	toSales := admin.Send(apitest.Text("Sales only", apitest.Range{Departments: []string{sales}}))
	expectNew(t, ws, toSales.Message.ID)

	admin.MustDo(`mutation($in: UpdateMemberInput!) { updateMember(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"id": samID, "departments": []map[string]any{{"departmentId": rnd, "isPrimary": true}},
	}}, nil)
	if res := admin.Send(apitest.Text("Sales only, again", apitest.Range{Departments: []string{sales}})); res.RecipientCount != 1 {
		t.Fatalf("Sales now has %d recipients, want sue alone", res.RecipientCount)
	}
	toRnd := admin.Send(apitest.Text("welcome to R&D", apitest.Range{Departments: []string{rnd}}))
	expectNew(t, ws, toRnd.Message.ID) // the next event is R&D's: Sales' second never came
}

// Deleting a member ends their subscription, erases their inbox from the
// database, and leaves what they sent attributed to a former member.
func TestADeletedMembersSubscriptionEndsAndTheirInboxIsErased(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	sueID := admin.CreateMember(apitest.MemberSpec{Userid: "sue", Depts: []string{sales}})
	bossID := admin.CreateMember(apitest.MemberSpec{Userid: "boss", Name: "Bo Boss", Depts: []string{sales}})
	admin.MustDo(`mutation($id: ID!) { grantAdmin(input: {memberId: $id, kind: SUPER}) { id } }`, map[string]any{"id": bossID}, nil)
	boss := env.Login("acme", "boss", apitest.TestPassword)
	fromBoss := boss.Send(apitest.Text("from the boss", apitest.Range{Members: []string{sueID}}))
	sam := env.Login("acme", "sam", apitest.TestPassword)
	ws := openInbox(t, env, sam, samID, admin)

	admin.MustDo(deleteM, map[string]any{"id": samID}, nil)
	expectEnded(t, ws, "sign in", time.Now())
	sys := policy.SystemContext(context.Background())
	if n, err := env.DB.Client.InboxEntry.Query().Where(inboxentry.MemberID(samID)).Count(sys); err != nil || n != 0 {
		t.Fatalf("%d inbox entries of the deleted member remain (%v)", n, err)
	}

	admin.MustDo(deleteM, map[string]any{"id": bossID}, nil)
	var read struct {
		Node struct {
			Sender     *struct{ ID string }
			SenderName *string
		}
	}
	env.Login("acme", "sue", apitest.TestPassword).MustDo(`query($id: ID!) { node(id: $id) { ... on Message { sender { id } senderName } } }`,
		map[string]any{"id": fromBoss.Message.ID}, &read)
	if read.Node.Sender != nil || read.Node.SenderName == nil || *read.Node.SenderName != "Bo Boss" {
		t.Fatalf("a former member's message reads %+v", read.Node)
	}
}

// A reclaimed trial's open subscriptions end too.
func TestAReclaimedTrialsSubscriptionsEnd(t *testing.T) {
	clk := clock.NewFake(time.Now())
	// Tokens outlive the trial here, so only the reclaim can end the stream.
	env := apitest.Start(t, apitest.WithClock(clk), apitest.WithTokenTTL(365*24*time.Hour))
	op := env.NewOperator("root")
	op.MustDo(createEnterpriseM, enterpriseIn("lab", "TRIAL", map[string]any{
		"contactMobile": "+8613700000000", "contactEmail": "dev@example.com",
	}), nil)
	boss := env.Login("lab", "boss", apitest.TestPassword)
	ws := openInbox(t, env, boss, boss.MemberID, boss)
	clk.Advance(91 * 24 * time.Hour)
	if res, err := env.Main.Jobs.Reclaim.RunOnce(context.Background()); err != nil || res.Reclaimed != 1 {
		t.Fatalf("reclaim: %+v %v", res, err)
	}
	expectEnded(t, ws, "reclaimed", time.Now())
}
