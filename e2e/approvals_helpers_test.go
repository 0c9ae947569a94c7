package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// approvalWorld is an enterprise for approval tests:
//
//	acme Inc (root)      admin (super admin), boss (leader), cfo, fin
//	├── Sales            vp (leader)
//	│   └── East         lead (leader), ann, amy
//	└── R&D              rdboss (leader), rita
//
// Every member signs in with apitest.TestPassword.
type approvalWorld struct {
	env   *apitest.Env
	ent   *apitest.Enterprise
	admin *apitest.Client
	id    map[string]string // member or department label -> ID
	as    map[string]*apitest.Client
}

func newApprovalWorld(t *testing.T, opts ...apitest.Option) *approvalWorld {
	t.Helper()
	env := apitest.Start(t, opts...)
	w := &approvalWorld{env: env, id: map[string]string{}, as: map[string]*apitest.Client{}}
	w.ent = env.NewEnterprise("acme")
	w.admin = env.Admin(w.ent)
	w.id["root"], w.id["admin"] = w.ent.RootID, w.ent.AdminID
	w.as["admin"] = w.admin
	w.id["Sales"] = w.admin.CreateDepartment("Sales", w.ent.RootID)
	w.id["East"] = w.admin.CreateDepartment("East", w.id["Sales"])
	w.id["R&D"] = w.admin.CreateDepartment("R&D", w.ent.RootID)
	people := []struct {
		who, dept string
		leads     bool
	}{
		{"boss", "root", true}, {"cfo", "root", false}, {"fin", "root", false},
		{"vp", "Sales", true}, {"lead", "East", true}, {"ann", "East", false}, {"amy", "East", false},
		{"rdboss", "R&D", true}, {"rita", "R&D", false},
	}
	for _, p := range people {
		spec := apitest.MemberSpec{Userid: p.who, Depts: []string{w.id[p.dept]}}
		if p.leads {
			spec.LeaderOf = spec.Depts
		}
		w.id[p.who] = w.admin.CreateMember(spec)
	}
	return w
}

// c signs in as who (once) and returns their client.
func (w *approvalWorld) c(who string) *apitest.Client {
	w.env.T.Helper()
	if c, ok := w.as[who]; ok {
		return c
	}
	c := w.env.Login("acme", who, apitest.TestPassword)
	w.as[who] = c
	return c
}

func (w *approvalWorld) ids(who ...string) []string {
	out := make([]string, len(who))
	for i, x := range who {
		out[i] = w.id[x]
	}
	return out
}

// template creates a template of nodes as the super admin.
func (w *approvalWorld) template(name string, nodes ...map[string]any) string {
	w.env.T.Helper()
	return w.admin.CreateApprovalTemplate(apitest.TemplateInput(name, nodes...))
}

// approve has who approve their pending task in approval id.
func (w *approvalWorld) approve(who, id string) {
	w.env.T.Helper()
	if r := w.c(who).DecideTask(true, w.c(who).TaskOf(id), "ok"); len(r.Errors) > 0 {
		w.env.T.Fatalf("%s approves %s: %v", who, id, r.Errors)
	}
}

func (w *approvalWorld) wantStatus(id, want string) {
	w.env.T.Helper()
	if got := w.c("admin").ApprovalStatus(id); got != want {
		w.env.T.Fatalf("approval %s is %s, want %s", id, got, want)
	}
}

// pendingOf lists who holds a pending task in approval id among people.
func (w *approvalWorld) pendingOf(id string, people ...string) []string {
	w.env.T.Helper()
	var out []string
	for _, p := range people {
		for _, t := range w.c(p).PendingTasks() {
			if t.Approval.ID == id {
				out = append(out, p)
			}
		}
	}
	return out
}
