package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestApprovalTemplateAndFormRefusalsNameTheInput(t *testing.T) {
	w := newApprovalWorld(t)
	cfo := apitest.Members(w.id["cfo"])
	tpl := w.template("Expense", apitest.ApprovalNode("n", "", "ANY", cfo))
	crowd := make([]string, 101)
	for i := range crowd {
		crowd[i] = w.id["cfo"]
	}
	const create = `mutation($in: ApprovalTemplateInput!) { createApprovalTemplate(input: $in) { id } }`
	templates := []struct {
		name  string
		in    map[string]any
		field string
	}{
		{"cycle", apitest.TemplateInput("x", apitest.ApprovalNode("a", "b", "", cfo), apitest.ApprovalNode("b", "a", "", cfo)), "flow.nodes"},
		{"unreachable", apitest.TemplateInput("x", apitest.ApprovalNode("a", "", "", cfo), apitest.ApprovalNode("b", "", "", cfo)), "flow.nodes.1"},
		{"branch without default", apitest.TemplateInput("x", map[string]any{"id": "c", "name": "c", "kind": "CONDITION",
			"branches": []map[string]any{{"name": "big", "next": "a", "conditions": []map[string]any{{"field": "amount", "op": "GT", "number": "100"}}}}},
			apitest.ApprovalNode("a", "", "", cfo)), "flow.nodes.0.branches"},
		{"more than 100 approvers", apitest.TemplateInput("x", apitest.ApprovalNode("a", "", "", apitest.Members(crowd...))), "flow.nodes.0.approvers"},
	}
	many := make([]map[string]any, 51)
	for i := range many {
		next := ""
		if i < 50 {
			next = fmt.Sprintf("n%d", i+1)
		}
		many[i] = apitest.ApprovalNode(fmt.Sprintf("n%d", i), next, "", cfo)
	}
	templates = append(templates, struct {
		name  string
		in    map[string]any
		field string
	}{"more than 50 nodes", apitest.TemplateInput("x", many...), "flow.nodes"})
	for _, c := range templates {
		t.Run(c.name, func(t *testing.T) {
			r := w.admin.MustFail("BAD_USER_INPUT", create, map[string]any{"in": c.in})
			if f := r.Errors[0].Extensions["field"]; f != c.field {
				t.Errorf("field %v, want %s", f, c.field)
			}
		})
	}
	var count struct{ ApprovalTemplates struct{ TotalCount int } }
	w.admin.MustDo(`{ approvalTemplates(first: 10) { totalCount } }`, nil, &count)
	if count.ApprovalTemplates.TotalCount != 1 {
		t.Fatalf("refused templates were written: %d templates", count.ApprovalTemplates.TotalCount)
	}

	const submit = `mutation($in: SubmitApprovalInput!) { submitApproval(input: $in) { approval { id } } }`
	forms := []struct {
		name  string
		form  []map[string]any
		field string
	}{
		{"unknown control", append(apitest.Reason("a", ""), map[string]any{"key": "ghost", "text": "x"}), "ghost"},
		{"wrong value type", []map[string]any{{"key": "reason", "number": "3"}}, "reason"},
		{"required missing", []map[string]any{{"key": "amount", "number": "3"}}, "reason"},
		{"number out of range", apitest.Reason("a", "-1"), "amount"},
	}
	for _, c := range forms {
		t.Run(c.name, func(t *testing.T) {
			r := w.c("ann").MustFail("BAD_USER_INPUT", submit, map[string]any{"in": map[string]any{"templateId": tpl, "form": c.form}})
			if f := r.Errors[0].Extensions["field"]; f != c.field {
				t.Errorf("field %v, want %s", f, c.field)
			}
		})
	}
	var mine struct{ Approvals struct{ TotalCount int } }
	w.c("ann").MustDo(`{ approvals(first: 10) { totalCount } }`, nil, &mine)
	if mine.Approvals.TotalCount != 0 {
		t.Fatalf("refused submits were written: %d", mine.Approvals.TotalCount)
	}
	// Without MANAGE_APPROVALS, no template.
	w.c("ann").MustFail("FORBIDDEN", create, map[string]any{"in": apitest.TemplateInput("x", apitest.ApprovalNode("a", "", "", cfo))})
}

func TestEditingATemplateDoesNotChangeARunningApproval(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense", apitest.ApprovalNode("n", "", "ANY", apitest.Members(w.id["cfo"])))
	old := w.c("ann").SubmitApproval(tpl, apitest.Reason("before", ""))

	in := apitest.TemplateInput("Expense v2", apitest.ApprovalNode("n2", "", "ANY", apitest.Members(w.id["fin"])))
	in["controls"] = []map[string]any{{"key": "why", "kind": "TEXTAREA", "label": "Why", "required": true}}
	var up struct{ UpdateApprovalTemplate struct{ Version int } }
	w.admin.MustDo(`mutation($id: ID!, $in: ApprovalTemplateInput!) { updateApprovalTemplate(id: $id, input: $in) { version } }`,
		map[string]any{"id": tpl, "in": in}, &up)
	if up.UpdateApprovalTemplate.Version != 2 {
		t.Fatalf("version after edit: %d", up.UpdateApprovalTemplate.Version)
	}
	// The running approval keeps version 1: its approver and its form.
	var a struct {
		Node struct {
			TemplateVersion int
			Controls        []struct{ Key string }
		}
	}
	w.c("ann").MustDo(`query($id: ID!) { node(id: $id) { ... on Approval { templateVersion controls { key } } } }`,
		map[string]any{"id": old}, &a)
	if a.Node.TemplateVersion != 1 || len(a.Node.Controls) != 2 || a.Node.Controls[0].Key != "reason" {
		t.Fatalf("running approval: %+v", a.Node)
	}
	w.approve("cfo", old)
	w.wantStatus(old, "APPROVED")

	// A client still showing version 1 is told to reload.
	r := w.c("ann").MustFail("CONFLICT", `mutation($in: SubmitApprovalInput!) { submitApproval(input: $in) { approval { id } } }`,
		map[string]any{"in": map[string]any{"templateId": tpl, "version": 1, "form": apitest.Reason("stale", "")}})
	if r.Errors[0].Extensions["field"] != "version" {
		t.Errorf("stale version error: %v", r.Errors)
	}
	// New approvals take version 2.
	id := w.c("ann").SubmitApproval(tpl, []map[string]any{{"key": "why", "text": "new"}})
	if got := w.pendingOf(id, "cfo", "fin"); len(got) != 1 || got[0] != "fin" {
		t.Fatalf("new approval goes to %v, want fin", got)
	}
}

func TestSubmitWithAnIdempotencyKeyIsAnsweredOnce(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense", apitest.ApprovalNode("n", "", "ANY", apitest.Members(w.id["cfo"])))
	const submit = `mutation($in: SubmitApprovalInput!) { submitApproval(input: $in) { approval { id } replayed } }`
	in := map[string]any{"templateId": tpl, "form": apitest.Reason("taxi", "10"), "idempotencyKey": "k-1"}
	var first, second struct {
		SubmitApproval struct {
			Approval struct{ ID string }
			Replayed bool
		}
	}
	w.c("ann").MustDo(submit, map[string]any{"in": in}, &first)
	w.c("ann").MustDo(submit, map[string]any{"in": in}, &second)
	if first.SubmitApproval.Replayed || !second.SubmitApproval.Replayed ||
		first.SubmitApproval.Approval.ID != second.SubmitApproval.Approval.ID {
		t.Fatalf("first %+v, second %+v", first, second)
	}
	if got := w.c("cfo").PendingTasks(); len(got) != 1 {
		t.Fatalf("a replay gave %d tasks", len(got))
	}
	in["form"] = apitest.Reason("plane", "10")
	r := w.c("ann").MustFail("CONFLICT", submit, map[string]any{"in": in})
	if r.Errors[0].Extensions["field"] != "idempotencyKey" {
		t.Errorf("%v", r.Errors)
	}
}

func TestActingOnATaskThatIsNoLongerPending(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Any", apitest.ApprovalNode("n", "", "ANY", apitest.Members(w.ids("cfo", "fin")...)))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("a", ""))
	cfoTask, finTask := w.c("cfo").TaskOf(id), w.c("fin").TaskOf(id)

	// Someone else's task: FORBIDDEN; the applicant sees it but may not decide it.
	w.c("ann").MustFail("FORBIDDEN", `mutation($t: ID!) { approveApprovalTask(input: {taskId: $t}) { id } }`, map[string]any{"t": cfoTask})
	// A stranger does not see it at all.
	w.c("rita").MustFail("NOT_FOUND", `mutation($t: ID!) { approveApprovalTask(input: {taskId: $t}) { id } }`, map[string]any{"t": cfoTask})

	if r := w.c("cfo").DecideTask(true, cfoTask, "yes"); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	// A double tap is answered with the first decision, and recorded once.
	r := w.c("cfo").DecideTask(true, cfoTask, "yes")
	if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"APPROVED"`) {
		t.Fatalf("double tap: %s %v", r.Data, r.Errors)
	}
	// Deciding the other way now, or on the canceled task, is CONFLICT with the state.
	r = w.c("cfo").DecideTask(false, cfoTask, "no")
	if !r.HasCode("CONFLICT") || r.Errors[0].Extensions["state"] != "APPROVED" {
		t.Fatalf("reject after approve: %v", r.Errors)
	}
	r = w.c("fin").DecideTask(true, finTask, "me too")
	if !r.HasCode("CONFLICT") || r.Errors[0].Extensions["state"] != "CANCELED" {
		t.Fatalf("approve a canceled task: %v", r.Errors)
	}
	var out struct {
		Node struct{ Timeline []struct{ Action string } }
	}
	w.c("ann").MustDo(`query($id: ID!) { node(id: $id) { ... on Approval { timeline { action } } } }`, map[string]any{"id": id}, &out)
	if len(out.Node.Timeline) != 2 {
		t.Fatalf("timeline %+v, want SUBMITTED and one APPROVED", out.Node.Timeline)
	}
}

func TestApprovalPreviewShowsThePathBeforeSubmitting(t *testing.T) {
	w := newApprovalWorld(t)
	in := apitest.TemplateInput("Expense",
		map[string]any{"id": "c", "name": "amount?", "kind": "CONDITION", "branches": []map[string]any{
			{"name": "big", "next": "cfo", "conditions": []map[string]any{{"field": "amount", "op": "GTE", "number": "1000"}}},
			{"name": "small", "default": true, "next": "lead"},
		}},
		apitest.ApprovalNode("cfo", "lead", "ANY", apitest.Members(w.id["cfo"])),
		apitest.ApprovalNode("lead", "", "ANY", apitest.Leader(1)))
	tpl := w.admin.CreateApprovalTemplate(in)
	preview := func(amount string) []string {
		var out struct {
			ApprovalPreview struct {
				Steps []struct {
					NodeID    string
					Approvers []struct{ Name string }
				}
			}
		}
		w.c("ann").MustDo(`query($t: ID!, $f: [ApprovalFieldInput!]!) { approvalPreview(templateId: $t, form: $f) { steps { nodeId approvers { name } } } }`,
			map[string]any{"t": tpl, "f": apitest.Reason("x", amount)}, &out)
		var got []string
		for _, s := range out.ApprovalPreview.Steps {
			for _, a := range s.Approvers {
				got = append(got, s.NodeID+":"+a.Name)
			}
		}
		return got
	}
	if got := preview("999.99"); strings.Join(got, ",") != "lead:lead" {
		t.Errorf("small amount: %v", got)
	}
	if got := preview("1000"); strings.Join(got, ",") != "cfo:cfo,lead:lead" {
		t.Errorf("big amount: %v", got)
	}
	var mine struct{ Approvals struct{ TotalCount int } }
	w.c("ann").MustDo(`{ approvals(first: 10) { totalCount } }`, nil, &mine)
	if mine.Approvals.TotalCount != 0 {
		t.Fatal("a preview submitted something")
	}
}
