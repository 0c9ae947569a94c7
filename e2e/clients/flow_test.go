package clients

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestEveryClientRunsTheFlow(t *testing.T) {
	node := requireNode(t)
	env := apitest.Start(t)
	ent := env.NewEnterprise("clients")
	admin := env.Admin(ent)
	sales := admin.CreateDepartment("Sales", ent.RootID)
	admin.CreateMember(apitest.MemberSpec{Userid: "ann", Name: "Ann Archer", Depts: []string{sales}})
	vars := []string{
		"CORPLINE_URL=" + env.URL,
		"CORPLINE_ENTERPRISE=" + ent.Code,
		"CORPLINE_LOGIN=" + ent.AdminLogin,
		"CORPLINE_PASSWORD=" + ent.AdminPassword,
		"CORPLINE_DEPARTMENT=Sales",
	}
	for _, client := range []string{"graphql-ws", "graphql-sse-distinct", "graphql-sse-single", "apollo", "urql"} {
		t.Run(client, func(t *testing.T) {
			t.Log(runNode(t, vars, node, "run.mjs", client))
		})
	}
}
