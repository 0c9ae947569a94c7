package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	contract "github.com/corpline/corpline/frontend-contract"
	"github.com/corpline/corpline/internal/apitest"
)

// contractStep runs one operation of frontend-contract/ as a client would.
type contractStep struct {
	op   string
	as   func() *apitest.Client
	vars func() map[string]any
	// keep extracts what later steps need from the data (may be nil).
	keep func(data map[string]any)
	// want are strings the data must contain (what the screen shows).
	want []string
}

// TestEveryFrontendContractOperationRuns executes every operation of
// frontend-contract/, in the order a user would (read, then edit), against a
// seeded server, and requires data without errors. An operation added to the
// contract without a step here fails the test, and so does a step whose
// operation left the contract.
func TestEveryFrontendContractOperationRuns(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	east := admin.CreateDepartment("Sales East", sales)
	rnd := admin.CreateDepartment("R&D", acme.RootID)
	sam := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Name: "Sam Seller", Depts: []string{sales}, LeaderOf: []string{sales},
		Mobile: "13800000001", Email: "sam@acme.example"})
	admin.CreateMember(apitest.MemberSpec{Userid: "erin", Name: "Erin East", Depts: []string{east}})
	admin.MustDo(`mutation($in: CreateTagInput!) { createTag(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "Travel", "memberIds": []string{sam}}}, nil)

	admin.Send(apitest.Text("Welcome, Sam", apitest.Range{Members: []string{sam}}))

	var samClient *apitest.Client
	ids := map[string]string{}
	asAdmin := func() *apitest.Client { return admin }
	asSam := func() *apitest.Client { return samClient }
	input := func(in map[string]any) func() map[string]any {
		return func() map[string]any { return map[string]any{"input": in} }
	}
	keepID := func(key, field string) func(map[string]any) {
		return func(d map[string]any) { ids[key] = str(d[field].(map[string]any)["id"]) }
	}
	steps := []contractStep{
		{op: "Login", as: env.Anonymous, vars: input(map[string]any{"enterprise": "acme", "login": "sam@acme.example", "password": apitest.TestPassword}),
			keep: func(d map[string]any) {
				samClient = env.Anonymous()
				samClient.Token = str(d["login"].(map[string]any)["token"])
			}},
		{op: "Viewer", as: asSam, want: []string{`"userid":"sam"`, `"code":"acme"`}},
		{op: "DepartmentRoots", as: asSam, want: []string{`"name":"acme Inc"`}},
		{op: "DepartmentChildren", as: asSam, vars: func() map[string]any { return map[string]any{"id": acme.RootID} }, want: []string{`"name":"Sales"`}},
		{op: "MemberSearch", as: asSam, vars: func() map[string]any { return map[string]any{"text": "eri"} }, want: []string{`"name":"Erin East"`}},
		{op: "MembersPage", as: asSam, want: []string{`"name":"Erin East"`, `"name":"Sales East"`}},
		{op: "DepartmentMembers", as: asSam, vars: func() map[string]any { return map[string]any{"departmentId": sales} }, want: []string{`"name":"Sam Seller"`}},
		{op: "InboxPage", as: asSam, want: []string{`"text":"Welcome, Sam"`, `"name":"Administrator"`}},
		{op: "MemberProfile", as: asSam, vars: func() map[string]any { return map[string]any{"id": sam} }, want: []string{`"name":"Travel"`, `"isLeader":true`}},
		{op: "AdminConsole", as: asAdmin, want: []string{`"name":"Travel"`, `"kind":"SUPER"`}},
		{op: "CreateDepartment", as: asAdmin, vars: input(map[string]any{"name": "Support", "parentId": acme.RootID}),
			keep: keepID("support", "createDepartment")},
		{op: "UpdateDepartment", as: asAdmin, vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"id": ids["support"], "name": "Customer Support", "order": 3}}
		}},
		{op: "MoveDepartment", as: asAdmin, vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"id": ids["support"], "parentId": sales}}
		}},
		{op: "DeleteDepartment", as: asAdmin, vars: func() map[string]any { return map[string]any{"input": map[string]any{"id": ids["support"]}} }},
		{op: "CreateMember", as: asAdmin, vars: input(map[string]any{"userid": "nora", "name": "Nora North", "email": "nora@acme.example",
			"departments": []any{map[string]any{"departmentId": rnd, "isPrimary": true}}}),
			keep: keepID("nora", "createMember")},
		{op: "UpdateMember", as: asAdmin, vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"id": ids["nora"], "position": "Engineer", "mobile": "13900000002"}}
		}},
		{op: "CreateTag", as: asAdmin, vars: input(map[string]any{"name": "Mentors"}), keep: keepID("tag", "createTag")},
		{op: "UpdateTag", as: asAdmin, vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"id": ids["tag"], "addMemberIds": []string{ids["nora"]}}}
		}},
		{op: "DeleteTag", as: asAdmin, vars: func() map[string]any { return map[string]any{"input": map[string]any{"id": ids["tag"]}} }},
		{op: "GrantAdmin", as: asAdmin, vars: func() map[string]any {
			return map[string]any{"input": map[string]any{"memberId": ids["nora"], "kind": "SCOPED",
				"departmentIds": []string{rnd}, "rights": []string{"MANAGE_MEMBERS"}}}
		}},
		{op: "RevokeAdmin", as: asAdmin, vars: func() map[string]any { return map[string]any{"input": map[string]any{"memberId": ids["nora"]}} }},
		{op: "UpdateEnterpriseSettings", as: asAdmin, vars: input(map[string]any{"name": "Acme Corp", "directoryVisibility": "DEPARTMENT"})},
		{op: "ImportMembers", as: asAdmin, vars: input(map[string]any{"allOrNothing": true, "rows": []any{
			map[string]any{"userid": "imp1", "name": "Imported One", "departments": []any{map[string]any{"departmentId": east}}},
			map[string]any{"userid": "imp2", "name": "Imported Two", "email": "imp2@acme.example",
				"departments": []any{map[string]any{"departmentId": rnd, "isLeader": true}}},
		}})},
		{op: "Logout", as: asSam},
	}

	byName := contractOperations(t)
	for _, s := range steps {
		runContractStep(t, byName, s)
	}
	for name, op := range byName {
		if !contractElsewhere[name] {
			t.Errorf("operation %s of %s has no step in this test", name, op.File)
		}
	}

	// The steps did what they say: a spot check of their combined effect.
	var out struct {
		Members struct{ TotalCount int }
		Viewer  struct {
			Enterprise struct{ Name, DirectoryVisibility string }
		}
	}
	admin.MustDo(`{ members(first: 0) { totalCount } viewer { enterprise { name directoryVisibility } } }`, nil, &out)
	if out.Members.TotalCount != 6 || out.Viewer.Enterprise.Name != "Acme Corp" || out.Viewer.Enterprise.DirectoryVisibility != "DEPARTMENT" {
		t.Errorf("after the edits: %+v", out)
	}
	samClient.MustFail("UNAUTHENTICATED", `{ viewer { isSuperAdmin } }`, nil) // signed out
}

// contractElsewhere names the operations that another test of this package
// runs (one test per app's screens: contract_*_test.go), filled by their init.
var contractElsewhere = map[string]bool{}

// contractOperations returns the contract's operations by name.
func contractOperations(t *testing.T) map[string]contract.Operation {
	t.Helper()
	ops, err := contract.Operations()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]contract.Operation{}
	for _, op := range ops {
		byName[op.Name] = op
	}
	return byName
}

// runContractStep runs one step and removes its operation from byName; it
// fails the test on any error or null root field, and on data that lacks
// what the step wants.
func runContractStep(t *testing.T, byName map[string]contract.Operation, s contractStep) {
	t.Helper()
	op, ok := byName[s.op]
	if !ok {
		t.Errorf("step %s: no such operation in frontend-contract/", s.op)
		return
	}
	delete(byName, s.op)
	var vars map[string]any
	if s.vars != nil {
		vars = s.vars()
	}
	r := s.as().DoOperation(op.Document, op.Name, vars)
	if r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("%s (%s): HTTP %d, errors %+v", op.Name, op.File, r.Status, r.Errors)
	}
	var data map[string]any
	r.Decode(t, &data)
	if err := noNullRoot(data); err != nil {
		t.Fatalf("%s: %v: %s", op.Name, err, r.Data)
	}
	for _, w := range s.want {
		if !strings.Contains(string(r.Data), w) {
			t.Errorf("%s: data lacks %s: %s", op.Name, w, r.Data)
		}
	}
	if s.keep != nil {
		s.keep(data)
	}
}

// noNullRoot requires every root field of data to be non-null.
func noNullRoot(data map[string]any) error {
	if len(data) == 0 {
		return fmt.Errorf("no data")
	}
	var null []string
	for k, v := range data {
		if v == nil {
			null = append(null, k)
		}
	}
	if len(null) > 0 {
		return fmt.Errorf("null root fields %s", strings.Join(null, ", "))
	}
	return nil
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return fmt.Sprint(v)
}
