package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/server"
)

// A member's filter is measured before any SQL is built from it: 8,000 OR
// terms held a PostgreSQL backend for minutes at 8 GB, and SQLite answered
// INTERNAL (issue 8, finding 1). Past a bound: BAD_USER_INPUT naming it.
func TestFiltersPastTheirBoundsAreRefusedBeforeAnySQL(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sam := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{acme.RootID}})
	member := env.Login("acme", "sam", apitest.TestPassword)
	q := `query($w: MemberWhereInput) { members(first: 1, where: $w) { totalCount } }`

	terms := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"nameContains": fmt.Sprintf("n%d", i)}
		}
		return out
	}
	nestedNot := func(depth int) map[string]any {
		w := map[string]any{"nameContains": "x"}
		for range depth - 1 {
			w = map[string]any{"not": w}
		}
		return w
	}
	ids := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = sam
		}
		return out
	}
	refused := func(what string, w map[string]any, mention string) {
		t.Helper()
		start := time.Now()
		r := member.Do(q, map[string]any{"w": w})
		if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "where" ||
			!strings.Contains(r.Errors[0].Message, mention) {
			t.Errorf("%s: %v, want BAD_USER_INPUT on where naming %s", what, r.Errors, mention)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: refused after %s", what, d)
		}
	}
	refused("8,000 OR terms", map[string]any{"or": terms(8000)}, fmt.Sprint(server.WherePredicates))
	refused("51 OR terms", map[string]any{"or": terms(server.WherePredicates + 1)}, fmt.Sprint(server.WherePredicates))
	refused("not nested 300 deep", nestedNot(300), fmt.Sprint(server.WhereDepth))
	refused("not nested 6 deep", nestedNot(server.WhereDepth+1), fmt.Sprint(server.WhereDepth))
	refused("idIn with 101 values", map[string]any{"idIn": ids(server.WhereListValues + 1)}, fmt.Sprint(server.WhereListValues))
	refused("predicates spread over and, or and a has...With", map[string]any{
		"and": terms(20), "or": terms(20), "hasDepartmentsWith": []any{map[string]any{"or": terms(11)}},
	}, fmt.Sprint(server.WherePredicates))

	// At the bounds, the filter runs.
	for what, w := range map[string]map[string]any{
		"50 OR terms":        {"or": terms(server.WherePredicates)},
		"not nested 5 deep":  nestedNot(server.WhereDepth),
		"idIn of 100 values": {"idIn": ids(server.WhereListValues)},
	} {
		if r := member.Do(q, map[string]any{"w": w}); len(r.Errors) > 0 {
			t.Errorf("%s: %v", what, r.Errors)
		}
	}
	// A literal filter and one on a nested connection are measured alike.
	or := make([]string, server.WherePredicates+1)
	for i := range or {
		or[i] = fmt.Sprintf(`{nameContains: "n%d"}`, i)
	}
	r := member.Do(`{ departments(first: 1) { edges { node { members(first: 1, where: {or: [`+strings.Join(or, ",")+`]}) { totalCount } } } } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "where" {
		t.Errorf("nested connection filter of 51 terms: %v", r.Errors)
	}
}
