package e2e

import (
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/ids"
)

// approvalInbox follows the viewer's inbox and shows approval notices.
const approvalInbox = `subscription { inbox { kind entry { id subjectType subjectEvent subject { ... on Approval { id title status } } } } }`

type approvalInboxEvent struct {
	Inbox struct {
		Kind  string
		Entry *struct {
			ID           string
			SubjectType  *string
			SubjectEvent *string
			Subject      *struct{ ID, Title, Status string }
		}
	}
}

// nextNotice reads the inbox stream up to its next NEW entry.
func nextNotice(t *testing.T, s *apitest.Stream) approvalInboxEvent {
	t.Helper()
	for {
		var ev approvalInboxEvent
		s.NextData(&ev)
		if ev.Inbox.Kind == "NEW" {
			if ev.Inbox.Entry == nil || ev.Inbox.Entry.Subject == nil || ev.Inbox.Entry.SubjectEvent == nil || *ev.Inbox.Entry.SubjectType != "APPROVAL" {
				t.Fatalf("a NEW entry without its approval: %+v", ev.Inbox)
			}
			return ev
		}
	}
}

const approvalLive = `subscription($id: ID!) { approval(id: $id) {
	id status revision timeline { action comment actorName } } }`

type approvalLiveEvent struct {
	Approval struct {
		ID       string
		Status   string
		Revision int
		Timeline []struct {
			Action    string
			Comment   *string
			ActorName *string
		}
	}
}

// TestScenario2LeaderApprovesOnTheRoad is scenario 2 of the product: a
// leader travelling sees an employee's request arrive live on their phone,
// approves it with a comment, and the employee sees the result live.
func TestScenario2LeaderApprovesOnTheRoad(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Travel expense", apitest.ApprovalNode("leader", "", "ANY", apitest.Leader(1)))

	// The leader's phone follows their inbox; so does the employee's.
	leaderPhone := w.env.Connect(w.c("lead").Token)
	leaderInbox := leaderPhone.Subscribe(approvalInbox, nil)
	annPhone := w.env.Connect(w.c("ann").Token)
	annInbox := annPhone.Subscribe(approvalInbox, nil)
	waitSync(t, leaderInbox)
	waitSync(t, annInbox)

	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("client visit in Shanghai", "380"))
	annLive := annPhone.Subscribe(approvalLive, map[string]any{"id": id})
	var first approvalLiveEvent
	annLive.NextData(&first)
	if first.Approval.Status != "RUNNING" {
		t.Fatalf("the approval starts %+v", first.Approval)
	}

	// The task arrives on the road.
	ev := nextNotice(t, leaderInbox)
	if *ev.Inbox.Entry.SubjectEvent != "TASK" || ev.Inbox.Entry.Subject.ID != id || ev.Inbox.Entry.Subject.Title != "Travel expense" {
		t.Fatalf("leader's notice: %+v", ev.Inbox.Entry)
	}
	task := w.c("lead").TaskOf(id)
	if r := w.c("lead").DecideTask(true, task, "Approved from the airport"); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}

	// The employee sees the result live, with the leader's comment.
	var done approvalLiveEvent
	annLive.NextData(&done)
	a := done.Approval
	if a.Status != "APPROVED" || a.Revision <= first.Approval.Revision {
		t.Fatalf("after the decision: %+v", a)
	}
	last := a.Timeline[len(a.Timeline)-1]
	if last.Action != "APPROVED" || *last.Comment != "Approved from the airport" || *last.ActorName != "lead" {
		t.Fatalf("last timeline entry: %+v", last)
	}
	res := nextNotice(t, annInbox)
	if *res.Inbox.Entry.SubjectEvent != "RESULT" || res.Inbox.Entry.Subject.Status != "APPROVED" {
		t.Fatalf("employee's notice: %+v", res.Inbox.Entry)
	}
}

// waitSync reads an inbox stream subscribed from now up to its SYNC.
func waitSync(t *testing.T, s *apitest.Stream) {
	t.Helper()
	var ev approvalInboxEvent
	s.NextData(&ev)
	if ev.Inbox.Kind != "SYNC" {
		t.Fatalf("a subscription from now starts with SYNC, got %+v", ev.Inbox)
	}
}

// TestApprovalSubscriptionOfAHiddenApprovalIsNotFound: the live view obeys
// the same rule as every other read path.
func TestApprovalSubscriptionOfAHiddenApprovalIsNotFound(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense", apitest.ApprovalNode("n", "", "ANY", apitest.Members(w.id["cfo"])))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("x", ""))
	answer := func(who, id string) string {
		m, ok := w.env.Connect(w.c(who).Token).Subscribe(approvalLive, map[string]any{"id": id}).Next()
		if !ok {
			t.Fatalf("%s: the stream ended without an answer", who)
		}
		return strings.ReplaceAll(string(m.Payload), id, "ID")
	}
	ghost := ids.New(ids.Approval)
	for _, who := range []string{"rita", "amy", "lead"} {
		hidden, never := answer(who, id), answer(who, ghost)
		if !strings.Contains(hidden, "NOT_FOUND") || !strings.Contains(hidden, `"data":null`) || hidden != never {
			t.Errorf("%s: hidden approval answers %s, a never existing one %s", who, hidden, never)
		}
	}
	for _, who := range []string{"ann", "cfo", "admin"} {
		if got := answer(who, id); !strings.Contains(got, `"status":"RUNNING"`) {
			t.Errorf("%s: %s", who, got)
		}
	}
}
