package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

// Each limit of the README, at its edge: the last allowed value passes, the
// next is refused before anything runs, with BAD_USER_INPUT and no data.

// nestedQuery selects departments' parents until the selection is depth
// fields deep, nesting each parent directly, in an inline fragment or in a
// named fragment.
func nestedQuery(depth int, style string) string {
	parents := depth - 4 // departments, edges, node ... id
	var frags strings.Builder
	inner := "id"
	for i := parents; i > 0; i-- {
		switch style {
		case "inline":
			inner = "... on Department { parent { " + inner + " } }"
		case "fragment":
			fmt.Fprintf(&frags, "fragment P%d on Department { parent { %s } }\n", i, inner)
			inner = fmt.Sprintf("...P%d", i)
		default:
			inner = "parent { " + inner + " }"
		}
	}
	return "{ departments(first: 1) { edges { node { " + inner + " } } } }\n" + frags.String()
}

func TestDepthLimitCountsFieldsNotFragments(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	limit := env.Config.Limits.Depth
	for _, style := range []string{"plain", "inline", "fragment"} {
		admin.MustDo(nestedQuery(limit, style), nil, nil)
		r := admin.MustFail("BAD_USER_INPUT", nestedQuery(limit+1, style), nil)
		if !strings.Contains(r.Errors[0].Message, fmt.Sprintf("nested %d levels deep", limit+1)) || r.Data != nil {
			t.Errorf("%s: depth %d answered %+v, data %s", style, limit+1, r.Errors, r.Data)
		}
	}
}

func TestComplexityWeighsConnectionsByPageSize(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	// A members page with each member's departments: the screen's query.
	admin.MustDo(`{ members(first: 100) { edges { node { id name departments { id name } } } } }`, nil, nil)
	// The same with each department's members: 100 x 100 members.
	const nested = `query($n: Int!) { members(first: 100) { edges { node { departments {
		members(first: $n) { edges { node { id name } } } } } } } }`
	admin.MustDo(nested, map[string]any{"n": 2}, nil)
	r := admin.MustFail("BAD_USER_INPUT", nested, map[string]any{"n": 100})
	if !strings.Contains(r.Errors[0].Message, "complexity") || r.Data != nil {
		t.Fatalf("nested pages answered %+v, data %s", r.Errors, r.Data)
	}
	// nodes(ids) weighs one node per id.
	ids := make([]string, 300)
	for i := range ids {
		ids[i] = acme.AdminID
	}
	admin.MustDo(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids[:3]}, nil)
	admin.MustFail("BAD_USER_INPUT", `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Member { departments {
		members(first: 100) { edges { node { id } } } } } } }`, map[string]any{"ids": ids})
}

func TestFragmentBombIsRefusedWithoutExpandingIt(t *testing.T) {
	env := apitest.Start(t)
	// Each fragment spreads the next twice: 2^60 fields once expanded. Were
	// any walker to expand it, this request would never return.
	var q strings.Builder
	q.WriteString("{ ...F0 }\n")
	for i := range 60 {
		fmt.Fprintf(&q, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	q.WriteString("fragment F60 on Query { __typename }\n")
	r := env.Anonymous().MustFail("BAD_USER_INPUT", q.String(), nil)
	if !strings.Contains(r.Errors[0].Message, "complexity") {
		t.Fatalf("fragment bomb answered %+v", r.Errors)
	}
}

func TestParserTokenLimit(t *testing.T) {
	// A limit small enough that a document just under it passes the filter
	// bounds too (a where list takes 100 values).
	env := apitest.Start(t, func(c *config.Config) { c.Limits.ParserTokens = 150 })
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	// Every string of the list is a token; the rest of the query is 20 more.
	names := func(n int) string {
		return `{ members(first: 1, where: {nameIn: [` + strings.Repeat(` "x"`, n) + `]}) { totalCount } }`
	}
	limit := env.Config.Limits.ParserTokens
	admin.MustDo(names(limit-50), nil, nil)
	r := admin.MustFail("BAD_USER_INPUT", names(limit), nil)
	if !strings.Contains(r.Errors[0].Message, "token limit") || r.Data != nil {
		t.Fatalf("too many tokens answered %+v, data %s", r.Errors, r.Data)
	}
}

func TestSelectionLimitBoundsValidationWork(t *testing.T) {
	env := apitest.Start(t)
	anon := env.Anonymous()
	limit := env.Config.Limits.Selections
	anon.MustDo("{"+strings.Repeat(" __typename", limit)+" }", nil, nil)
	r := anon.MustFail("BAD_USER_INPUT", "{"+strings.Repeat(" __typename", limit+1)+" }", nil)
	if !strings.Contains(r.Errors[0].Message, "selections") {
		t.Fatalf("too many fields answered %+v", r.Errors)
	}
	// Fragments count: each definition, its spread and its field.
	var q strings.Builder
	q.WriteString("{")
	for i := range limit / 3 {
		fmt.Fprintf(&q, " ...F%d", i)
	}
	q.WriteString(" }")
	for i := range limit / 3 {
		fmt.Fprintf(&q, " fragment F%d on Query { __typename }", i)
	}
	q.WriteString(" fragment G on Query { __typename }")
	r = anon.MustFail("BAD_USER_INPUT", strings.Replace(q.String(), "{", "{ ...G", 1), nil)
	if !strings.Contains(r.Errors[0].Message, "selections") {
		t.Fatalf("too many fragments answered %+v", r.Errors)
	}
}

func TestAliasLimit(t *testing.T) {
	env := apitest.Start(t)
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: __typename", i)
		}
		return b.String() + " }"
	}
	limit := env.Config.Limits.Aliases
	env.Anonymous().MustDo(aliases(limit), nil, nil)
	r := env.Anonymous().MustFail("BAD_USER_INPUT", aliases(limit+1), nil)
	if !strings.Contains(r.Errors[0].Message, "aliases") {
		t.Fatalf("too many aliases answered %+v", r.Errors)
	}
}

func TestEveryConnectionNeedsFirstOrLastUpTo100(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	ok := []string{
		`{ members(first: 100) { totalCount } }`,
		`{ members(last: 100) { totalCount } }`,
		`{ departments(first: 0) { totalCount } }`,
		`{ departments(first: 5) { edges { node { members(last: 3) { totalCount } children(first: 2) { totalCount } } } } }`,
	}
	for _, q := range ok {
		admin.MustDo(q, nil, nil)
	}
	refused := []string{
		`{ members { totalCount } }`,
		`{ members(first: 101) { totalCount } }`,
		`{ members(last: 1000) { totalCount } }`,
		`{ members(first: -1) { totalCount } }`,
		`{ tags(first: 5) { edges { node { members { totalCount } } } } }`,
		`{ departments(first: 5) { edges { node { ...Kids } } } } fragment Kids on Department { children { totalCount } }`,
		`{ adminRoles(after: "x") { totalCount } }`,
	}
	for _, q := range refused {
		r := admin.MustFail("BAD_USER_INPUT", q, nil)
		if !strings.Contains(r.Errors[0].Message, "first") || r.Data != nil {
			t.Errorf("%s answered %+v, data %s", q, r.Errors, r.Data)
		}
	}
	// Through a variable too.
	admin.MustFail("BAD_USER_INPUT", `query($n: Int) { members(first: $n) { totalCount } }`, map[string]any{"n": 101})
	admin.MustFail("BAD_USER_INPUT", `query($n: Int) { members(first: $n) { totalCount } }`, map[string]any{"n": nil})
	admin.MustDo(`query($n: Int) { members(first: $n) { totalCount } }`, map[string]any{"n": 100}, nil)
}

func TestBodyLimitAnswers413WithOrWithoutContentLength(t *testing.T) {
	env := apitest.Start(t, func(c *config.Config) { c.Limits.BodyBytes = 64 << 10 })
	body := func(size int) []byte {
		pad := size - len(`{"query":"{ __typename }","variables":{"pad":""}}`)
		return []byte(`{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", pad) + `"}}`)
	}
	limit := int(env.Config.Limits.BodyBytes)
	for _, chunked := range []bool{false, true} {
		send := func(b []byte) *apitest.RawResponse {
			var r io.Reader = bytes.NewReader(b)
			if chunked {
				r = io.MultiReader(r) // unknown length: sent chunked
			}
			req, _ := http.NewRequest(http.MethodPost, env.URL, r)
			req.Header.Set("Content-Type", "application/json")
			return env.Send(req)
		}
		if r := send(body(limit)); r.Status != http.StatusOK {
			t.Errorf("chunked=%v: a body at the limit got HTTP %d: %.200s", chunked, r.Status, r.Body)
		}
		r := send(body(limit + 1))
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked=%v: a body past the limit got HTTP %d, want 413", chunked, r.Status)
			continue
		}
		assertCoded(t, "413", r.JSON(), "BAD_USER_INPUT")
		if !strings.Contains(string(r.Body), fmt.Sprintf("larger than %d bytes", limit)) {
			t.Errorf("413 body %s", r.Body)
		}
	}
}

func TestFieldSuggestionsOnlyInDevMode(t *testing.T) {
	const typo = `{ viewer { isSuperAdmn } }`
	prod := apitest.Start(t)
	r := prod.Anonymous().MustFail("BAD_USER_INPUT", typo, nil)
	if strings.Contains(r.Errors[0].Message, "Did you mean") || strings.Contains(r.Errors[0].Message, "isSuperAdmin") {
		t.Errorf("production suggests a field: %q", r.Errors[0].Message)
	}
	dev := apitest.Start(t, func(c *config.Config) { c.Dev = true })
	r = dev.Anonymous().MustFail("BAD_USER_INPUT", typo, nil)
	if !strings.Contains(r.Errors[0].Message, `Did you mean "isSuperAdmin"`) {
		t.Errorf("dev mode does not suggest: %q", r.Errors[0].Message)
	}
}

func TestFullIntrospectionPassesEveryLimitWithoutAToken(t *testing.T) {
	env := apitest.Start(t)
	var out struct {
		Schema struct {
			Types []struct {
				Name   string
				Fields []struct{ Name string }
			}
		} `json:"__schema"`
	}
	env.Anonymous().MustDo(introspectionQuery, nil, &out)
	for _, ty := range out.Schema.Types {
		if ty.Name == "Query" {
			for _, f := range ty.Fields {
				if f.Name == "members" {
					return
				}
			}
		}
	}
	t.Fatalf("introspection lacks Query.members: %+v", out.Schema.Types)
}

// introspectionQuery is graphql-js 16's getIntrospectionQuery(), which
// GraphiQL and code generators send.
const introspectionQuery = `
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
