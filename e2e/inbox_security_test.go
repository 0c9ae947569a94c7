package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// TestNobodyOutsideAnAudienceReadsAnEntryByAnyPath sends one message to sam
// and tries every way in as everyone else: rita (same enterprise, outside
// the audience), the super admin, olga (another enterprise), an app whose
// range excludes sam, and the sending app itself.
func TestNobodyOutsideAnAudienceReadsAnEntryByAnyPath(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	rndID, rndSecret := o.admin.CreateApp("lab", apitest.Range{Departments: []string{o.rnd}})
	lab := o.env.AsApp("acme", rndID, rndSecret)
	in := apitest.Text("for sam only", apitest.Range{Members: []string{o.sam}})
	in["confidential"] = true
	res := crm.Send(in)
	sam := o.login("sam")
	entry := sam.Inbox(1).Entries[0]

	outsiders := map[string]*apitest.Client{
		"rita (outside the audience)":  o.login("rita"),
		"olga (another enterprise)":    o.env.Login("other", "olga", apitest.TestPassword),
		"the other enterprise's admin": o.env.Admin(o.other),
		"an app outside the range":     lab,
		"the super admin":              o.admin,
	}
	for who, c := range outsiders {
		t.Run(who, func(t *testing.T) {
			mustNotFind(t, c, entry.ID)
			var nodes struct{ Nodes []*struct{ ID string } }
			r := c.Do(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{entry.ID}})
			r.Decode(t, &nodes)
			if len(nodes.Nodes) > 0 && nodes.Nodes[0] != nil {
				t.Fatal("nodes(ids) revealed the entry")
			}
			var inbox struct {
				Inbox struct {
					TotalCount int
					Unread     struct{ Total int }
				}
			}
			c.MustDo(`{ inbox(first: 5) { totalCount unread { total } } }`, nil, &inbox)
			if inbox.Inbox.TotalCount != 0 || inbox.Inbox.Unread.Total != 0 {
				t.Fatalf("inbox counts = %+v", inbox.Inbox)
			}
			var filtered struct{ Inbox struct{ TotalCount int } }
			c.MustDo(`query($m: ID!) { inbox(first: 5, where: {hasMessageWith: {id: $m}}) { totalCount } }`, map[string]any{"m": res.Message.ID}, &filtered)
			if filtered.Inbox.TotalCount != 0 {
				t.Fatal("a where-filter reached another member's entry")
			}
			if who == "the super admin" {
				// Sees that the message exists (for receipts), never its content.
				r := c.Do(contentQuery, map[string]any{"id": res.Message.ID})
				if !r.HasCode("FORBIDDEN") {
					t.Fatalf("the super admin read the content: %s", r.Data)
				}
				return
			}
			mustNotFind(t, c, res.Message.ID)
			var views struct{ Node *struct{ ID string } }
			r = c.Do(`query($id: ID!) { node(id: $id) { ... on Message { id confidentialViews(first: 5) { totalCount } } } }`, map[string]any{"id": res.Message.ID})
			r.Decode(t, &views)
			if views.Node != nil {
				t.Fatal("the record of reads is reachable")
			}
		})
	}
	// And all the while sam reads it, and the sender sees its receipts.
	var c contentOut
	sam.MustDo(contentQuery, map[string]any{"id": res.Message.ID}, &c)
	if c.Node.Content == nil || c.Node.Content.Text != "for sam only" {
		t.Fatalf("sam reads %+v", c.Node)
	}
	var rc struct {
		Node struct{ Receipts struct{ RecipientCount int } }
	}
	crm.MustDo(`query($id: ID!) { node(id: $id) { ... on Message { receipts { recipientCount } } } }`, map[string]any{"id": res.Message.ID}, &rc)
	if rc.Node.Receipts.RecipientCount != 1 {
		t.Fatalf("the sender's receipts: %+v", rc)
	}
	// An app never reads a message another app sent.
	crm2, _ := o.salesApp()
	mustNotFind(t, crm2, res.Message.ID)
}

func TestInvitedMembersReceiveNothingUntilTheyFollow(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	// An invited member (no password: not followed yet) is in Sales.
	o.admin.MustDo(`mutation($in: CreateMemberInput!) { createMember(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"userid": "ivan", "name": "Ivan Invited", "departments": []map[string]any{{"departmentId": o.sales}}}}, nil)
	res := crm.Send(apitest.Text("to Sales", apitest.Range{Departments: []string{o.sales}}))
	if res.RecipientCount != 2 {
		t.Fatalf("reached %d; want sam and eve, not the invited member", res.RecipientCount)
	}
}

// TestAnAppOutOfSightAfterARangeChangeIsOutOfSightEverywhere: sam keeps his
// entry from an app whose range no longer includes him, but the app itself
// disappears from every path: the entry's edge, bare and nested filters,
// the unread counts.
func TestAnAppOutOfSightAfterARangeChangeIsOutOfSightEverywhere(t *testing.T) {
	o := newOrg(t)
	crm, appID := o.salesApp()
	crm.Send(apitest.Text("hello", apitest.Range{Members: []string{o.sam}}))
	o.admin.MustDo(`mutation($id: ID!, $r: AudienceInput!) { updateApp(input: {id: $id, visibleRange: $r}) { id } }`,
		map[string]any{"id": appID, "r": apitest.Range{Departments: []string{o.rnd}}.Input()}, nil)
	var out struct {
		All     struct{ TotalCount int } `json:"all"`
		WithApp struct{ TotalCount int } `json:"withApp"`
		Named   struct{ TotalCount int } `json:"named"`
		Edges   struct {
			Edges []struct {
				Node struct{ App *struct{ ID string } }
			}
			Unread struct {
				Apps []struct {
					App   *struct{ ID string }
					Count int
				}
			}
		} `json:"edges"`
	}
	o.login("sam").MustDo(`{
		all: inbox(first: 5) { totalCount }
		withApp: inbox(first: 5, where: {hasApp: true}) { totalCount }
		named: inbox(first: 5, where: {hasAppWith: {name: "crm"}}) { totalCount }
		edges: inbox(first: 5) { edges { node { app { id } } } unread { apps { app { id } count } } }
	}`, nil, &out)
	if out.All.TotalCount != 1 || out.WithApp.TotalCount != 0 || out.Named.TotalCount != 0 ||
		out.Edges.Edges[0].Node.App != nil || len(out.Edges.Unread.Apps) != 1 || out.Edges.Unread.Apps[0].App != nil {
		t.Fatalf("sam, outside the app's new range: %+v", out)
	}
	mustNotFind(t, o.login("sam"), appID)
}
