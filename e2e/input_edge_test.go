package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// Bad input is the client's mistake, answered BAD_USER_INPUT before it
// reaches a database, the same on PostgreSQL (which refuses NUL in text) and
// SQLite (which stored it), and never stored altered (invalid UTF-8 would
// become U+FFFD) (issue 8, finding 5).
func TestBadInputIsRefusedAtTheEdgeAlikeOnEveryDatabase(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	memberID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{acme.RootID}})
	createDept := `mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id } }`

	badUserInput := func(what string, r *apitest.Response) {
		t.Helper()
		if len(r.Errors) == 0 || r.Errors[0].Code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %v, want BAD_USER_INPUT", what, r.Errors)
		}
	}
	badUserInput("first with last", admin.Do(`{ members(first: 10, last: 10) { totalCount } }`, nil))
	badUserInput("undecodable after", admin.Do(`{ members(first: 10, after: "not-a-cursor") { totalCount } }`, nil))
	badUserInput("undecodable before in a variable", admin.Do(`query($c: Cursor) { members(last: 10, before: $c) { totalCount } }`,
		map[string]any{"c": "bm90IGpzb24"}))
	badUserInput("NUL in a variable", admin.Do(createDept, map[string]any{"in": map[string]any{"name": "nul\x00byte", "parentId": acme.RootID}}))
	badUserInput("NUL in a literal", admin.Do(`mutation { createDepartment(input: {name: "nul\u0000byte", parentId: "`+acme.RootID+`"}) { id } }`, nil))
	badUserInput("NUL inside a node ID", admin.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": memberID + "\x00"}))
	badUserInput("NUL inside a node ID literal", admin.Do(`{ node(id: "mem_\u0000") { id } }`, nil))
	badUserInput("NUL in a list of IDs", admin.Do(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{memberID, "x\x00"}}))

	// Invalid UTF-8 cannot be written through encoding/json: send bytes.
	body := `{"query":"mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id } }",` +
		`"variables":{"in":{"name":"bad \xff\xfe utf8","parentId":"` + acme.RootID + `"}}}`
	raw := env.HTTP(http.MethodPost, "/graphql", strings.NewReader(body),
		"Content-Type", "application/json", "Authorization", "Bearer "+admin.Token)
	if errs, _ := raw.JSON()["errors"].([]any); len(errs) == 0 || errs[0].(map[string]any)["extensions"].(map[string]any)["code"] != "BAD_USER_INPUT" {
		t.Errorf("invalid UTF-8 in the body: HTTP %d %s", raw.Status, raw.Body)
	}
	raw = env.HTTP(http.MethodGet, "/graphql?query="+url.QueryEscape(`query($id: ID!) { node(id: $id) { id } }`)+
		"&variables="+url.QueryEscape(`{"id":"`)+"%FF"+url.QueryEscape(`"}`), nil, "Authorization", "Bearer "+admin.Token)
	if errs, _ := raw.JSON()["errors"].([]any); len(errs) == 0 || errs[0].(map[string]any)["extensions"].(map[string]any)["code"] != "BAD_USER_INPUT" {
		t.Errorf("invalid UTF-8 in a GET: HTTP %d %s", raw.Status, raw.Body)
	}

	// Nothing of it was stored.
	var out struct {
		Departments struct{ TotalCount int }
	}
	admin.MustDo(`{ departments(first: 1) { totalCount } }`, nil, &out)
	if out.Departments.TotalCount != 1 {
		t.Fatalf("%d departments after refused creations, want the root alone", out.Departments.TotalCount)
	}
}
