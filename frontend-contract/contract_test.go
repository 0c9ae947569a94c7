package contract_test

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	contract "github.com/corpline/corpline/frontend-contract"
	"github.com/corpline/corpline/graph"
)

// The screens the contract must cover, one file each.
var screens = []string{
	"login.graphql", "viewer.graphql", "department-tree.graphql", "member-search.graphql",
	"member-page.graphql", "member-profile.graphql", "admin-edits.graphql", "import.graphql",
	"my-tasks.graphql", "task-detail.graphql",
}

func TestEveryFileIsValidAgainstTheSchema(t *testing.T) {
	schema := graph.NewSchema(&graph.Resolver{}).Schema()
	files := contract.Files()
	for _, name := range screens {
		if _, ok := files[name]; !ok {
			t.Errorf("frontend-contract/%s is missing", name)
		}
	}
	seen := map[string]string{}
	for name, text := range files {
		doc, err := parser.ParseQuery(&ast.Source{Name: name, Input: text})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, e := range validator.ValidateWithRules(schema, doc, nil) {
			t.Errorf("%s: %v", name, e)
		}
		if len(doc.Operations) == 0 {
			t.Errorf("%s has no operation", name)
		}
		for _, op := range doc.Operations {
			if op.Name == "" {
				t.Errorf("%s: an operation has no name (clients and logs need one)", name)
			}
			if other, dup := seen[op.Name]; dup {
				t.Errorf("operation %s is in both %s and %s", op.Name, other, name)
			}
			seen[op.Name] = name
		}
		if !strings.HasPrefix(strings.TrimSpace(text), "#") {
			t.Errorf("%s does not start with a comment saying which screen it serves", name)
		}
	}
}
