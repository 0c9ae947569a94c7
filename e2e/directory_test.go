package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// tree is a small directory: acme Inc > Sales > Sales East, acme Inc > R&D >
// Platform, with its super admin signed in.
type tree struct {
	env                              *apitest.Env
	acme                             *apitest.Enterprise
	admin                            *apitest.Client
	root, sales, east, rnd, platform string
	sam, rdmem                       string // members of Sales and R&D
	salesAdmin                       *apitest.Client
	salesAdminID                     string
}

func newTree(t *testing.T, opts ...apitest.Option) *tree {
	t.Helper()
	env := apitest.Start(t, opts...)
	tr := &tree{env: env, acme: env.NewEnterprise("acme")}
	tr.admin = env.Admin(tr.acme)
	tr.root = tr.acme.RootID
	tr.sales = tr.admin.CreateDepartment("Sales", tr.root)
	tr.east = tr.admin.CreateDepartment("Sales East", tr.sales)
	tr.rnd = tr.admin.CreateDepartment("R&D", tr.root)
	tr.platform = tr.admin.CreateDepartment("Platform", tr.rnd)
	tr.sam = tr.admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{tr.sales}})
	tr.rdmem = tr.admin.CreateMember(apitest.MemberSpec{Userid: "rdmem", Depts: []string{tr.rnd}})
	tr.salesAdminID = tr.admin.CreateMember(apitest.MemberSpec{Userid: "salesadmin", Depts: []string{tr.root}})
	tr.admin.GrantScoped(tr.salesAdminID, []string{tr.sales}, "MANAGE_MEMBERS", "MANAGE_DEPARTMENTS")
	tr.salesAdmin = env.Login("acme", "salesadmin", apitest.TestPassword)
	return tr
}

// dept is a department as the tests read it back.
type dept struct {
	ID, Name     string
	Order, Depth int
	Parent       struct{ ID string } // zero for a root
}

// departments reads every department c sees, by ID.
func departments(t *testing.T, c *apitest.Client) map[string]dept {
	t.Helper()
	var out struct {
		Departments struct{ Edges []struct{ Node dept } }
	}
	c.MustDo(`{ departments(first: 100) { edges { node { id name order depth parent { id } } } } }`, nil, &out)
	m := map[string]dept{}
	for _, e := range out.Departments.Edges {
		m[e.Node.ID] = e.Node
	}
	return m
}

// totalCount reads the totalCount of a root connection (members, departments, tags).
func totalCount(t *testing.T, c *apitest.Client, field string) int {
	t.Helper()
	var out map[string]struct{ TotalCount int }
	c.MustDo(fmt.Sprintf(`{ %s(first: 1) { totalCount } }`, field), nil, &out)
	return out[field].TotalCount
}

// mustFailWith sends q and fails the test unless it fails with code only.
func mustFailWith(t *testing.T, c *apitest.Client, code, q string, vars map[string]any) *apitest.Response {
	t.Helper()
	r := c.Do(q, vars)
	if len(r.Errors) != 1 || r.Errors[0].Code() != code {
		t.Fatalf("want one %s error, got %v (data %s)\nquery: %s", code, r.Errors, r.Data, q)
	}
	return r
}

func move(c *apitest.Client, id string, parent any) *apitest.Response {
	return c.Do(mMoveDept, map[string]any{"in": map[string]any{"id": id, "parentId": parent}})
}

func TestScopedAdminBuildsInsideTheirSubtree(t *testing.T) {
	tr := newTree(t)
	sa := tr.salesAdmin

	north := sa.CreateDepartment("Sales North", tr.sales)
	lab := sa.CreateDepartment("North Lab", north)
	sa.MustDo(mUpdateDept, map[string]any{"in": map[string]any{"id": tr.east, "name": "Sales East & South", "order": 2}}, nil)
	if r := move(sa, lab, tr.east); len(r.Errors) > 0 {
		t.Fatalf("move inside scope: %v", r.Errors)
	}
	nina := sa.CreateMember(apitest.MemberSpec{Userid: "nina", Depts: []string{north}})
	sa.MustDo(mUpdateMember, map[string]any{"in": map[string]any{"id": tr.sam, "position": "Lead"}}, nil)
	sa.MustDo(mDeleteDept, map[string]any{"in": map[string]any{"id": lab}}, nil)

	ds := departments(t, tr.admin)
	if d := ds[tr.east]; d.Name != "Sales East & South" || d.Order != 2 {
		t.Errorf("Sales East = %+v", d)
	}
	if d := ds[north]; d.Parent.ID != tr.sales || d.Depth != 3 {
		t.Errorf("Sales North = %+v", d)
	}
	if _, ok := ds[lab]; ok {
		t.Errorf("North Lab was not deleted")
	}
	var m struct {
		Node struct{ Departments []struct{ ID string } }
	}
	tr.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Member { departments { id } } } }`, map[string]any{"id": nina}, &m)
	if len(m.Node.Departments) != 1 || m.Node.Departments[0].ID != north {
		t.Errorf("nina's departments = %+v", m.Node.Departments)
	}
}

func TestScopedAdminReplacesOnlyPlacementsInsideTheirSubtree(t *testing.T) {
	tr := newTree(t)
	// dual leads R&D (primary) and is also in Sales; both is primary in Sales.
	dual := tr.admin.CreateMember(apitest.MemberSpec{Userid: "dual", Depts: []string{tr.rnd, tr.sales}, LeaderOf: []string{tr.rnd}})
	both := tr.admin.CreateMember(apitest.MemberSpec{Userid: "both", Depts: []string{tr.sales, tr.rnd}})
	placements := func(id string) string {
		var out struct {
			Node struct {
				Memberships []struct {
					Department          struct{ Name string }
					IsPrimary, IsLeader bool
				}
			}
		}
		tr.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Member { memberships { department { name } isPrimary isLeader } } } }`,
			map[string]any{"id": id}, &out)
		var s []string
		for _, m := range out.Node.Memberships {
			s = append(s, fmt.Sprintf("%s primary=%v leader=%v", m.Department.Name, m.IsPrimary, m.IsLeader))
		}
		return strings.Join(sortedCopy(s), "; ")
	}
	replace := func(id string, deps ...map[string]any) *apitest.Response {
		return tr.salesAdmin.Do(mUpdateMember, map[string]any{"in": map[string]any{"id": id, "departments": deps}})
	}

	// both: Sales (primary) becomes Sales East, which takes the primary; R&D stays.
	if r := replace(both, map[string]any{"departmentId": tr.east}); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	if got, want := placements(both), "R&D primary=false leader=false; Sales East primary=true leader=false"; got != want {
		t.Errorf("both: %s, want %s", got, want)
	}

	// dual's primary (R&D) is outside the scope: it stays primary, and the
	// scoped admin cannot name another one.
	before := placements(dual)
	mustFailWith(t, tr.salesAdmin, "FORBIDDEN", mUpdateMember, map[string]any{"in": map[string]any{"id": dual,
		"departments": []any{map[string]any{"departmentId": tr.east, "isPrimary": true}}}})
	if got := placements(dual); got != before {
		t.Errorf("refused replace changed dual: %s, was %s", got, before)
	}
	if r := replace(dual, map[string]any{"departmentId": tr.east, "isLeader": true}); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	if got, want := placements(dual), "R&D primary=true leader=true; Sales East primary=false leader=true"; got != want {
		t.Errorf("dual: %s, want %s", got, want)
	}

	// A super admin's replace is whole: dual leaves R&D.
	tr.admin.MustDo(mUpdateMember, map[string]any{"in": map[string]any{"id": dual,
		"departments": []any{map[string]any{"departmentId": tr.platform}}}}, nil)
	if got, want := placements(dual), "Platform primary=true leader=false"; got != want {
		t.Errorf("dual after super admin's replace: %s, want %s", got, want)
	}
}

func TestDepartmentMovesRefuseCyclesAndCarryTheSubtree(t *testing.T) {
	tr := newTree(t)
	lab := tr.admin.CreateDepartment("East Lab", tr.east)
	before := departments(t, tr.admin)

	for _, target := range []string{tr.sales, tr.east, lab} {
		r := mustFailWith(t, tr.admin, "BAD_USER_INPUT", mMoveDept, map[string]any{"in": map[string]any{"id": tr.sales, "parentId": target}})
		if f, _ := r.Errors[0].Extensions["field"].(string); f != "parentId" {
			t.Errorf("cyclic move: field %q, want parentId", f)
		}
	}
	mustFailWith(t, tr.admin, "NOT_FOUND", mMoveDept, map[string]any{"in": map[string]any{"id": tr.sales, "parentId": "dep_0000"}})
	if after := departments(t, tr.admin); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("refused moves changed the tree:\n%v\n%v", before, after)
	}

	// Sales East (with East Lab) moves under Platform: depths follow, and an
	// R&D member, under DEPARTMENT visibility, now sees both.
	if r := move(tr.admin, tr.east, tr.platform); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	after := departments(t, tr.admin)
	if d := after[tr.east]; d.Depth != 4 || d.Parent.ID != tr.platform {
		t.Errorf("Sales East = %+v", d)
	}
	if d := after[lab]; d.Depth != 5 || d.Parent.ID != tr.east {
		t.Errorf("East Lab = %+v", d)
	}
	tr.admin.SetVisibility("DEPARTMENT")
	rd := tr.env.Login("acme", "rdmem", apitest.TestPassword)
	seen := departments(t, rd)
	for _, id := range []string{tr.east, lab, tr.platform, tr.rnd, tr.root} {
		if _, ok := seen[id]; !ok {
			t.Errorf("R&D member does not see %s after the move", after[id].Name)
		}
	}
	if _, ok := seen[tr.sales]; ok || len(seen) != 5 {
		t.Errorf("R&D member sees %d departments: %v", len(seen), seen)
	}
	// And a root can be made of it.
	if r := move(tr.admin, tr.east, nil); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	if d := departments(t, tr.admin)[lab]; d.Depth != 2 {
		t.Errorf("East Lab after making Sales East a root: %+v", d)
	}
}

func TestDepartmentTreeIsAtMostFifteenDeep(t *testing.T) {
	tr := newTree(t)
	parent, chain := tr.root, []string{}
	for depth := 2; depth <= 15; depth++ {
		parent = tr.admin.CreateDepartment(fmt.Sprintf("L%d", depth), parent)
		chain = append(chain, parent)
	}
	n := totalCount(t, tr.admin, "departments")
	r := mustFailWith(t, tr.admin, "BAD_USER_INPUT", mCreateDept, map[string]any{"in": map[string]any{"name": "L16", "parentId": parent}})
	if !strings.Contains(r.Errors[0].Message, "15") {
		t.Errorf("depth error %q does not state the limit", r.Errors[0].Message)
	}
	// Sales (depth 2) with Sales East below it cannot go under L14 (depth 14):
	// Sales East would land at 16. Under L13 it fits exactly.
	mustFailWith(t, tr.admin, "BAD_USER_INPUT", mMoveDept, map[string]any{"in": map[string]any{"id": tr.sales, "parentId": chain[12]}})
	if got := departments(t, tr.admin)[tr.east].Depth; got != 3 {
		t.Errorf("refused move changed Sales East's depth to %d", got)
	}
	if r := move(tr.admin, tr.sales, chain[11]); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	if got := departments(t, tr.admin)[tr.east].Depth; got != 15 {
		t.Errorf("Sales East depth = %d, want 15", got)
	}
	if got := totalCount(t, tr.admin, "departments"); got != n {
		t.Errorf("departments = %d, want %d", got, n)
	}
}

func TestOnlyEmptyDepartmentsCanBeDeleted(t *testing.T) {
	tr := newTree(t)
	del := func(id string) *apitest.Response {
		return tr.admin.Do(mDeleteDept, map[string]any{"in": map[string]any{"id": id}})
	}
	for name, id := range map[string]string{"with a sub-department": tr.rnd, "with a member": tr.sales} {
		if r := del(id); !r.HasCode("CONFLICT") {
			t.Errorf("delete department %s: %v, want CONFLICT", name, r.Errors)
		}
	}
	if r := del(tr.platform); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	mustFailWith(t, tr.admin, "NOT_FOUND", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": tr.platform})
	mustFailWith(t, tr.admin, "NOT_FOUND", mDeleteDept, map[string]any{"in": map[string]any{"id": tr.platform}})
	if got := totalCount(t, tr.admin, "departments"); got != 4 {
		t.Errorf("departments = %d, want 4", got)
	}
}

func TestDepartmentsRenameAndReorder(t *testing.T) {
	tr := newTree(t)
	hr := tr.admin.CreateDepartment("HR", tr.root)
	for id, order := range map[string]int{tr.rnd: 1, hr: 2, tr.sales: 3} {
		tr.admin.MustDo(mUpdateDept, map[string]any{"in": map[string]any{"id": id, "order": order}}, nil)
	}
	tr.admin.MustDo(mUpdateDept, map[string]any{"in": map[string]any{"id": hr, "name": "  People  "}}, nil)
	var out struct {
		Node struct {
			Children struct {
				Edges []struct{ Node struct{ Name string } }
			}
		}
	}
	tr.admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Department {
		children(first: 10, orderBy: {field: ORDER}) { edges { node { name } } } } } }`, map[string]any{"id": tr.root}, &out)
	var names []string
	for _, e := range out.Node.Children.Edges {
		names = append(names, e.Node.Name)
	}
	if got := strings.Join(names, ","); got != "R&D,People,Sales" {
		t.Errorf("children by order = %s", got)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("x", 101)} {
		r := mustFailWith(t, tr.admin, "BAD_USER_INPUT", mUpdateDept, map[string]any{"in": map[string]any{"id": hr, "name": bad}})
		if f, _ := r.Errors[0].Extensions["field"].(string); f != "name" {
			t.Errorf("rename to %q: field %q", bad, f)
		}
	}
	if got := departments(t, tr.admin)[hr].Name; got != "People" {
		t.Errorf("HR is named %q after refused renames", got)
	}
}

func sortedCopy(s []string) []string { return sorted(s) }
