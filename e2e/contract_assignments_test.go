package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// assignmentScreens are the operations of my-tasks.graphql and task-detail.graphql.
var assignmentScreens = []string{"MyTasks", "CreateTask", "TaskDetail", "UpdateTask", "CompleteTask", "ReopenTask", "VerifyTask", "CommentOnTask"}

func init() {
	for _, op := range assignmentScreens {
		contractElsewhere[op] = true
	}
}

// TestAssignmentScreensRun runs the task screens of frontend-contract/ as
// their users would: the lead creates a task, the assignee finds it in
// their tasks and completes it, the lead reopens it, comments and verifies.
func TestAssignmentScreensRun(t *testing.T) {
	o := newOrg(t)
	rita, ray := o.login("rita"), o.login("ray")
	as := func(c *apitest.Client) func() *apitest.Client { return func() *apitest.Client { return c } }
	var id string
	input := func(kv ...any) func() map[string]any {
		return func() map[string]any {
			in := map[string]any{"id": id}
			for i := 0; i < len(kv); i += 2 {
				in[kv[i].(string)] = kv[i+1]
			}
			return map[string]any{"input": in}
		}
	}
	steps := []contractStep{
		{op: "CreateTask", as: as(rita), vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"title": "Prepare the demo", "assigneeIds": []string{o.ray},
				"followerIds": []string{o.sam}, "dueDate": "2030-01-31"}}
		}, keep: func(d map[string]any) { id = str(d["createAssignment"].(map[string]any)["id"]) }},
		{op: "MyTasks", as: as(ray), vars: func() map[string]any { return map[string]any{"role": "ASSIGNEE"} },
			want: []string{`"title":"Prepare the demo"`, `"name":"Rita Research"`, `"overdue":false`}},
		{op: "TaskDetail", as: as(ray), vars: func() map[string]any { return map[string]any{"id": id} },
			want: []string{`"myRoles":["ASSIGNEE"]`, `"name":"Sam Sales"`, `"kind":"ASSIGNED"`}},
		{op: "UpdateTask", as: as(rita), vars: input("priority", "URGENT"), want: []string{`"priority":"URGENT"`}},
		{op: "CompleteTask", as: as(ray), vars: input("note", "ready"), want: []string{`"status":"DONE"`}},
		{op: "ReopenTask", as: as(rita), vars: input("reason", "add the pricing slide"), want: []string{`"status":"REOPENED"`}},
		{op: "CommentOnTask", as: as(ray), vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"id": id, "body": "on it"}}
		}, want: []string{`"kind":"COMMENTED"`}},
		{op: "CompleteTask", as: as(ray), vars: input(), want: []string{`"status":"DONE"`}},
		{op: "VerifyTask", as: as(rita), vars: input(), want: []string{`"status":"VERIFIED"`}},
	}
	byName := contractOperations(t)
	ran := map[string]bool{}
	for _, s := range steps {
		if ran[s.op] {
			// The same screen again: its operation is still in the contract.
			byName[s.op] = contractOperations(t)[s.op]
		}
		runContractStep(t, byName, s)
		ran[s.op] = true
	}
	for _, op := range assignmentScreens {
		if !ran[op] {
			t.Errorf("operation %s has no step in this test", op)
		}
	}
}
