package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

const (
	returnOp   = `mutation($in: ReturnApprovalInput!) { returnApproval(input: $in) { id status } }`
	transferOp = `mutation($in: TransferApprovalTaskInput!) { transferApprovalTask(input: $in) { id status } }`
	addOp      = `mutation($in: AddApprovalApproversInput!) { addApprovalApprovers(input: $in) { id status } }`
	withdrawOp = `mutation($in: ApprovalActionInput!) { withdrawApproval(input: $in) { id status } }`
	revokeOp   = `mutation($in: ApprovalActionInput!) { revokeApproval(input: $in) { id status } }`
	urgeOp     = `mutation($id: ID!) { urgeApproval(approvalId: $id) { id } }`
	commentOp  = `mutation($in: CommentOnApprovalInput!) { commentOnApproval(input: $in) { id } }`
	resubmitOp = `mutation($in: ResubmitApprovalInput!) { resubmitApproval(input: $in) { id status } }`
)

func input(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return map[string]any{"in": m}
}

func TestReturnToTheApplicantThenResubmit(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense",
		apitest.ApprovalNode("a", "b", "ANY", apitest.Members(w.id["cfo"])),
		apitest.ApprovalNode("b", "", "ANY", apitest.Members(w.id["boss"])))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("first try", "10"))
	task := w.c("cfo").TaskOf(id)
	// Only the task's approver returns it.
	w.c("ann").MustFail("FORBIDDEN", returnOp, input("taskId", task))
	w.c("cfo").MustDo(returnOp, input("taskId", task, "comment", "receipt missing"), nil)
	w.wantStatus(id, "RETURNED")
	// Resubmitting is the applicant's, and only while returned.
	w.c("cfo").MustFail("FORBIDDEN", resubmitOp, input("approvalId", id, "form", apitest.Reason("x", "")))
	w.c("ann").MustDo(resubmitOp, input("approvalId", id, "form", apitest.Reason("with receipt", "10")), nil)
	w.c("ann").MustFail("CONFLICT", resubmitOp, input("approvalId", id, "form", apitest.Reason("again", "")))
	w.wantStatus(id, "RUNNING")
	w.approve("cfo", id)
	w.approve("boss", id)
	w.wantStatus(id, "APPROVED")
	w.wantTimeline(t, id, "SUBMITTED", "RETURNED", "RESUBMITTED", "APPROVED", "APPROVED")
}

func TestReturnToAnEarlierStepAsksItAgain(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense",
		apitest.ApprovalNode("a", "b", "ANY", apitest.Members(w.id["cfo"])),
		apitest.ApprovalNode("b", "", "ANY", apitest.Members(w.id["boss"])))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("trip", "10"))
	w.approve("cfo", id)
	task := w.c("boss").TaskOf(id)
	// Not to a step that has not passed, nor to the boss's own.
	r := w.c("boss").MustFail("BAD_USER_INPUT", returnOp, input("taskId", task, "toNodeId", "b"))
	if r.Errors[0].Extensions["field"] != "toNodeId" {
		t.Errorf("%v", r.Errors)
	}
	w.c("boss").MustDo(returnOp, input("taskId", task, "toNodeId", "a", "comment", "check the amount"), nil)
	w.wantStatus(id, "RUNNING")
	if got := w.pendingOf(id, "cfo", "boss"); !slices.Equal(got, []string{"cfo"}) {
		t.Fatalf("after return to a: pending %v", got)
	}
	w.approve("cfo", id)
	w.approve("boss", id)
	w.wantStatus(id, "APPROVED")
}

func TestTransferHandsTheTaskOver(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense", apitest.ApprovalNode("a", "", "SEQUENTIAL", apitest.Members(w.ids("cfo", "boss")...)))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("trip", "10"))
	task := w.c("cfo").TaskOf(id)
	w.c("ann").MustFail("FORBIDDEN", transferOp, input("taskId", task, "toMemberId", w.id["fin"]))
	w.c("cfo").MustFail("BAD_USER_INPUT", transferOp, input("taskId", task, "toMemberId", w.id["boss"]))
	w.c("cfo").MustDo(transferOp, input("taskId", task, "toMemberId", w.id["fin"], "comment", "on leave"), nil)
	if got := w.pendingOf(id, "cfo", "fin", "boss"); !slices.Equal(got, []string{"fin"}) {
		t.Fatalf("after transfer: pending %v", got)
	}
	w.c("cfo").MustFail("CONFLICT", transferOp, input("taskId", task, "toMemberId", w.id["rita"]))
	w.approve("fin", id)
	w.approve("boss", id)
	w.wantStatus(id, "APPROVED")
	w.wantTaskStatuses(t, id, map[string]string{"cfo": "TRANSFERRED", "fin": "APPROVED", "boss": "APPROVED"})
	// cfo keeps sight of an approval they had a task in.
	if w.c("cfo").ApprovalStatus(id) != "APPROVED" {
		t.Fatal("the transferring approver lost sight of the approval")
	}
}

func TestAddApproversInEachPosition(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense",
		apitest.ApprovalNode("a", "z", "ANY", apitest.Members(w.id["cfo"])),
		apitest.ApprovalNode("z", "", "ANY", apitest.Members(w.id["boss"])))
	everyone := []string{"cfo", "fin", "rita", "amy", "boss"}
	add := func(id, who, pos, mode string, members ...string) {
		t.Helper()
		w.c(who).MustDo(addOp, input("taskId", w.c(who).TaskOf(id), "position", pos, "mode", mode, "memberIds", w.ids(members...)), nil)
	}
	step := func(id string, want ...string) {
		t.Helper()
		if got := w.pendingOf(id, everyone...); !slices.Equal(got, want) {
			t.Fatalf("pending %v, want %v", got, want)
		}
	}
	t.Run("BEFORE: they decide first, then the step asks again", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(tpl, apitest.Reason("before", ""))
		add(id, "cfo", "BEFORE", "ALL", "fin", "rita")
		step(id, "fin", "rita")
		w.approve("fin", id)
		step(id, "rita")
		w.approve("rita", id)
		step(id, "cfo")
		w.approve("cfo", id)
		step(id, "boss")
	})
	t.Run("AFTER: a step of their own after the viewer's", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(tpl, apitest.Reason("after", ""))
		add(id, "cfo", "AFTER", "ANY", "fin", "rita")
		step(id, "cfo")
		w.approve("cfo", id)
		step(id, "fin", "rita")
		w.approve("rita", id)
		step(id, "boss")
		w.wantTaskStatuses(t, id, map[string]string{"fin": "CANCELED", "rita": "APPROVED"})
	})
	t.Run("ALONGSIDE: they join the step, which keeps its mode", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(tpl, apitest.Reason("alongside", ""))
		add(id, "cfo", "ALONGSIDE", "ANY", "amy")
		step(id, "cfo", "amy")
		w.approve("amy", id)
		step(id, "boss")
	})
	t.Run("refusals", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(tpl, apitest.Reason("no", ""))
		task := w.c("cfo").TaskOf(id)
		w.c("fin").MustFail("NOT_FOUND", addOp, input("taskId", task, "position", "AFTER", "memberIds", w.ids("rita")))
		w.c("cfo").MustFail("BAD_USER_INPUT", addOp, input("taskId", task, "position", "ALONGSIDE", "memberIds", w.ids("cfo")))
		w.c("cfo").MustFail("BAD_USER_INPUT", addOp, input("taskId", task, "position", "AFTER", "memberIds", []string{}))
	})
}

func TestWithdrawIsTheApplicantsWhileRunning(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense", apitest.ApprovalNode("a", "", "ANY", apitest.Members(w.ids("cfo", "fin")...)))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("trip", ""))
	w.c("cfo").MustFail("FORBIDDEN", withdrawOp, input("approvalId", id))
	w.c("rita").MustFail("NOT_FOUND", withdrawOp, input("approvalId", id))
	w.c("ann").MustDo(withdrawOp, input("approvalId", id, "comment", "plans changed"), nil)
	w.wantStatus(id, "WITHDRAWN")
	w.wantTaskStatuses(t, id, map[string]string{"cfo": "CANCELED", "fin": "CANCELED"})
	r := w.c("ann").MustFail("CONFLICT", withdrawOp, input("approvalId", id))
	if r.Errors[0].Extensions["state"] != "WITHDRAWN" {
		t.Errorf("%v", r.Errors)
	}
	if got := w.pendingOf(id, "cfo", "fin"); len(got) != 0 {
		t.Fatalf("pending after withdraw: %v", got)
	}
}

func TestRevokeAfterApprovalInsideAndOutsideItsWindow(t *testing.T) {
	clock := apitest.NewClock()
	w := newApprovalWorld(t, apitest.WithClock(clock))
	in3 := apitest.TemplateInput("Expense", apitest.ApprovalNode("a", "", "ANY", apitest.Members(w.id["cfo"])))
	in3["flow"].(map[string]any)["revokeDays"] = 3
	tpl := w.admin.CreateApprovalTemplate(in3)
	never := w.template("No revoke", apitest.ApprovalNode("a", "", "ANY", apitest.Members(w.id["cfo"])))

	inside := w.c("ann").SubmitApproval(tpl, apitest.Reason("inside", ""))
	outside := w.c("ann").SubmitApproval(tpl, apitest.Reason("outside", ""))
	other := w.c("ann").SubmitApproval(never, apitest.Reason("never", ""))
	w.c("ann").MustFail("CONFLICT", revokeOp, input("approvalId", inside)) // still running
	for _, id := range []string{inside, outside, other} {
		w.approve("cfo", id)
	}
	clock.Advance(2*24*time.Hour + 23*time.Hour)
	w.c("cfo").MustFail("FORBIDDEN", revokeOp, input("approvalId", inside))
	w.c("ann").MustDo(revokeOp, input("approvalId", inside, "comment", "trip cancelled"), nil)
	w.wantStatus(inside, "REVOKED")
	w.c("ann").MustFail("FORBIDDEN", revokeOp, input("approvalId", other))
	clock.Advance(2 * time.Hour)
	w.c("ann").MustFail("FORBIDDEN", revokeOp, input("approvalId", outside))
	w.wantStatus(outside, "APPROVED")
}

func TestUrgeOncePerTaskPerHour(t *testing.T) {
	clock := apitest.NewClock()
	w := newApprovalWorld(t, apitest.WithClock(clock))
	tpl := w.template("Expense", apitest.ApprovalNode("a", "", "ANY", apitest.Members(w.id["cfo"])))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("trip", ""))
	w.c("cfo").MustFail("FORBIDDEN", urgeOp, map[string]any{"id": id})
	w.c("ann").MustDo(urgeOp, map[string]any{"id": id}, nil)
	clock.Advance(59 * time.Minute)
	r := w.c("ann").MustFail("RATE_LIMITED", urgeOp, map[string]any{"id": id})
	if ra, _ := r.Errors[0].Extensions["retryAfter"].(float64); ra < 1 || ra > 61 {
		t.Errorf("retryAfter %v", r.Errors[0].Extensions)
	}
	clock.Advance(2 * time.Minute)
	w.c("ann").MustDo(urgeOp, map[string]any{"id": id}, nil)
	w.wantTimeline(t, id, "SUBMITTED", "URGED", "URGED")
}

func TestCommentsWithMentions(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense", apitest.ApprovalNode("a", "", "ANY", apitest.Members(w.id["cfo"])))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("trip", ""))
	w.c("cfo").MustDo(commentOp, input("approvalId", id, "text", "which client?", "mentions", w.ids("ann")), nil)
	w.c("ann").MustDo(commentOp, input("approvalId", id, "text", "ACME"), nil)
	// Mentioning someone outside the approval would show it to them: refused.
	r := w.c("ann").MustFail("BAD_USER_INPUT", commentOp, input("approvalId", id, "text", "hey", "mentions", w.ids("rita")))
	if r.Errors[0].Extensions["field"] != "mentions" {
		t.Errorf("%v", r.Errors)
	}
	w.c("rita").MustFail("NOT_FOUND", commentOp, input("approvalId", id, "text", "let me in"))
	w.wantTimeline(t, id, "SUBMITTED", "COMMENTED", "COMMENTED")
}

// wantTimeline checks the actions of an approval's timeline, in order.
func (w *approvalWorld) wantTimeline(t *testing.T, id string, want ...string) {
	t.Helper()
	var out struct {
		Node struct{ Timeline []struct{ Action string } }
	}
	w.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Approval { timeline { action } } } }`, map[string]any{"id": id}, &out)
	var got []string
	for _, e := range out.Node.Timeline {
		got = append(got, e.Action)
	}
	if !slices.Equal(got, want) {
		t.Errorf("timeline %v, want %v", got, want)
	}
}
