package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/ids"
)

// approvalSightFixture is one approval with every kind of participant, and
// viewers around it who must or must not see it.
type approvalSightFixture struct {
	w *approvalWorld
	// approval, and its parts by kind: task, node, timeline entry, cc.
	approval string
	parts    map[string]string
}

// newApprovalSightFixture: ann (East) submits; cfo approves (node "n"),
// fin is copied at submit. East's approvals admin manages approvals over
// East; R&D's over R&D; East's members admin holds no approvals right.
func newApprovalSightFixture(t *testing.T) *approvalSightFixture {
	w := newApprovalWorld(t)
	for _, p := range []struct{ who, dept, right string }{
		{"eastappr", "East", "MANAGE_APPROVALS"},
		{"rdappr", "R&D", "MANAGE_APPROVALS"},
		{"eastmem", "East", "MANAGE_MEMBERS"},
	} {
		w.id[p.who] = w.admin.CreateMember(apitest.MemberSpec{Userid: p.who, Depts: []string{w.id["root"]}})
		w.admin.GrantScoped(w.id[p.who], []string{w.id[p.dept]}, p.right)
	}
	in := apitest.TemplateInput("Sight", apitest.ApprovalNode("n", "", "ANY", apitest.Members(w.id["cfo"])))
	in["flow"].(map[string]any)["ccOnSubmit"] = []map[string]any{apitest.Members(w.id["fin"])}
	tpl := w.admin.CreateApprovalTemplate(in)
	f := &approvalSightFixture{w: w, approval: w.c("ann").SubmitApproval(tpl, apitest.Reason("secret trip", "9")),
		parts: map[string]string{}}
	var out struct {
		Node struct {
			Tasks    []struct{ ID string }
			Path     []struct{ ID string }
			Timeline []struct{ ID string }
			Ccs      []struct{ ID string }
		}
	}
	w.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Approval {
		tasks { id } path { id } timeline { id } ccs { id } } } }`, map[string]any{"id": f.approval}, &out)
	f.parts["task"], f.parts["node"] = out.Node.Tasks[0].ID, out.Node.Path[0].ID
	f.parts["timeline"], f.parts["cc"] = out.Node.Timeline[0].ID, out.Node.Ccs[0].ID
	return f
}

// TestApprovalVisibilityTable: an approval is visible to its applicant,
// everyone with a task in it, its CC recipients, and admins holding
// MANAGE_APPROVALS over the applicant's department; to nobody else through
// any read path, and a hidden approval answers like one that never existed.
func TestApprovalVisibilityTable(t *testing.T) {
	f := newApprovalSightFixture(t)
	w := f.w
	globex := w.env.NewEnterprise("globex")
	w.as["globex/admin"] = w.env.Admin(globex)
	sees := map[string]bool{
		"ann": true, "cfo": true, "fin": true, "admin": true, "eastappr": true,
		"amy": false, "lead": false, "rita": false, "rdappr": false, "eastmem": false, "globex/admin": false,
	}
	order := []string{"ann", "cfo", "fin", "admin", "eastappr", "amy", "lead", "rita", "rdappr", "eastmem", "globex/admin"}
	for _, who := range order {
		want := sees[who]
		t.Run(who, func(t *testing.T) {
			c := w.c(who)
			for _, id := range append([]string{f.approval}, f.partIDs()...) {
				checkNode(t, c, id, want)
			}
			checkList(t, c, "approvals", `{ approvals(first: 50) { totalCount edges { node { id } } } }`, f.approval, want)
			checkList(t, c, "approvals by status", `{ approvals(first: 50, where: {status: RUNNING}) { totalCount edges { node { id } } } }`, f.approval, want)
			checkList(t, c, "approvals by title", `{ approvals(first: 50, where: {titleContains: "Sight"}) { totalCount edges { node { id } } } }`, f.approval, want)
			// The role filters only ever narrow what the viewer sees.
			for role, mine := range map[string]bool{"APPLIED": who == "ann", "TO_APPROVE": who == "cfo", "CC": who == "fin"} {
				checkList(t, c, "role "+role, `{ approvals(first: 50, filter: {role: `+role+`}) { totalCount edges { node { id } } } }`, f.approval, mine)
			}
			// The to-do list is the viewer's own, admins included.
			var todo struct {
				ApprovalTasks struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
			}
			c.MustDo(`{ approvalTasks(first: 50, status: [PENDING, APPROVED, CANCELED]) { totalCount edges { node { id } } } }`, nil, &todo)
			if mine := who == "cfo"; (todo.ApprovalTasks.TotalCount == 1) != mine || len(todo.ApprovalTasks.Edges) != todo.ApprovalTasks.TotalCount {
				t.Errorf("approvalTasks: %+v", todo.ApprovalTasks)
			}
			// Nested: a task's approval is as visible as the approval.
			r := c.Do(`query($id: ID!) { nodes(ids: [$id]) { ... on ApprovalTask { approval { id summary } } } }`,
				map[string]any{"id": f.parts["task"]})
			if got := strings.Contains(string(r.Data), "secret trip"); got != want {
				t.Errorf("nodes(task).approval: %s %v", r.Data, r.Errors)
			}
		})
	}
}

func (f *approvalSightFixture) partIDs() []string {
	return []string{f.parts["task"], f.parts["node"], f.parts["timeline"], f.parts["cc"]}
}

// checkNode reads id through node and nodes: the row when want, else null
// with NOT_FOUND, the same answer as for an ID that never existed.
func checkNode(t *testing.T, c *apitest.Client, id string, want bool) {
	t.Helper()
	if !want {
		hidden := nodeAnswer(t, c, id)
		ghost := ids.New(ids.Prefix(id))
		if never := strings.ReplaceAll(nodeAnswer(t, c, ghost), ghost, id); hidden != never {
			t.Errorf("node(%s) answers %s, but an ID that never existed answers %s", id, hidden, never)
		}
	}
	r := c.Do(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, map[string]any{"id": id})
	got := strings.Count(string(r.Data), id)
	if want && (got != 2 || len(r.Errors) > 0) || !want && got != 0 {
		t.Errorf("node/nodes(%s): %s %v, want visible=%v", id, r.Data, r.Errors, want)
	}
}

// checkList runs a connection query and wants id in it (with a totalCount
// that agrees) exactly when want.
func checkList(t *testing.T, c *apitest.Client, name, query, id string, want bool) {
	t.Helper()
	var out map[string]struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID string } }
	}
	c.MustDo(query, nil, &out)
	for _, conn := range out {
		var got []string
		for _, e := range conn.Edges {
			got = append(got, e.Node.ID)
		}
		if slices.Contains(got, id) != want || conn.TotalCount != len(got) {
			t.Errorf("%s: %v (total %d), want %s visible=%v", name, got, conn.TotalCount, id, want)
		}
	}
}
