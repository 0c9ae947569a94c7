package e2e

import (
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// salesApp creates an app whose range is Sales (sam, and eve in East) and
// signs in as it.
func (o *org) salesApp() (*apitest.Client, string) {
	id, secret := o.admin.CreateApp("crm", apitest.Range{Departments: []string{o.sales}})
	return o.env.AsApp("acme", id, secret), id
}

func TestAppMessageToADepartmentReachesItsSubtreeAndNobodyElse(t *testing.T) {
	o := newOrg(t)
	crm, appID := o.salesApp()
	res := crm.Send(apitest.Text("quarterly numbers", apitest.Range{Departments: []string{o.sales}}))
	if res.RecipientCount != 2 || len(res.UnknownTargets) != 0 || len(res.OutOfRangeTargets) != 0 || res.Replayed {
		t.Fatalf("send = %+v, want 2 recipients (sam, eve)", res)
	}
	for _, who := range []string{"sam", "eve"} {
		in := o.login(who).Inbox(10)
		if in.TotalCount != 1 || in.Entries[0].Seq != 1 || in.Entries[0].Message.ID != res.Message.ID {
			t.Fatalf("%s's inbox = %+v", who, in)
		}
		if in.Unread.Total != 1 || len(in.Unread.Apps) != 1 || in.Unread.Apps[0].App == nil || in.Unread.Apps[0].App.ID != appID {
			t.Fatalf("%s's unread = %+v", who, in.Unread)
		}
	}
	for _, who := range []string{"rita", "ray", "admin"} {
		if in := o.login(who).Inbox(10); in.TotalCount != 0 || in.Unread.Total != 0 {
			t.Fatalf("%s outside the audience has %+v", who, in)
		}
	}
	rita := o.login("rita")
	mustNotFind(t, rita, res.Message.ID)
	var content struct {
		Node struct{ Content *struct{ Text string } }
	}
	r := o.login("sam").Do(`query($id: ID!) { node(id: $id) { ... on Message { content { text } } } }`, map[string]any{"id": res.Message.ID})
	r.Decode(t, &content)
	if len(r.Errors) > 0 || content.Node.Content == nil || content.Node.Content.Text != "quarterly numbers" {
		t.Fatalf("sam reads %+v, %v", content, r.Errors)
	}
}

func TestTargetsAreCutToTheAppRangeAndReported(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	res := crm.Send(apitest.Text("hi", apitest.Range{
		Departments: []string{o.acme.RootID, o.rnd},
		Tags:        []string{o.mgrTag},
		Members:     []string{o.sam, o.rita, "mem_00000000000000000000000000000000"},
	}))
	slices.Sort(res.OutOfRangeTargets)
	wantOut := []string{o.rnd, o.rita, o.mgrTag}
	slices.Sort(wantOut)
	if res.RecipientCount != 2 || !slices.Equal(res.OutOfRangeTargets, wantOut) ||
		!slices.Equal(res.UnknownTargets, []string{"mem_00000000000000000000000000000000"}) {
		t.Fatalf("send = %+v; want 2 recipients (root cut to Sales), out of range %v, one unknown", res, wantOut)
	}
	if n := o.login("rita").Inbox(5).TotalCount; n != 0 {
		t.Fatalf("rita, named but outside the range, got %d entries", n)
	}
	crm.MustFail("FORBIDDEN", `mutation($in: SendMessageInput!) { sendMessage(input: $in) { recipientCount } }`,
		map[string]any{"in": apitest.Text("x", apitest.Range{Members: []string{o.rita}})})
	crm.MustFail("NOT_FOUND", `mutation($in: SendMessageInput!) { sendMessage(input: $in) { recipientCount } }`,
		map[string]any{"in": apitest.Text("x", apitest.Range{Members: []string{o.olga}})})
	strict := apitest.Text("x", apitest.Range{Members: []string{o.sam, o.rita}})
	strict["strict"] = true
	crm.MustFail("FORBIDDEN", `mutation($in: SendMessageInput!) { sendMessage(input: $in) { recipientCount } }`, map[string]any{"in": strict})
	if n := o.login("sam").Inbox(5).TotalCount; n != 1 {
		t.Fatalf("refused sends reached sam: %d entries, want only the first message", n)
	}
}
