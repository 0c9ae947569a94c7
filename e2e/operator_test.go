package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

const createEnterpriseM = `mutation($in: CreateEnterpriseInput!) { createEnterprise(input: $in) { id code accountType status trialEndsAt } }`

func enterpriseIn(code, accountType string, extra map[string]any) map[string]any {
	in := map[string]any{"code": code, "name": code + " Ltd", "accountType": accountType, "adminLogin": "boss", "adminPassword": apitest.TestPassword}
	for k, v := range extra {
		in[k] = v
	}
	return map[string]any{"in": in}
}

func TestAnOperatorCreatesEnterprisesAndSetsTheirAccounts(t *testing.T) {
	env := apitest.Start(t)
	env.NewEnterprise("acme")
	op := env.NewOperator("root")
	var me struct {
		Viewer struct {
			IsOperator bool
			Member     *struct{ ID string }
			Enterprise *struct{ ID string }
		}
	}
	op.MustDo(`{ viewer { isOperator member { id } enterprise { id } } }`, nil, &me)
	if !me.Viewer.IsOperator || me.Viewer.Member != nil || me.Viewer.Enterprise != nil {
		t.Fatalf("operator viewer = %+v", me.Viewer)
	}

	var created struct {
		CreateEnterprise struct{ ID, Code, AccountType, Status string }
	}
	op.MustDo(createEnterpriseM, enterpriseIn("beta", "REGISTERED", nil), &created)
	beta := created.CreateEnterprise
	if beta.AccountType != "REGISTERED" || beta.Status != "ACTIVE" {
		t.Fatalf("created %+v", beta)
	}
	boss := env.Login("beta", "boss", apitest.TestPassword)
	if n, limit := followers(t, boss); n != 1 || limit != 50 {
		t.Fatalf("beta has %d of %d followers", n, limit)
	}

	op.MustFail("CONFLICT", createEnterpriseM, enterpriseIn("beta", "REGISTERED", nil))
	op.MustFail("BAD_USER_INPUT", createEnterpriseM, enterpriseIn("lab", "TRIAL", map[string]any{"contactEmail": "dev@example.com"}))
	op.MustFail("BAD_USER_INPUT", createEnterpriseM, enterpriseIn("big", "CERTIFIED", nil))
	op.MustFail("BAD_USER_INPUT", createEnterpriseM, enterpriseIn("odd", "REGISTERED", map[string]any{"followerQuota": 10}))
	vars := map[string]any{"id": beta.ID}
	op.MustFail("BAD_USER_INPUT", `mutation($id: ID!) { setAccountType(input: {enterpriseId: $id, accountType: TRIAL}) { id } }`, vars)
	op.MustFail("BAD_USER_INPUT", `mutation($id: ID!) { certifyEnterprise(input: {enterpriseId: $id}) { id } }`, vars) // first time needs a quota
	op.MustFail("BAD_USER_INPUT", `mutation($id: ID!) { setFollowerQuota(input: {enterpriseId: $id, followerQuota: 0}) { id } }`, vars)
	op.MustFail("NOT_FOUND", `mutation { setFollowerQuota(input: {enterpriseId: "ent_nope", followerQuota: 10}) { id } }`, nil)

	op.MustDo(`mutation($id: ID!) { setFollowerQuota(input: {enterpriseId: $id, followerQuota: 120}) { id } }`, vars, nil)
	if _, limit := followers(t, boss); limit != 50 {
		t.Fatalf("a registered account's limit moved to %d with a quota", limit)
	}
	var cert struct{ CertifyEnterprise struct{ AccountType string } }
	op.MustDo(`mutation($id: ID!) { certifyEnterprise(input: {enterpriseId: $id}) { accountType } }`, vars, &cert)
	if _, limit := followers(t, boss); limit != 120 || cert.CertifyEnterprise.AccountType != "CERTIFIED" {
		t.Fatalf("certified beta allows %d (%s)", limit, cert.CertifyEnterprise.AccountType)
	}
	op.MustDo(`mutation($id: ID!) { setAccountType(input: {enterpriseId: $id, accountType: REGISTERED}) { id } }`, vars, nil)
	if _, limit := followers(t, boss); limit != 50 {
		t.Fatalf("back to registered, limit %d", limit)
	}

	var list struct {
		Enterprises struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Code  string
					Usage struct{ Followers, Members, FollowerLimit int }
				}
			}
		}
	}
	op.MustDo(`{ enterprises(first: 10, orderBy: {field: CODE}) { totalCount edges { node { code usage { followers members followerLimit } } } } }`, nil, &list)
	if list.Enterprises.TotalCount != 2 || list.Enterprises.Edges[0].Node.Code != "acme" || list.Enterprises.Edges[1].Node.Usage.Followers != 1 {
		t.Fatalf("enterprises = %+v", list.Enterprises)
	}
}

// Who must not reach the operator API: members and super admins get
// FORBIDDEN; and operators get no enterprise's directory.
func TestOnlyOperatorsReachTheOperatorAPIAndOperatorsReachNoDirectory(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}, Mobile: "+8613900000002"})
	sam := env.Login("acme", "sam", apitest.TestPassword)
	op := env.NewOperator("root")
	vars := map[string]any{"id": acme.ID}
	ops := []struct {
		q    string
		vars map[string]any
	}{
		{`{ enterprises(first: 5) { totalCount } }`, nil},
		{createEnterpriseM, enterpriseIn("beta", "REGISTERED", nil)},
		{`mutation($id: ID!) { setAccountType(input: {enterpriseId: $id, accountType: CERTIFIED}) { id } }`, vars},
		{`mutation($id: ID!) { certifyEnterprise(input: {enterpriseId: $id, followerQuota: 1000}) { id } }`, vars},
		{`mutation($id: ID!) { setFollowerQuota(input: {enterpriseId: $id, followerQuota: 1000}) { id } }`, vars},
	}
	for _, c := range []*apitest.Client{admin, sam} {
		for _, o := range ops {
			c.MustFail("FORBIDDEN", o.q, o.vars)
		}
	}
	for _, o := range ops {
		env.Anonymous().MustFail("UNAUTHENTICATED", o.q, o.vars)
	}
	for _, q := range []string{
		`{ members(first: 5) { totalCount } }`,
		`{ departments(first: 5) { totalCount } }`,
		`{ tags(first: 5) { totalCount } }`,
		`{ adminRoles(first: 5) { totalCount } }`,
	} {
		op.MustFail("FORBIDDEN", q, nil)
	}
	op.MustFail("FORBIDDEN", `mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "Ops", "parentId": acme.RootID}})

	// Usage: operators and the enterprise's super admins; contact data for operators only.
	var usage struct {
		Enterprise struct {
			Usage struct {
				Followers     int
				ContactMobile *string
			}
		}
	}
	admin.MustDo(`{ enterprise { usage { followers contactMobile } } }`, nil, &usage)
	if usage.Enterprise.Usage.Followers != 2 || usage.Enterprise.Usage.ContactMobile != nil {
		t.Fatalf("super admin's usage = %+v", usage.Enterprise.Usage)
	}
	sam.MustFail("FORBIDDEN", `{ enterprise { usage { followers } } }`, nil)
}
