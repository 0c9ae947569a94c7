package e2e

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/clock"
)

func TestAssignmentInputIsCheckedAndNothingIsHalfWritten(t *testing.T) {
	o := newOrg(t)
	rita := o.login("rita")
	create := apitest.AssignmentOp("createAssignment")
	in := func(kv ...any) map[string]any {
		m := map[string]any{"title": "t", "assigneeIds": []string{o.ray}}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return map[string]any{"in": m}
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("mem_%d", i)
	}
	long := make([]byte, 201)
	for i := range long {
		long[i] = 'x'
	}
	for _, c := range []struct {
		name, code, field string
		vars              map[string]any
	}{
		{"empty title", "BAD_USER_INPUT", "title", in("title", "  ")},
		{"title over 200", "BAD_USER_INPUT", "title", in("title", string(long))},
		{"no assignee", "BAD_USER_INPUT", "assigneeIds", in("assigneeIds", []string{})},
		{"101 assignees", "BAD_USER_INPUT", "assigneeIds", in("assigneeIds", many)},
		{"follower also assignee", "BAD_USER_INPUT", "followerIds", in("followerIds", []string{o.ray})},
		{"due before start", "BAD_USER_INPUT", "dueDate", in("startDate", "2026-03-10", "dueDate", "2026-03-09")},
		{"not a date", "BAD_USER_INPUT", "dueDate", in("dueDate", "next friday")},
		{"member of another enterprise", "NOT_FOUND", "assigneeIds", in("assigneeIds", []string{o.olga})},
		{"unknown follower", "NOT_FOUND", "followerIds", in("followerIds", []string{"mem_nobody"})},
		{"unknown verifier", "NOT_FOUND", "verifierId", in("verifierId", o.olga)},
		{"unknown parent", "NOT_FOUND", "parentId", in("parentId", "asn_nothing")},
	} {
		t.Run(c.name, func(t *testing.T) { mustFailOn(t, rita, c.code, c.field, create, c.vars) })
	}
	// A refusal found late (the verifier, after the assignees were read)
	// leaves no assignment and no inbox entry behind.
	if ids := assignmentIDs(t, rita, `{}`); len(ids) != 0 {
		t.Fatalf("refused creations left %v", ids)
	}
	if in := subjectInbox(t, o.login("ray")); len(in) != 0 {
		t.Fatalf("refused creations notified ray: %v", in)
	}

	// Subtasks go one level deep; only those doing or assigning the work add them.
	a := rita.Assign(map[string]any{"title": "parent", "assigneeIds": []string{o.ray}})
	sub := o.login("ray").Assign(map[string]any{"title": "child", "assigneeIds": []string{o.ray}, "parentId": a.ID})
	mustFailOn(t, rita, "BAD_USER_INPUT", "parentId", create, in("parentId", sub.ID))
	o.admin.MustFail("FORBIDDEN", create, in("parentId", a.ID)) // the super admin sees it, but is not in it
	o.login("sam").MustFail("NOT_FOUND", create, in("parentId", a.ID))
	// Apps do not take part.
	app, _ := o.salesApp()
	app.MustFail("FORBIDDEN", create, in())
}

func TestAssigningStaysWithinWhatTheAssignerSees(t *testing.T) {
	o := newOrg(t)
	o.admin.SetVisibility("DEPARTMENT")
	sam := o.login("sam") // Sales sees Sales and East, not R&D
	mustFailOn(t, sam, "NOT_FOUND", "assigneeIds", apitest.AssignmentOp("createAssignment"),
		map[string]any{"in": map[string]any{"title": "t", "assigneeIds": []string{o.rita}}})
	a := sam.Assign(map[string]any{"title": "t", "assigneeIds": []string{o.eve}})
	if a.Assignees[0].Member == nil || a.Assignees[0].Member.ID != o.eve {
		t.Fatalf("assignees %+v", a.Assignees)
	}
	// A verifier out of the assigner's sight is refused as well.
	mustFailOn(t, sam, "NOT_FOUND", "verifierId", apitest.AssignmentOp("updateAssignment"),
		map[string]any{"in": map[string]any{"id": a.ID, "verifierId": o.ray}})
}

func TestAnyModeIsDoneAtTheFirstCompletion(t *testing.T) {
	o := newOrg(t)
	rita := o.login("rita")
	a := rita.Assign(map[string]any{"title": "answer the customer", "completionMode": "ANY", "assigneeIds": []string{o.ray, o.sam}})
	a = o.login("sam").ActOnAssignment("completeAssignment", map[string]any{"id": a.ID})
	if a.Status != "DONE" || !a.CompletedBy(o.sam) || a.CompletedBy(o.ray) {
		t.Fatalf("after one completion: %+v", a)
	}
	o.login("ray").MustFail("CONFLICT", apitest.AssignmentOp("completeAssignment"), map[string]any{"in": map[string]any{"id": a.ID}})
}

// TestOverdueFollowsTheDueDateInTheEnterprisesTimeZone: a due date ends at
// midnight in Asia/Shanghai (UTC+8), so 2026-03-10 is overdue from
// 2026-03-10T16:00Z on, until the work is done.
func TestOverdueFollowsTheDueDateInTheEnterprisesTimeZone(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 3, 10, 15, 59, 0, 0, time.UTC))
	o := newOrg(t, apitest.WithClock(clk))
	rita := o.login("rita")
	a := rita.Assign(map[string]any{"title": "file taxes", "assigneeIds": []string{o.ray}, "dueDate": "2026-03-10"})
	if a.Overdue || len(assignmentIDs(t, rita, `{overdue: true}`)) != 0 {
		t.Fatalf("overdue a minute before Shanghai's midnight: %+v", a)
	}
	clk.Advance(2 * time.Minute)
	if a = rita.GetAssignment(a.ID); !a.Overdue {
		t.Fatalf("not overdue after Shanghai's midnight: %+v", a)
	}
	if ids := assignmentIDs(t, rita, `{overdue: true}`); len(ids) != 1 || ids[0] != a.ID {
		t.Fatalf("overdue filter %v", ids)
	}
	o.login("ray").ActOnAssignment("completeAssignment", map[string]any{"id": a.ID})
	if a = rita.GetAssignment(a.ID); a.Overdue || len(assignmentIDs(t, rita, `{overdue: false}`)) != 1 {
		t.Fatalf("done work is not overdue: %+v", a)
	}
}

// TestConcurrentCompletionsCountEachOther: every assignee of an EACH
// assignment completing at once leaves it DONE, with every completion in.
func TestConcurrentCompletionsCountEachOther(t *testing.T) {
	o := newOrg(t)
	var people []*apitest.Client
	var ids []string
	// Four, as the concurrent sends test: enough to race on PostgreSQL,
	// where each completion locks the assignment's row, and few enough for
	// SQLite's one writer to serve within its busy timeout on a loaded machine.
	for i := range 4 {
		id := o.admin.CreateMember(apitest.MemberSpec{Userid: fmt.Sprint("w", i), Depts: []string{o.rnd}})
		ids = append(ids, id)
		people = append(people, o.login(fmt.Sprint("w", i)))
	}
	a := o.login("rita").Assign(map[string]any{"title": "sign the sheet", "assigneeIds": ids})
	var wg sync.WaitGroup
	errs := make(chan string, len(people))
	for _, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := p.Do(apitest.AssignmentOp("completeAssignment"), map[string]any{"in": map[string]any{"id": a.ID}})
			if len(r.Errors) > 0 {
				errs <- fmt.Sprint(r.Errors)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("completion failed: %s", e)
	}
	a = o.login("rita").GetAssignment(a.ID)
	for _, id := range ids {
		if !a.CompletedBy(id) {
			t.Errorf("%s's completion is missing", id)
		}
	}
	if a.Status != "DONE" {
		t.Fatalf("all %d completed, status %s", len(ids), a.Status)
	}
}

// TestDeletingTheAssignerKeepsTheWork: a member who leaves the company is
// deleted; the work they assigned stays with its assignees, without an
// assigner or verifier to name.
func TestDeletingTheAssignerKeepsTheWork(t *testing.T) {
	o := newOrg(t)
	a := o.login("rita").Assign(map[string]any{"title": "hand over", "assigneeIds": []string{o.ray}})
	o.admin.MustDo(deleteM, map[string]any{"id": o.rita}, nil)
	got := o.login("ray").GetAssignment(a.ID)
	if got.Assigner != nil || got.Verifier != nil || len(got.Assignees) != 1 {
		t.Fatalf("after the assigner left: %+v", got)
	}
	if got = o.login("ray").ActOnAssignment("completeAssignment", map[string]any{"id": a.ID}); got.Status != "DONE" {
		t.Fatalf("the assignee cannot finish: %+v", got)
	}
}
