package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestDirectConversationIsOnePerPairAndArrivesInBothInboxes(t *testing.T) {
	o := newOrg(t)
	sam, eve := o.login("sam"), o.login("eve")
	id, created := sam.CreateConversation("DIRECT", "", o.eve)
	again, createdAgain := eve.CreateConversation("DIRECT", "", o.sam)
	if !created || createdAgain || again != id {
		t.Fatalf("first %s (%v), second %s (%v): want one conversation per pair", id, created, again, createdAgain)
	}
	res := sam.Say(id, "coffee?")
	if res.RecipientCount != 2 {
		t.Fatalf("said to %d, want both", res.RecipientCount)
	}
	ein := eve.Inbox(5)
	if ein.TotalCount != 1 || ein.Unread.Total != 1 || len(ein.Unread.Conversations) != 1 || ein.Unread.Conversations[0].Conversation.ID != id {
		t.Fatalf("eve's inbox = %+v", ein)
	}
	sin := sam.Inbox(5)
	if sin.TotalCount != 1 || sin.Entries[0].ReadAt == nil || sin.Unread.Total != 0 {
		t.Fatalf("sam's own message should be in his stream, read: %+v", sin)
	}
	var out struct {
		Conversations struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Kind        string
					UnreadCount int
					Members     []struct{ Userid string }
				}
			}
		}
	}
	eve.MustDo(`{ conversations(first: 5) { totalCount edges { node { kind unreadCount members { userid } } } } }`, nil, &out)
	if out.Conversations.TotalCount != 1 || out.Conversations.Edges[0].Node.UnreadCount != 1 || len(out.Conversations.Edges[0].Node.Members) != 2 {
		t.Fatalf("eve's conversations = %+v", out.Conversations)
	}
	rita := o.login("rita")
	mustNotFind(t, rita, id)
	mustNotFind(t, o.admin, id) // conversations are private, admins included
	rita.MustFail("NOT_FOUND", apitest.SayQuery, map[string]any{"in": map[string]any{"conversationId": id, "kind": "TEXT", "content": map[string]any{"text": "hi"}}})
	sam.MustFail("BAD_USER_INPUT", apitest.SayQuery, map[string]any{"in": map[string]any{"conversationId": id, "kind": "CARD",
		"content": map[string]any{"card": map[string]any{"title": "t", "description": "d", "url": "https://x.example"}}}})
	sam.MustFail("BAD_USER_INPUT", `mutation($in: CreateConversationInput!) { createConversation(input: $in) { created } }`,
		map[string]any{"in": map[string]any{"kind": "DIRECT", "memberIds": []string{o.eve, o.rita}}})
	if n := rita.Inbox(5).TotalCount; n != 0 {
		t.Fatalf("rita got %d entries of a conversation she is not in", n)
	}
}

func TestRemovedGroupMembersStopReceivingAndKeepWhatTheyHad(t *testing.T) {
	o := newOrg(t)
	sam, eve, rita := o.login("sam"), o.login("eve"), o.login("rita")
	id, _ := sam.CreateConversation("GROUP", "launch", o.eve, o.rita)
	if res := sam.Say(id, "one"); res.RecipientCount != 3 {
		t.Fatalf("said to %d, want 3", res.RecipientCount)
	}
	remove := `mutation($c: ID!, $m: [ID!]!) { removeConversationMembers(input: {conversationId: $c, memberIds: $m}) { id } }`
	eve.MustFail("FORBIDDEN", remove, map[string]any{"c": id, "m": []string{o.rita}})
	sam.MustDo(remove, map[string]any{"c": id, "m": []string{o.rita}}, nil)
	eve.Say(id, "two")
	if in := rita.Inbox(5); in.TotalCount != 1 {
		t.Fatalf("rita after removal has %d entries, want the 1 from before", in.TotalCount)
	}
	mustNotFind(t, rita, id)
	rita.MustFail("NOT_FOUND", apitest.SayQuery, map[string]any{"in": map[string]any{"conversationId": id, "kind": "TEXT", "content": map[string]any{"text": "let me back"}}})
	eve.MustDo(remove, map[string]any{"c": id, "m": []string{o.eve}}, nil) // leaving
	if res := sam.Say(id, "three"); res.RecipientCount != 1 {
		t.Fatalf("after eve left, said to %d, want only sam", res.RecipientCount)
	}
	sam.MustDo(`mutation($c: ID!, $m: [ID!]!) { addConversationMembers(input: {conversationId: $c, memberIds: $m}) { id } }`,
		map[string]any{"c": id, "m": []string{o.rita}}, nil)
	if res := sam.Say(id, "four"); res.RecipientCount != 2 {
		t.Fatalf("after adding rita back, said to %d, want 2", res.RecipientCount)
	}
	if in := rita.Inbox(5); in.TotalCount != 2 {
		t.Fatalf("rita has %d entries, want 2 (one before removal, one after rejoining)", in.TotalCount)
	}
}

func TestConversationsOnlyAmongMembersWhoCanSeeEachOther(t *testing.T) {
	o := newOrg(t)
	o.admin.SetVisibility("DEPARTMENT")
	create := `mutation($in: CreateConversationInput!) { createConversation(input: $in) { created } }`
	// sam (Sales) cannot see rita (R&D).
	o.login("sam").MustFail("NOT_FOUND", create, map[string]any{"in": map[string]any{"kind": "DIRECT", "memberIds": []string{o.rita}}})
	// The super admin sees both, but they do not see each other.
	o.admin.MustFail("FORBIDDEN", create, map[string]any{"in": map[string]any{"kind": "GROUP", "memberIds": []string{o.sam, o.rita}}})
	// sam sees eve (East is under Sales), but eve does not see sam, who
	// leads nothing above her: no conversation.
	o.login("sam").MustFail("FORBIDDEN", create, map[string]any{"in": map[string]any{"kind": "DIRECT", "memberIds": []string{o.eve}}})
	// rita and ray, both of R&D, see each other.
	o.login("rita").CreateConversation("DIRECT", "", o.ray)
	// A member of another enterprise is unknown.
	o.login("sam").MustFail("NOT_FOUND", create, map[string]any{"in": map[string]any{"kind": "DIRECT", "memberIds": []string{o.olga}}})
	// Apps do not converse.
	crm, _ := o.salesApp()
	crm.MustFail("FORBIDDEN", create, map[string]any{"in": map[string]any{"kind": "DIRECT", "memberIds": []string{o.sam}}})
}
