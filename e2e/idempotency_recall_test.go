package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestARetriedSendWithTheSameKeyDeliversOnceAndAnswersTheSame(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	in := apitest.Text("pay day", apitest.Range{Departments: []string{o.sales}, Members: []string{o.rita}})
	in["idempotencyKey"] = "payroll-2026-01"
	first := crm.Send(in)
	again := crm.Send(in)
	if first.Replayed || !again.Replayed || again.Message.ID != first.Message.ID || again.RecipientCount != first.RecipientCount ||
		len(again.OutOfRangeTargets) != 1 || again.OutOfRangeTargets[0] != o.rita {
		t.Fatalf("first %+v, retry %+v", first, again)
	}
	if n := o.login("sam").Inbox(5).TotalCount; n != 1 {
		t.Fatalf("sam got %d entries from a retried send", n)
	}
	in["content"] = map[string]any{"text": "different"}
	if r := crm.TrySend(in); !r.HasCode("CONFLICT") {
		t.Fatalf("a key reused for another message: %v", r.Errors)
	}
	// Keys belong to their sender: another sender's same key sends anew.
	other := apitest.Text("pay day", apitest.Range{Members: []string{o.sam}})
	other["idempotencyKey"] = "payroll-2026-01"
	if res := o.admin.Send(other); res.Replayed {
		t.Fatal("another sender's key replayed this one's send")
	}
}

func TestRecallRemovesTheMessageFromEveryInboxAndItsContent(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	keep := crm.Send(apitest.Text("keep", apitest.Range{Departments: []string{o.sales}}))
	gone := crm.Send(apitest.Text("oops", apitest.Range{Departments: []string{o.sales}}))
	recall := `mutation($id: ID!) { recallMessage(input: {id: $id}) { message { id recalledAt content { text } } } }`
	// Only the sender recalls.
	o.login("sam").MustFail("FORBIDDEN", recall, map[string]any{"id": gone.Message.ID})
	o.admin.MustFail("FORBIDDEN", recall, map[string]any{"id": gone.Message.ID})
	var out struct {
		RecallMessage struct {
			Message struct {
				RecalledAt *string
				Content    *struct{ Text string }
			}
		}
	}
	crm.MustDo(recall, map[string]any{"id": gone.Message.ID}, &out)
	if out.RecallMessage.Message.RecalledAt == nil || out.RecallMessage.Message.Content != nil {
		t.Fatalf("recalled message = %+v", out.RecallMessage.Message)
	}
	crm.MustDo(recall, map[string]any{"id": gone.Message.ID}, nil) // twice is fine
	for _, who := range []string{"sam", "eve"} {
		c := o.login(who)
		in := c.Inbox(10)
		if in.TotalCount != 1 || in.Entries[0].Message.ID != keep.Message.ID || in.Unread.Total != 1 {
			t.Fatalf("%s's inbox after the recall: %+v", who, in)
		}
		mustNotFind(t, c, gone.Message.ID)
	}
	// The recalled entry left a hole in nobody's numbering: the next is seq 3.
	crm.Send(apitest.Text("next", apitest.Range{Members: []string{o.sam}}))
	if in := o.login("sam").Inbox(1); in.Entries[0].Seq != 3 {
		t.Fatalf("next entry seq = %d, want 3", in.Entries[0].Seq)
	}
}

func TestForwardingAnOrdinaryMessagePassesItsContentOn(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	orig := crm.Send(apitest.Text("lunch at noon", apitest.Range{Members: []string{o.sam}}))
	fwd := `mutation($in: ForwardMessageInput!) { forwardMessage(input: $in) { ` + apitest.SendFields + ` } }`
	var out struct{ ForwardMessage apitest.SendResult }
	o.login("sam").MustDo(fwd, map[string]any{"in": map[string]any{"messageId": orig.Message.ID, "targets": apitest.Range{Members: []string{o.eve}}.Input()}}, &out)
	if out.ForwardMessage.RecipientCount != 1 {
		t.Fatalf("forward = %+v", out.ForwardMessage)
	}
	var content struct {
		Inbox struct {
			Edges []struct {
				Node struct {
					Message struct {
						Content       struct{ Text string }
						Sender        struct{ Userid string }
						ForwardedFrom *struct{ ID string }
					}
				}
			}
		}
	}
	o.login("eve").MustDo(`{ inbox(first: 1) { edges { node { message { content { text } sender { userid } forwardedFrom { id } } } } } }`, nil, &content)
	m := content.Inbox.Edges[0].Node.Message
	if m.Content.Text != "lunch at noon" || m.Sender.Userid != "sam" || m.ForwardedFrom != nil {
		t.Fatalf("eve sees %+v (the original is not hers to see)", m)
	}
	// Someone who never received it cannot forward it, nor can a plain
	// member forward to a department.
	o.login("rita").MustFail("NOT_FOUND", fwd, map[string]any{"in": map[string]any{"messageId": orig.Message.ID, "targets": apitest.Range{Members: []string{o.ray}}.Input()}})
	o.login("sam").MustFail("FORBIDDEN", fwd, map[string]any{"in": map[string]any{"messageId": orig.Message.ID, "targets": apitest.Range{Departments: []string{o.rnd}}.Input()}})
}
