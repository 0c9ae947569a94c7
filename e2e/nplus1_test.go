package e2e

import (
	"fmt"
	"testing"

	contract "github.com/corpline/corpline/frontend-contract"
	"github.com/corpline/corpline/internal/apitest"
)

// TestMemberPagesCostTheSameNumberOfQueriesWhateverTheirSize counts the SQL
// statements behind member pages with nested edges: a page of 50 must cost
// what a page of 5 costs (no query per member), for a super admin and for a
// member under DEPARTMENT visibility (whose rules are subqueries, not extra
// round trips).
func TestMemberPagesCostTheSameNumberOfQueriesWhateverTheirSize(t *testing.T) {
	env, queries := apitest.StartCounting(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	var depts []string
	for i := range 12 {
		depts = append(depts, admin.CreateDepartment(fmt.Sprintf("D%d", i), acme.RootID))
	}
	rows := importRows("m", 60, depts[0])
	for i, r := range rows {
		r["departments"] = []any{
			map[string]any{"departmentId": depts[i%12], "isPrimary": true},
			map[string]any{"departmentId": depts[(i+1)%12], "isLeader": i%5 == 0},
		}
	}
	importMembers(t, admin, rows, true)
	admin.CreateMember(apitest.MemberSpec{Userid: "viewer", Depts: []string{depts[0]}})
	member := env.Login("acme", "viewer", apitest.TestPassword)

	pages := []struct{ name, query string }{
		{"members{departments}", `query($n: Int!) { members(first: $n) { edges { node { departments { name } } } } }`},
		{"members{memberships{department} tags}", `query($n: Int!) { members(first: $n) { totalCount edges { node {
			memberships { isPrimary department { name } } tags { name } } } } }`},
		{"members{primaryDepartment}", `query($n: Int!) { members(first: $n) { edges { node { primaryDepartment { name } } } } }`},
		{"departments{members{departments}}", `query($n: Int!) { departments(first: 10) { edges { node {
			members(first: $n) { totalCount edges { node { departments { name } } } } } } } }`},
		{"departments{leaders memberships children}", `query($n: Int!) { departments(first: $n) { totalCount edges { node {
			leaders { userid } memberships { isLeader member { userid } } children(first: 5) { totalCount edges { node { name } } } } } } }`},
	}
	cost := func(c *apitest.Client, query string, n int) int64 {
		t.Helper()
		c.MustDo(viewerQ, nil, nil) // the viewer warm (it is cached per token), as it is for every request after the first
		start := queries.Count()
		var out any
		c.MustDo(query, map[string]any{"n": n}, &out)
		return queries.Count() - start
	}
	for _, setting := range []string{"EVERYONE", "DEPARTMENT"} {
		admin.SetVisibility(setting)
		for _, who := range []struct {
			name string
			c    *apitest.Client
		}{{"super admin", admin}, {"member", member}} {
			for _, p := range pages {
				small, large := cost(who.c, p.query, 5), cost(who.c, p.query, 50)
				t.Logf("%s, %s, %s: %d statements for 5, %d for 50", setting, who.name, p.name, small, large)
				if large != small {
					t.Errorf("%s, %s, %s: %d statements for a page of 5 but %d for 50", setting, who.name, p.name, small, large)
				}
			}
		}
	}
}

// TestAWarmMembersPageCostsAtMostThreeStatements counts what
// frontend-contract's MembersPage costs a signed-in member once their
// viewer is warm: at most three SQL statements in all (the viewer costs none,
// the page and its totalCount, the departments of the whole page), under
// either visibility setting.
func TestAWarmMembersPageCostsAtMostThreeStatements(t *testing.T) {
	env, queries := apitest.StartCounting(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	var depts []string
	for i := range 4 {
		depts = append(depts, admin.CreateDepartment(fmt.Sprintf("D%d", i), acme.RootID))
	}
	rows := importRows("m", 60, depts[0])
	for i, r := range rows {
		r["departments"] = []any{
			map[string]any{"departmentId": depts[i%4], "isPrimary": true},
			map[string]any{"departmentId": depts[(i+1)%4]},
		}
	}
	importMembers(t, admin, rows, true)
	admin.CreateMember(apitest.MemberSpec{Userid: "viewer", Depts: []string{depts[0]}})
	member := env.Login("acme", "viewer", apitest.TestPassword)
	page, err := contract.Find("MembersPage")
	if err != nil {
		t.Fatal(err)
	}
	for _, setting := range []string{"EVERYONE", "DEPARTMENT"} {
		admin.SetVisibility(setting)
		member.DoOperation(page.Document, page.Name, nil) // warm
		start := queries.Count()
		r := member.DoOperation(page.Document, page.Name, nil)
		spent := queries.Count() - start
		var out struct {
			Members struct {
				TotalCount int
				Edges      []struct {
					Node struct{ Departments []struct{ Name string } }
				}
			}
		}
		r.Decode(t, &out)
		if len(r.Errors) > 0 || out.Members.TotalCount < 30 || len(out.Members.Edges) != min(50, out.Members.TotalCount) ||
			len(out.Members.Edges[0].Node.Departments) == 0 {
			t.Fatalf("%s: errors %v, %d edges of %d, %+v", setting, r.Errors, len(out.Members.Edges), out.Members.TotalCount, out.Members.Edges)
		}
		t.Logf("%s: MembersPage, warm: %d statements", setting, spent)
		if spent > 3 {
			t.Errorf("%s: a warm MembersPage costs %d statements, more than 3", setting, spent)
		}
	}
}
