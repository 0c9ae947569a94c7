package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

const contentQuery = `query($id: ID!) { node(id: $id) { ... on Message { confidential content { text watermark } } } }`

type contentOut struct {
	Node struct {
		Confidential bool
		Content      *struct {
			Text      string
			Watermark *string
		}
	}
}

func TestConfidentialMessageIsWatermarkedForItsReaderAndEveryReadIsRecorded(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	in := apitest.Text("salary: 42", apitest.Range{Members: []string{o.sam}})
	in["confidential"] = true
	res := crm.Send(in)
	sam := o.login("sam")
	var out contentOut
	for range 2 {
		sam.MustDo(contentQuery, map[string]any{"id": res.Message.ID}, &out)
	}
	c := out.Node.Content
	if !out.Node.Confidential || c == nil || c.Text != "salary: 42" || c.Watermark == nil || *c.Watermark != "Confidential · Sam Sales (sam)" {
		t.Fatalf("sam reads %+v", out.Node)
	}
	views := `query($id: ID!) { node(id: $id) { ... on Message { confidentialViews(first: 10) { totalCount edges { node { createdAt member { userid } } } } } } }`
	var v struct {
		Node struct {
			ConfidentialViews struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						CreatedAt string
						Member    struct{ Userid string }
					}
				}
			}
		}
	}
	for _, who := range []*apitest.Client{crm, o.admin} {
		who.MustDo(views, map[string]any{"id": res.Message.ID}, &v)
		if v.Node.ConfidentialViews.TotalCount != 2 || v.Node.ConfidentialViews.Edges[0].Node.Member.Userid != "sam" {
			t.Fatalf("the record of reads = %+v", v.Node.ConfidentialViews)
		}
	}
	// The recipient sees the message but not the record of reads.
	sam.MustDo(views, map[string]any{"id": res.Message.ID}, &v)
	if v.Node.ConfidentialViews.TotalCount != 0 {
		t.Fatalf("a recipient sees %d records of reads", v.Node.ConfidentialViews.TotalCount)
	}
	// A super admin sees the message, not its content.
	r := o.admin.Do(contentQuery, map[string]any{"id": res.Message.ID})
	if !r.HasCode("FORBIDDEN") {
		t.Fatalf("the super admin reads a confidential message: %v %s", r.Errors, r.Data)
	}
}

func TestAForwardedConfidentialMessageReachesNoContent(t *testing.T) {
	o := newOrg(t)
	o.admin.GrantScoped(o.sam, []string{o.sales}, "SEND_MESSAGES")
	in := apitest.Text("salary: 42", apitest.Range{Members: []string{o.sam}})
	in["confidential"] = true
	res := o.admin.Send(in)
	fwd := `mutation($in: ForwardMessageInput!) { forwardMessage(input: $in) { ` + apitest.SendFields + ` } }`
	var out struct{ ForwardMessage apitest.SendResult }
	sam := o.login("sam")
	sam.MustDo(fwd, map[string]any{"in": map[string]any{"messageId": res.Message.ID, "targets": apitest.Range{Members: []string{o.eve}}.Input()}}, &out)
	if out.ForwardMessage.RecipientCount != 1 {
		t.Fatalf("forward = %+v", out.ForwardMessage)
	}
	eve := o.login("eve")
	in2 := eve.Inbox(5)
	if in2.TotalCount != 1 || !in2.Entries[0].Confidential || !in2.Entries[0].Withheld {
		t.Fatalf("eve's entry = %+v, want confidential and withheld", in2.Entries)
	}
	r := eve.Do(`{ inbox(first: 1) { edges { node { confidential withheld message { content { text } } } } } }`, nil)
	if !r.HasCode("FORBIDDEN") {
		t.Fatalf("eve reads the forwarded content: %v %s", r.Errors, r.Data)
	}
	mustNotFind(t, eve, res.Message.ID) // the original is not hers
	// Forwarding it on again keeps it withheld, and confidential forwards
	// go to named targets only.
	o.admin.GrantScoped(o.eve, []string{o.east}, "SEND_MESSAGES")
	eve = o.login("eve")
	eve.MustDo(fwd, map[string]any{"in": map[string]any{"messageId": in2.Entries[0].Message.ID, "targets": apitest.Range{Members: []string{o.eve}}.Input()}}, &out)
	eve.MustFail("BAD_USER_INPUT", fwd, map[string]any{"in": map[string]any{"messageId": in2.Entries[0].Message.ID, "targets": apitest.Range{Everyone: true}.Input()}})
	if r := eve.Do(`{ inbox(first: 1) { edges { node { withheld message { content { text } } } } } }`, nil); !r.HasCode("FORBIDDEN") {
		t.Fatalf("a forward of a forward gives the content: %s", r.Data)
	}
	// The original recipient still reads it, watermarked, and both reads
	// attempts by eve left no record (she never saw the content).
	var c contentOut
	sam.MustDo(contentQuery, map[string]any{"id": res.Message.ID}, &c)
	if c.Node.Content == nil || c.Node.Content.Watermark == nil {
		t.Fatalf("sam after the forward reads %+v", c.Node)
	}
	var v struct {
		Node struct{ ConfidentialViews struct{ TotalCount int } }
	}
	o.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Message { confidentialViews(first: 5) { totalCount } } } }`, map[string]any{"id": res.Message.ID}, &v)
	if v.Node.ConfidentialViews.TotalCount != 1 {
		t.Fatalf("%d reads on record, want sam's one", v.Node.ConfidentialViews.TotalCount)
	}
}
