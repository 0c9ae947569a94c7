package e2e

import (
	"fmt"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestInboxPagesBySequenceNewestFirst(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	for i := 1; i <= 7; i++ {
		crm.Send(apitest.Text(fmt.Sprint(i), apitest.Range{Members: []string{o.sam}}))
	}
	sam := o.login("sam")
	var seqs []int
	var after any
	for {
		var out struct {
			Inbox struct {
				TotalCount int
				Edges      []struct{ Node struct{ Seq int } }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		sam.MustDo(`query($a: Cursor) { inbox(first: 3, after: $a) { totalCount edges { node { seq } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"a": after}, &out)
		if out.Inbox.TotalCount != 7 {
			t.Fatalf("totalCount %d", out.Inbox.TotalCount)
		}
		for _, e := range out.Inbox.Edges {
			seqs = append(seqs, e.Node.Seq)
		}
		if !out.Inbox.PageInfo.HasNextPage {
			break
		}
		after = out.Inbox.PageInfo.EndCursor
	}
	if fmt.Sprint(seqs) != "[7 6 5 4 3 2 1]" {
		t.Fatalf("pages gave seqs %v", seqs)
	}
	sam.MustFail("BAD_USER_INPUT", `{ inbox { totalCount } }`, nil)
}

func TestMarkInboxReadOneEntryOrUpToACursor(t *testing.T) {
	o := newOrg(t)
	crm, appID := o.salesApp()
	for i := 1; i <= 5; i++ {
		crm.Send(apitest.Text(fmt.Sprint(i), apitest.Range{Members: []string{o.sam}}))
	}
	o.admin.Send(apitest.Text("from the admin", apitest.Range{Members: []string{o.sam}}))
	sam := o.login("sam")
	in := sam.Inbox(10) // seq 6 (admin), 5..1 (app)
	if in.Unread.Total != 6 || in.Unread.Others != 1 || len(in.Unread.Apps) != 1 || in.Unread.Apps[0].App.ID != appID || in.Unread.Apps[0].Count != 5 {
		t.Fatalf("unread before = %+v", in.Unread)
	}
	mark := `mutation($in: MarkInboxReadInput!) { markInboxRead(input: $in) { updated unread { total others } } }`
	var out struct {
		MarkInboxRead struct {
			Updated int
			Unread  struct{ Total, Others int }
		}
	}
	sam.MustDo(mark, map[string]any{"in": map[string]any{"entryId": in.Entries[0].ID}}, &out)
	if out.MarkInboxRead.Updated != 1 || out.MarkInboxRead.Unread.Total != 5 || out.MarkInboxRead.Unread.Others != 0 {
		t.Fatalf("after reading the admin's message: %+v", out.MarkInboxRead)
	}
	// Up to seq 3 by the cursor of its edge: 3, 2, 1.
	var page struct {
		Inbox struct {
			Edges []struct {
				Cursor string
				Node   struct{ Seq int }
			}
		}
	}
	sam.MustDo(`{ inbox(first: 10) { edges { cursor node { seq } } } }`, nil, &page)
	cursor := page.Inbox.Edges[3].Cursor
	if page.Inbox.Edges[3].Node.Seq != 3 {
		t.Fatalf("edge 3 has seq %d", page.Inbox.Edges[3].Node.Seq)
	}
	sam.MustDo(mark, map[string]any{"in": map[string]any{"upTo": cursor}}, &out)
	if out.MarkInboxRead.Updated != 3 || out.MarkInboxRead.Unread.Total != 2 {
		t.Fatalf("after reading up to seq 3: %+v", out.MarkInboxRead)
	}
	sam.MustDo(mark, map[string]any{"in": map[string]any{"upTo": cursor}}, &out)
	if out.MarkInboxRead.Updated != 0 {
		t.Fatal("marking read again changed entries")
	}
	sam.MustFail("BAD_USER_INPUT", mark, map[string]any{"in": map[string]any{}})
	// Someone else's entry is not found.
	crm.Send(apitest.Text("eve's", apitest.Range{Members: []string{o.eve}}))
	eveEntry := o.login("eve").Inbox(1).Entries[0].ID
	sam.MustFail("NOT_FOUND", mark, map[string]any{"in": map[string]any{"entryId": eveEntry}})
	if o.login("eve").Inbox(1).Entries[0].ReadAt != nil {
		t.Fatal("sam marked eve's entry read")
	}
}

func TestSendersSeeWhoReadAndWhoDidNot(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	res := crm.Send(apitest.Text("read me", apitest.Range{Departments: []string{o.sales}}))
	sam := o.login("sam")
	sam.MustDo(`mutation($id: ID!) { markInboxRead(input: {entryId: $id}) { updated } }`, map[string]any{"id": sam.Inbox(1).Entries[0].ID}, nil)
	q := `query($id: ID!) { node(id: $id) { ... on Message { receipts { recipientCount readCount unreadCount
		read(first: 10) { totalCount edges { node { readAt member { userid } } } }
		unread(first: 10) { totalCount edges { node { readAt member { userid } } } } } } } }`
	type conn struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ReadAt *string
				Member *struct{ Userid string }
			}
		}
	}
	var out struct {
		Node struct {
			Receipts struct {
				RecipientCount, ReadCount, UnreadCount int
				Read, Unread                           conn
			}
		}
	}
	for _, c := range []*apitest.Client{crm, o.admin} {
		c.MustDo(q, map[string]any{"id": res.Message.ID}, &out)
		r := out.Node.Receipts
		if r.RecipientCount != 2 || r.ReadCount != 1 || r.UnreadCount != 1 || r.Read.TotalCount != 1 ||
			r.Read.Edges[0].Node.Member.Userid != "sam" || r.Read.Edges[0].Node.ReadAt == nil ||
			r.Unread.Edges[0].Node.Member.Userid != "eve" || r.Unread.Edges[0].Node.ReadAt != nil {
			t.Fatalf("receipts = %+v", r)
		}
	}
	// A recipient sees the message, not who else read it.
	sam.MustFail("FORBIDDEN", q, map[string]any{"id": res.Message.ID})
}
