package e2e

import (
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/ids"
)

const approvalLive = `subscription($id: ID!) { approval(id: $id) {
	id status revision timeline { action comment actorName } } }`

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
