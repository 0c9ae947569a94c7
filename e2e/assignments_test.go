package e2e

import (
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// expectSubject reads the next inbox event of sub on ws and checks it is a
// NEW entry about assignment id reporting event.
func expectSubject(t *testing.T, ws *apitest.WS, sub, id, event string) apitest.SubjectEvent {
	t.Helper()
	ev := ws.SubjectEvent(sub)
	e := ev.Entry
	if ev.Kind != "NEW" || e == nil || e.SubjectType == nil || *e.SubjectType != "ASSIGNMENT" ||
		e.SubjectEvent == nil || *e.SubjectEvent != event || e.Subject == nil || e.Subject.ID != id {
		t.Fatalf("want NEW %s of assignment %s, got %+v (entry %+v)", event, id, ev, e)
	}
	return ev
}

// mustFailOn asserts that query fails with code naming field.
func mustFailOn(t *testing.T, c *apitest.Client, code, field, query string, vars map[string]any) {
	t.Helper()
	r := c.MustFail(code, query, vars)
	if f, _ := r.Errors[0].Extensions["field"].(string); f != field {
		t.Fatalf("want %s naming %q, got %v", code, field, r.Errors)
	}
}

// TestScenario3AssignFollowVerify is scenario 3: a team lead assigns work,
// follows it, sends it back once and closes the loop when it is verified;
// everyone concerned hears of each step in their inbox, live.
func TestScenario3AssignFollowVerify(t *testing.T) {
	o := newOrg(t)
	rita, ray, sam, eve := o.login("rita"), o.login("ray"), o.login("sam"), o.login("eve")

	rayWS := o.env.WS()
	rayWS.Init(ray.Token)
	rayWS.SubscribeSubjects("in")
	ritaWS := o.env.WS()
	ritaWS.Init(rita.Token)
	ritaWS.SubscribeSubjects("in")

	// The lead assigns the work to two, with a follower, due in a week.
	a := rita.Assign(map[string]any{
		"title": "Ship the Q3 report", "description": "numbers **and** charts",
		"assigneeIds": []string{o.ray, o.sam}, "followerIds": []string{o.eve},
		"priority": "HIGH", "startDate": "2026-01-05", "dueDate": "2026-01-09",
	})
	if a.Status != "TODO" || a.CompletionMode != "EACH" || a.Verifier == nil || a.Verifier.ID != o.rita ||
		!slices.Equal(a.MyRoles, []string{"ASSIGNER", "VERIFIER"}) || len(a.Assignees) != 2 || len(a.Followers) != 1 {
		t.Fatalf("created %+v", a)
	}
	expectSubject(t, rayWS, "in", a.ID, "ASSIGNED")
	for _, c := range []*apitest.Client{sam, eve} {
		if in := subjectInbox(t, c); len(in) != 1 || in[0] != "ASSIGNED:"+a.ID {
			t.Fatalf("inbox of %s = %v", c.MemberID, in)
		}
	}

	// The follower sees it among theirs and may not act; nobody verifies
	// work that is not done.
	if got := assignmentIDs(t, eve, `{role: FOLLOWER}`); !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("eve follows %v", got)
	}
	eve.MustFail("FORBIDDEN", apitest.AssignmentOp("completeAssignment"), map[string]any{"in": map[string]any{"id": a.ID}})
	rita.MustFail("CONFLICT", apitest.AssignmentOp("verifyAssignment"), map[string]any{"in": map[string]any{"id": a.ID}})
	ray.MustFail("FORBIDDEN", apitest.AssignmentOp("verifyAssignment"), map[string]any{"in": map[string]any{"id": a.ID}})

	// Each assignee completes: the first makes it IN_PROGRESS, the second DONE.
	a = ray.ActOnAssignment("completeAssignment", map[string]any{"id": a.ID, "note": "my half"})
	if a.Status != "IN_PROGRESS" || !a.CompletedBy(o.ray) || a.CompletedBy(o.sam) || a.DoneAt != nil {
		t.Fatalf("after ray: %+v", a)
	}
	expectSubject(t, ritaWS, "in", a.ID, "COMPLETED")
	if again := ray.ActOnAssignment("completeAssignment", map[string]any{"id": a.ID}); again.Status != "IN_PROGRESS" {
		t.Fatalf("a second completion changed the state: %+v", again)
	}
	a = sam.ActOnAssignment("completeAssignment", map[string]any{"id": a.ID})
	if a.Status != "DONE" || !a.CompletedBy(o.sam) || a.DoneAt == nil {
		t.Fatalf("after sam: %+v", a)
	}
	expectSubject(t, ritaWS, "in", a.ID, "COMPLETED")
	expectSubject(t, rayWS, "in", a.ID, "COMPLETED")

	// Reopened once, with a reason: completions cleared, back to the assignees.
	rita.MustFail("BAD_USER_INPUT", apitest.AssignmentOp("reopenAssignment"), map[string]any{"in": map[string]any{"id": a.ID, "reason": " "}})
	a = rita.ActOnAssignment("reopenAssignment", map[string]any{"id": a.ID, "reason": "charts are missing"})
	if a.Status != "REOPENED" || a.CompletedBy(o.ray) || a.CompletedBy(o.sam) || a.ReopenReason == nil || *a.ReopenReason != "charts are missing" {
		t.Fatalf("after reopen: %+v", a)
	}
	ev := expectSubject(t, rayWS, "in", a.ID, "REOPENED")
	if ev.Entry.Actor == nil || ev.Entry.Actor.ID != o.rita || ev.Entry.Subject.Status != "REOPENED" {
		t.Fatalf("reopen entry %+v", ev.Entry)
	}
	rita.MustFail("CONFLICT", apitest.AssignmentOp("reopenAssignment"), map[string]any{"in": map[string]any{"id": a.ID, "reason": "again"}})

	a = sam.ActOnAssignment("completeAssignment", map[string]any{"id": a.ID})
	if a.Status != "IN_PROGRESS" {
		t.Fatalf("after sam's second completion: %+v", a)
	}
	expectSubject(t, rayWS, "in", a.ID, "COMPLETED")
	a = ray.ActOnAssignment("completeAssignment", map[string]any{"id": a.ID})
	if a.Status != "DONE" {
		t.Fatalf("after ray's second completion: %+v", a)
	}

	// Verified: the loop is closed, and nothing moves it any more.
	a = rita.ActOnAssignment("verifyAssignment", map[string]any{"id": a.ID, "note": "thanks"})
	if a.Status != "VERIFIED" || a.VerifiedAt == nil {
		t.Fatalf("after verify: %+v", a)
	}
	expectSubject(t, rayWS, "in", a.ID, "VERIFIED")
	rita.MustFail("CONFLICT", apitest.AssignmentOp("verifyAssignment"), map[string]any{"in": map[string]any{"id": a.ID}})
	sam.MustFail("CONFLICT", apitest.AssignmentOp("completeAssignment"), map[string]any{"in": map[string]any{"id": a.ID}})
	rita.MustFail("CONFLICT", apitest.AssignmentOp("updateAssignment"), map[string]any{"in": map[string]any{"id": a.ID, "title": "late edit"}})

	var tl struct {
		Node struct {
			Events struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Kind  string
						Body  string
						Actor *struct{ ID string }
					}
				}
			}
		}
	}
	eve.MustDo(`query($id: ID!) { node(id: $id) { ... on Assignment { events(first: 20) { totalCount edges { node { kind body actor { id } } } } } } }`,
		map[string]any{"id": a.ID}, &tl)
	var kinds []string
	for _, e := range tl.Node.Events.Edges {
		kinds = append(kinds, e.Node.Kind)
	}
	want := []string{"ASSIGNED", "COMPLETED", "COMPLETED", "REOPENED", "COMPLETED", "COMPLETED", "VERIFIED"}
	if !slices.Equal(kinds, want) || tl.Node.Events.TotalCount != len(want) {
		t.Fatalf("timeline %v, want %v", kinds, want)
	}
	if in := subjectInbox(t, eve); len(in) != 7 || in[0] != "VERIFIED:"+a.ID {
		t.Fatalf("the follower heard %v", in)
	}
}

// subjectInbox lists c's inbox entries about items, newest first, as EVENT:ID.
func subjectInbox(t *testing.T, c *apitest.Client) []string {
	t.Helper()
	var out struct {
		Inbox struct {
			Edges []struct {
				Node struct {
					SubjectEvent *string
					Subject      *struct{ ID string }
				}
			}
		}
	}
	c.MustDo(`{ inbox(first: 50) { edges { node { subjectEvent subject { ... on Assignment { id } } } } } }`, nil, &out)
	var got []string
	for _, e := range out.Inbox.Edges {
		if e.Node.SubjectEvent != nil && e.Node.Subject != nil {
			got = append(got, *e.Node.SubjectEvent+":"+e.Node.Subject.ID)
		}
	}
	return got
}

// assignmentIDs lists the IDs of c's assignments under filter (a GraphQL
// AssignmentsFilter literal), checking totalCount agrees.
func assignmentIDs(t *testing.T, c *apitest.Client, filter string) []string {
	t.Helper()
	var out struct {
		Assignments struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	c.MustDo(`{ assignments(first: 50, filter: `+filter+`) { totalCount edges { node { id } } } }`, nil, &out)
	ids := []string{}
	for _, e := range out.Assignments.Edges {
		ids = append(ids, e.Node.ID)
	}
	if out.Assignments.TotalCount != len(ids) {
		t.Fatalf("totalCount %d for %d assignments", out.Assignments.TotalCount, len(ids))
	}
	return ids
}
