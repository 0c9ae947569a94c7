package e2e

import (
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// assignmentSight is what one read path shows a viewer of one assignment.
type assignmentSight struct {
	node, nodes, list, where, filter, events, subtasks bool
}

func (s assignmentSight) all(want bool) bool {
	return s.node == want && s.nodes == want && s.list == want && s.where == want && s.filter == want && s.events == want
}

// sightOf asks every read path whether c sees assignment id (with subtask
// sub, and eventID one line of its timeline).
func sightOf(t *testing.T, c *apitest.Client, id, sub, eventID string) assignmentSight {
	t.Helper()
	var s assignmentSight
	r := c.Do(`query($id: ID!) { node(id: $id) { ... on Assignment { id subtasks { id } events(first: 5) { totalCount } } } }`, map[string]any{"id": id})
	var n struct {
		Node *struct {
			ID       string
			Subtasks []struct{ ID string }
			Events   struct{ TotalCount int }
		}
	}
	r.Decode(t, &n)
	if n.Node == nil && !r.HasCode("NOT_FOUND") {
		t.Fatalf("a hidden assignment must answer NOT_FOUND: %v", r.Errors)
	}
	s.node = n.Node != nil && n.Node.ID == id
	s.subtasks = n.Node != nil && len(n.Node.Subtasks) == 1 && n.Node.Subtasks[0].ID == sub

	var ns struct{ Nodes []*struct{ ID string } }
	c.Do(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{id, sub, eventID}}).Decode(t, &ns)
	s.nodes = len(ns.Nodes) == 3 && ns.Nodes[0] != nil && ns.Nodes[1] != nil && ns.Nodes[2] != nil
	if !s.nodes && len(ns.Nodes) == 3 && (ns.Nodes[0] != nil || ns.Nodes[1] != nil || ns.Nodes[2] != nil) {
		t.Fatalf("nodes shows part of a hidden assignment: %+v", ns.Nodes)
	}

	list := assignmentIDs(t, c, `{}`)
	s.list = slices.Contains(list, id) && slices.Contains(list, sub)
	if !s.list && len(list) > 0 {
		t.Fatalf("the list shows %v of what should be hidden", list)
	}
	var w struct{ Assignments struct{ TotalCount int } }
	c.MustDo(`{ assignments(first: 0, where: {titleContains: "secret", statusIn: [TODO]}) { totalCount } }`, nil, &w)
	s.where = w.Assignments.TotalCount == 2
	if !s.where && w.Assignments.TotalCount != 0 {
		t.Fatalf("where counts %d", w.Assignments.TotalCount)
	}
	sub2 := assignmentIDs(t, c, `{topLevel: false, overdue: false}`)
	s.filter = slices.Equal(sub2, []string{sub})
	if !s.filter && len(sub2) > 0 {
		t.Fatalf("the filter shows %v", sub2)
	}
	s.events = n.Node != nil && n.Node.Events.TotalCount == 1
	return s
}

// TestAssignmentsAreSeenByTheirPeopleAndTheAssignersAdminsOnly is the
// visibility table of assignments: the assigner, verifier, assignees and
// followers see one, and so do admins of the assigner's departments; no one
// else does, through any read path (node, nodes, list, counts, where,
// filters, subtasks, timeline lines), and a subtask is seen with its parent.
func TestAssignmentsAreSeenByTheirPeopleAndTheAssignersAdminsOnly(t *testing.T) {
	o := newOrg(t)
	hr := o.admin.CreateDepartment("HR", o.acme.RootID)
	hank := o.admin.CreateMember(apitest.MemberSpec{Userid: "hank", Depts: []string{hr}})
	o.admin.GrantScoped(hank, []string{o.sales}, "MANAGE_MEMBERS") // over the assigner's department
	rob := o.admin.CreateMember(apitest.MemberSpec{Userid: "rob", Depts: []string{hr}})
	o.admin.GrantScoped(rob, []string{o.rnd}, "MANAGE_MEMBERS", "SEND_MESSAGES") // over the others' only
	nina := o.admin.CreateMember(apitest.MemberSpec{Userid: "nina", Depts: []string{o.rnd}})
	_ = nina

	sam, eve := o.login("sam"), o.login("eve")
	a := sam.Assign(map[string]any{"title": "secret audit", "assigneeIds": []string{o.eve},
		"followerIds": []string{o.ray}, "verifierId": o.rita})
	sub := eve.Assign(map[string]any{"title": "secret audit, part 1", "assigneeIds": []string{o.eve}, "parentId": a.ID})
	var ev struct {
		Node struct {
			Events struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	sam.MustDo(`query($id: ID!) { node(id: $id) { ... on Assignment { events(first: 1) { edges { node { id } } } } } }`, map[string]any{"id": a.ID}, &ev)
	eventID := ev.Node.Events.Edges[0].Node.ID

	otherAdmin := o.env.Admin(o.other)
	rows := []struct {
		who  string
		c    *apitest.Client
		sees bool
	}{
		{"assigner", sam, true},
		{"assignee", eve, true},
		{"follower", o.login("ray"), true},
		{"verifier", o.login("rita"), true},
		{"super admin", o.admin, true},
		{"admin over the assigner's department", o.login("hank"), true},
		{"admin over the assignees' departments only", o.login("rob"), false},
		{"member of no part", o.login("nina"), false},
		{"other enterprise's admin", otherAdmin, false},
		{"other enterprise's member", o.env.Login("other", "olga", apitest.TestPassword), false},
	}
	for _, row := range rows {
		t.Run(row.who, func(t *testing.T) {
			s := sightOf(t, row.c, a.ID, sub.ID, eventID)
			if !s.all(row.sees) || s.subtasks != row.sees {
				t.Fatalf("sees=%v wanted on every path, got %+v", row.sees, s)
			}
		})
	}

	// A follower taken off the assignment loses it everywhere, and the
	// entry about it in their inbox shows no subject any more.
	ray := o.login("ray")
	if in := subjectInbox(t, ray); len(in) != 1 {
		t.Fatalf("ray's inbox %v", in)
	}
	sam.ActOnAssignment("updateAssignment", map[string]any{"id": a.ID, "followerIds": []string{}})
	if s := sightOf(t, ray, a.ID, sub.ID, eventID); !s.all(false) {
		t.Fatalf("a removed follower still sees %+v", s)
	}
	if in := subjectInbox(t, ray); len(in) != 0 {
		t.Fatalf("a removed follower's inbox still shows %v", in)
	}
}
