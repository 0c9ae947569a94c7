package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

// These drive the real server with a raw graphql-transport-ws client and
// check each close code of the protocol (gqlgen's own transport answers
// 1002 or 1000 for several of them, and clients then retry forever).

func TestAWebsocketWithABadTokenIsClosedWith4403(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t)
	for name, init := range map[string]string{
		"unknown token": `{"type":"connection_init","payload":{"authToken":"clt_not-a-real-token"}}`,
		"no token":      `{"type":"connection_init"}`,
	} {
		t.Run(name, func(t *testing.T) {
			ws := env.WS()
			ws.SendRaw(init)
			if reason := ws.ExpectClose(4403); !strings.HasPrefix(reason, "Forbidden") {
				t.Fatalf("reason = %q", reason)
			}
		})
	}
}

func TestAWebsocketThatNeverSendsConnectionInitIsClosedWith4408(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t, func(c *config.Config) { c.Realtime.InitTimeout = 100 * time.Millisecond })
	ws := env.WS()
	if reason := ws.ExpectClose(4408); reason != "Connection initialisation timeout" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestAWebsocketSendingAnInvalidMessageIsClosedWith4400(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	for name, msg := range map[string]string{
		"not json":              `{"type":`,
		"unknown type":          `{"type":"start","id":"1","payload":{"query":"{ viewer { isSuperAdmin } }"}}`,
		"subscribe without id":  `{"type":"subscribe","payload":{"query":"{ viewer { isSuperAdmin } }"}}`,
		"subscribe no payload":  `{"type":"subscribe","id":"1"}`,
		"a server message type": `{"type":"connection_ack"}`,
	} {
		t.Run(name, func(t *testing.T) {
			ws := env.WS()
			ws.Init(admin.Token)
			ws.SendRaw(msg)
			ws.ExpectClose(4400)
		})
	}
}

func TestAWebsocketSubscribingBeforeTheAckIsClosedWith4401(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t)
	ws := env.WS()
	ws.Subscribe("1", `{ viewer { isSuperAdmin } }`, nil)
	if reason := ws.ExpectClose(4401); reason != "Unauthorized" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestAWebsocketSendingASecondConnectionInitIsClosedWith4429(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	ws := env.WS()
	ws.Init(admin.Token)
	ws.Send(apitest.WSMessage{Type: "connection_init"})
	if reason := ws.ExpectClose(4429); reason != "Too many initialisation requests" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestTheLegacyGraphqlWsSubprotocolIsRefusedWith4406(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t)
	ws := apitest.DialWS(t, env.URL, "graphql-ws")
	ws.ExpectClose(4406)
}

func TestAWebsocketRunsOperationsAsTheViewerOfItsToken(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	sam := env.Login("acme", "sam", apitest.TestPassword)

	ws := env.WS()
	ws.Init(sam.Token)
	ws.Send(apitest.WSMessage{Type: "ping"})
	if m := ws.Next(); m.Type != "pong" {
		t.Fatalf("want pong, got %+v", m)
	}
	ws.Subscribe("q1", `{ viewer { isSuperAdmin member { userid } } }`, nil)
	var out struct {
		Viewer struct {
			IsSuperAdmin bool
			Member       struct{ Userid string }
		}
	}
	ws.NextData("q1", &out)
	if out.Viewer.Member.Userid != "sam" || out.Viewer.IsSuperAdmin {
		t.Fatalf("viewer = %+v", out.Viewer)
	}
	if m := ws.Next(); m.Type != "complete" || m.ID != "q1" {
		t.Fatalf("want complete for q1, got %+v", m)
	}
	// A mutation that needs a super admin is refused as over HTTP.
	ws.Subscribe("m1", `mutation { createDepartment(input: {name: "X", parentId: "`+acme.RootID+`"}) { id } }`, nil)
	m := ws.Next()
	if m.Type != "next" || !strings.Contains(string(m.Payload), `"FORBIDDEN"`) {
		t.Fatalf("want a FORBIDDEN result, got %s %s", m.Type, m.Payload)
	}
	ws.Close()
}

func TestAWebsocketReusingTheIDOfARunningSubscriptionIsClosedWith4409(t *testing.T) {
	o := newSerialOrg(t)
	crm, _ := o.salesApp()
	sam := o.login("sam")
	ws := o.env.WS()
	ws.Init(sam.Token)
	ws.SubscribeInbox("inbox", "")
	sendTexts(crm, "a", 1, o.sam)
	ws.InboxEvent("inbox") // it runs
	ws.Subscribe("inbox", apitest.InboxSubscription, nil)
	if reason := ws.ExpectClose(4409); reason != "Subscriber for inbox already exists" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestAMutationOverAWebsocketRunsOnceAndCompletes(t *testing.T) {
	apitest.CheckGoroutineLeaks(t)
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	ws := env.WS()
	ws.Init(admin.Token)
	ws.Subscribe("m", `mutation($p: ID) { createDepartment(input: {name: "Ops", parentId: $p}) { name } }`,
		map[string]any{"p": acme.RootID})
	var out struct{ CreateDepartment struct{ Name string } }
	ws.NextData("m", &out)
	if m := ws.Next(); m.Type != "complete" || m.ID != "m" || out.CreateDepartment.Name != "Ops" {
		t.Fatalf("got %+v then %s %s", out, m.Type, m.ID)
	}
	ws.Close()
	var deps struct{ Departments struct{ TotalCount int } }
	admin.MustDo(`{ departments(first: 10, where: {name: "Ops"}) { totalCount } }`, nil, &deps)
	if deps.Departments.TotalCount != 1 {
		t.Fatalf("%d departments named Ops, want 1", deps.Departments.TotalCount)
	}
}
