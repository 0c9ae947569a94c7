package e2e

import (
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestApprovalGoesUpTheLeaderChainAndEndsApproved(t *testing.T) {
	w := newApprovalWorld(t)
	tpl := w.template("Expense",
		apitest.ApprovalNode("l1", "l2", "ANY", apitest.Leader(1)),
		apitest.ApprovalNode("l2", "", "ANY", apitest.Leader(2)))
	id := w.c("ann").SubmitApproval(tpl, apitest.Reason("taxi", "42.50"))

	if got := w.pendingOf(id, "lead", "vp", "boss"); !slices.Equal(got, []string{"lead"}) {
		t.Fatalf("after submit, pending: %v, want lead", got)
	}
	w.approve("lead", id)
	if got := w.pendingOf(id, "lead", "vp", "boss"); !slices.Equal(got, []string{"vp"}) {
		t.Fatalf("after level 1, pending: %v, want vp", got)
	}
	w.wantStatus(id, "RUNNING")
	w.approve("vp", id)
	w.wantStatus(id, "APPROVED")

	var out struct {
		Node struct {
			ApplicantName string
			Summary       string
			Form          []struct {
				Key    string
				Text   *string
				Number *string
			}
			Timeline []struct {
				Action    string
				NodeKey   *string
				ActorName *string
				Comment   *string
			}
			Path []struct {
				NodeKey string
				Status  string
			}
		}
	}
	w.c("ann").MustDo(`query($id: ID!) { node(id: $id) { ... on Approval {
		applicantName summary form { key text number }
		timeline { action nodeKey actorName comment }
		path { nodeKey status } } } }`, map[string]any{"id": id}, &out)
	a := out.Node
	if a.ApplicantName != "ann" || a.Summary != "Reason: taxi; Amount: 42.5 CNY" {
		t.Errorf("applicant %q, summary %q", a.ApplicantName, a.Summary)
	}
	if len(a.Form) != 2 || *a.Form[0].Text != "taxi" || *a.Form[1].Number != "42.5" {
		t.Errorf("form as stored: %+v", a.Form)
	}
	var actions []string
	for _, e := range a.Timeline {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []string{"SUBMITTED", "APPROVED", "APPROVED"}) {
		t.Errorf("timeline %v", actions)
	}
	if e := a.Timeline[1]; *e.NodeKey != "l1" || *e.ActorName != "lead" || *e.Comment != "ok" {
		t.Errorf("first approval entry: %+v", e)
	}
	if len(a.Path) != 2 || a.Path[0].Status != "APPROVED" || a.Path[1].Status != "APPROVED" {
		t.Errorf("path %+v", a.Path)
	}
}

func TestApprovalModes(t *testing.T) {
	w := newApprovalWorld(t)
	trio := apitest.Members(w.ids("cfo", "fin", "boss")...)
	all := w.template("All", apitest.ApprovalNode("n", "", "ALL", trio))
	anyT := w.template("Any", apitest.ApprovalNode("n", "", "ANY", trio))
	seq := w.template("Seq", apitest.ApprovalNode("n", "", "SEQUENTIAL", trio))
	people := []string{"cfo", "fin", "boss"}

	t.Run("ALL approves once everyone did", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(all, apitest.Reason("a", ""))
		if got := w.pendingOf(id, people...); !slices.Equal(got, people) {
			t.Fatalf("pending %v", got)
		}
		w.approve("cfo", id)
		w.approve("fin", id)
		w.wantStatus(id, "RUNNING")
		w.approve("boss", id)
		w.wantStatus(id, "APPROVED")
	})
	t.Run("ALL rejects on one rejection and cancels the rest", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(all, apitest.Reason("b", ""))
		w.approve("cfo", id)
		if r := w.c("fin").DecideTask(false, w.c("fin").TaskOf(id), "no"); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		w.wantStatus(id, "REJECTED")
		if got := w.pendingOf(id, people...); len(got) != 0 {
			t.Fatalf("still pending: %v", got)
		}
		w.wantTaskStatuses(t, id, map[string]string{"cfo": "APPROVED", "fin": "REJECTED", "boss": "CANCELED"})
	})
	t.Run("ANY: the first decision decides, the others are CANCELED", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(anyT, apitest.Reason("c", ""))
		w.approve("fin", id)
		w.wantStatus(id, "APPROVED")
		w.wantTaskStatuses(t, id, map[string]string{"cfo": "CANCELED", "fin": "APPROVED", "boss": "CANCELED"})
	})
	t.Run("SEQUENTIAL asks one after another", func(t *testing.T) {
		id := w.c("ann").SubmitApproval(seq, apitest.Reason("d", ""))
		for i, p := range people {
			if got := w.pendingOf(id, people...); !slices.Equal(got, []string{p}) {
				t.Fatalf("step %d: pending %v, want %s", i, got, p)
			}
			w.approve(p, id)
		}
		w.wantStatus(id, "APPROVED")
	})
}

// wantTaskStatuses checks the status of each person's task in approval id.
func (w *approvalWorld) wantTaskStatuses(t *testing.T, id string, want map[string]string) {
	t.Helper()
	var out struct {
		Node struct {
			Tasks []struct {
				Status       string
				AssigneeName string
			}
		}
	}
	w.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Approval { tasks { status assigneeName } } } }`,
		map[string]any{"id": id}, &out)
	got := map[string]string{}
	for _, tk := range out.Node.Tasks {
		got[tk.AssigneeName] = tk.Status
	}
	for who, st := range want {
		if got[who] != st {
			t.Errorf("%s's task is %q, want %s (all: %v)", who, got[who], st, got)
		}
	}
}
