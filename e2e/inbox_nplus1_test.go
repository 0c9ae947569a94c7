package e2e

import (
	"encoding/json"
	"fmt"
	"testing"

	contract "github.com/corpline/corpline/frontend-contract"
	"github.com/corpline/corpline/internal/apitest"
)

// TestInboxPagesCostTheSameNumberOfQueriesWhateverTheirSize counts the SQL
// statements behind an inbox page that reads each message's content and
// sender: a page of 30 must cost what a page of 5 costs (no query per
// entry for the reader's entry or for senderName).
func TestInboxPagesCostTheSameNumberOfQueriesWhateverTheirSize(t *testing.T) {
	env, queries := apitest.StartCounting(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	sam := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Name: "Sam Sales", Depts: []string{sales}})
	for i := range 30 {
		admin.Send(apitest.Text(fmt.Sprintf("note %d", i), apitest.Range{Members: []string{sam}}))
	}
	reader := env.Login("acme", "sam", apitest.TestPassword)
	const page = `query($n: Int!) { inbox(first: $n) { edges { node { seq readAt message {
		id content { text watermark } senderName sender { name } } } } } }`
	cost := func(n int) int64 {
		t.Helper()
		var out struct {
			Inbox struct {
				Edges []struct {
					Node struct {
						Message struct {
							Content *struct{ Text string }
							Sender  *struct{ Name string }
						}
					}
				}
			}
		}
		reader.MustDo(viewerQ, nil, nil) // the viewer warm (it is cached per token), as it is for every request after the first
		start := queries.Count()
		reader.MustDo(page, map[string]any{"n": n}, &out)
		spent := queries.Count() - start
		if len(out.Inbox.Edges) != n {
			t.Fatalf("a page of %d has %d edges", n, len(out.Inbox.Edges))
		}
		for _, e := range out.Inbox.Edges {
			if e.Node.Message.Content == nil || e.Node.Message.Content.Text == "" || e.Node.Message.Sender == nil {
				t.Fatalf("an entry without content or sender: %+v", e.Node.Message)
			}
		}
		return spent
	}
	small, large := cost(5), cost(30)
	t.Logf("inbox{message{content senderName sender}}: %d statements for 5, %d for 30", small, large)
	if large != small {
		t.Errorf("%d statements for an inbox page of 5 but %d for 30", small, large)
	}
}

// TestAnInboxPageReadsEachEntryUnderItsOwnRules reads a page of several
// entries (the size at which they are prefetched together): a withheld
// forward stays FORBIDDEN beside readable entries, a confidential message is
// watermarked and every page read is recorded, a former sender is named.
func TestAnInboxPageReadsEachEntryUnderItsOwnRules(t *testing.T) {
	o := newOrg(t)
	o.admin.GrantScoped(o.sam, []string{o.sales}, "SEND_MESSAGES")
	secret := apitest.Text("salary: 42", apitest.Range{Members: []string{o.sam}})
	secret["confidential"] = true
	toSam := o.admin.Send(secret)
	sam := o.login("sam")
	fwd := `mutation($in: ForwardMessageInput!) { forwardMessage(input: $in) { ` + apitest.SendFields + ` } }`
	sam.MustDo(fwd, map[string]any{"in": map[string]any{"messageId": toSam.Message.ID, "targets": apitest.Range{Members: []string{o.eve}}.Input()}}, nil)
	o.admin.Send(apitest.Text("plain", apitest.Range{Members: []string{o.eve}}))
	secret = apitest.Text("bonus: 7", apitest.Range{Members: []string{o.eve}})
	secret["confidential"] = true
	toEve := o.admin.Send(secret)
	o.admin.MustDo(`mutation($id: ID!) { deleteMember(input: {id: $id}) { deletedId } }`, map[string]any{"id": o.sam}, nil)

	eve := o.login("eve")
	const page = `{ inbox(first: 10) { edges { node { withheld message { id senderName content { text watermark } } } } } }`
	for range 2 {
		r := eve.Do(page, nil)
		var out struct {
			Inbox struct {
				Edges []struct {
					Node struct {
						Withheld bool
						Message  *struct {
							ID         string
							SenderName *string
							Content    *struct {
								Text      string
								Watermark *string
							}
						}
					}
				}
			}
		}
		if err := json.Unmarshal(r.Data, &out); err != nil {
			t.Fatal(err)
		}
		if len(r.Errors) != 1 || !r.HasCode("FORBIDDEN") || len(out.Inbox.Edges) != 3 {
			t.Fatalf("eve's page: errors %v, data %s", r.Errors, r.Data)
		}
		var texts []string
		for _, e := range out.Inbox.Edges {
			m := e.Node.Message
			switch {
			case e.Node.Withheld:
				if m != nil && m.Content != nil {
					t.Fatalf("the withheld forward gives its content: %+v", m.Content)
				}
				if m != nil && (m.SenderName == nil || *m.SenderName != "Sam Sales") {
					t.Fatalf("the former sender is named %v", m.SenderName)
				}
			case m == nil || m.Content == nil:
				t.Fatalf("a readable entry without content: %s", r.Data)
			case m.ID == toEve.Message.ID:
				if m.Content.Watermark == nil || *m.Content.Watermark != "Confidential · Eve East (eve)" {
					t.Fatalf("the confidential message reads %+v", m.Content)
				}
				texts = append(texts, m.Content.Text)
			default:
				if m.Content.Watermark != nil || m.SenderName != nil {
					t.Fatalf("the plain message reads %+v, senderName %v", m.Content, m.SenderName)
				}
				texts = append(texts, m.Content.Text)
			}
		}
		if fmt.Sprint(texts) != "[bonus: 7 plain]" {
			t.Fatalf("eve reads %v", texts)
		}
	}
	var v struct {
		Node struct{ ConfidentialViews struct{ TotalCount int } }
	}
	views := `query($id: ID!) { node(id: $id) { ... on Message { confidentialViews(first: 5) { totalCount } } } }`
	o.admin.MustDo(views, map[string]any{"id": toEve.Message.ID}, &v)
	if v.Node.ConfidentialViews.TotalCount != 2 {
		t.Fatalf("%d reads of the confidential message on record, want eve's two", v.Node.ConfidentialViews.TotalCount)
	}
	o.admin.MustDo(views, map[string]any{"id": toSam.Message.ID}, &v)
	if v.Node.ConfidentialViews.TotalCount != 0 {
		t.Fatalf("%d reads of the forwarded original on record, want none", v.Node.ConfidentialViews.TotalCount)
	}
}

// TestAWarmInboxPageCostsAtMostThreeStatements counts frontend-contract's
// InboxPage once the reader's viewer is warm: the page, its messages and
// their senders, and nothing for the reader's entries (the page's own) or
// senderName (the senders are current members).
func TestAWarmInboxPageCostsAtMostThreeStatements(t *testing.T) {
	env, queries := apitest.StartCounting(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	sam := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Name: "Sam Sales", Depts: []string{sales}})
	for i := range 35 {
		admin.Send(apitest.Text(fmt.Sprintf("note %d", i), apitest.Range{Members: []string{sam}}))
	}
	reader := env.Login("acme", "sam", apitest.TestPassword)
	page, err := contract.Find("InboxPage")
	if err != nil {
		t.Fatal(err)
	}
	reader.DoOperation(page.Document, page.Name, nil) // warm
	start := queries.Count()
	r := reader.DoOperation(page.Document, page.Name, nil)
	spent := queries.Count() - start
	var out struct {
		Inbox struct {
			Edges []struct {
				Node struct {
					Message struct {
						Content *struct{ Text string }
						Sender  *struct{ Name string }
					}
				}
			}
		}
	}
	r.Decode(t, &out)
	if len(r.Errors) > 0 || len(out.Inbox.Edges) != 30 || out.Inbox.Edges[0].Node.Message.Content == nil ||
		out.Inbox.Edges[0].Node.Message.Content.Text != "note 34" || out.Inbox.Edges[0].Node.Message.Sender == nil {
		t.Fatalf("errors %v, %d edges, %+v", r.Errors, len(out.Inbox.Edges), out.Inbox.Edges)
	}
	t.Logf("InboxPage, warm: %d statements", spent)
	if spent > 3 {
		t.Errorf("a warm InboxPage costs %d statements, more than 3", spent)
	}
}
