// Package e2e drives corpline as its clients do: real HTTP and websocket
// against a server on a loopback port, over a fresh database per test.
package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestAdminSignsInAndBuildsTheDirectory(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})

	sam := env.Login("acme", "sam", apitest.TestPassword)
	var out struct {
		Viewer struct {
			Member struct {
				Userid      string
				Departments []struct{ Name string }
			}
		}
	}
	sam.MustDo(`{ viewer { member { userid departments { name } } } }`, nil, &out)
	if out.Viewer.Member.Userid != "sam" || len(out.Viewer.Member.Departments) != 1 || out.Viewer.Member.Departments[0].Name != "Sales" {
		t.Fatalf("viewer = %+v", out.Viewer)
	}
}

func TestEveryOperationButLoginNeedsAToken(t *testing.T) {
	env := apitest.Start(t)
	env.NewEnterprise("acme")
	anon := env.Anonymous()
	anon.MustFail("UNAUTHENTICATED", `{ members(first: 10) { totalCount } }`, nil)
	anon.MustFail("UNAUTHENTICATED", `{ viewer { isSuperAdmin } }`, nil)
	bad := env.Anonymous()
	bad.Token = "clt_not-a-real-token"
	bad.MustFail("UNAUTHENTICATED", `{ departments(first: 5) { totalCount } }`, nil)
	var schema struct {
		Schema struct{ QueryType struct{ Name string } } `json:"__schema"`
	}
	anon.MustDo(`{ __schema { queryType { name } } }`, nil, &schema)
	if schema.Schema.QueryType.Name != "Query" {
		t.Fatalf("introspection = %+v", schema)
	}
}
