// Package contract holds the GraphQL operations corpline's web and mobile
// clients send for the directory, one .graphql file per screen or feature.
// They are the API's contract with its clients: a test validates every file
// against the schema, an end-to-end test runs every operation against a
// server (e2e/frontend_contract_test.go), and the benchmark sends MembersPage.
package contract

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

//go:embed *.graphql
var files embed.FS

// Files returns every file of the contract, by name.
func Files() map[string]string {
	names, _ := fs.Glob(files, "*.graphql")
	out := make(map[string]string, len(names))
	for _, n := range names {
		b, _ := files.ReadFile(n)
		out[n] = string(b)
	}
	return out
}

// Operation is one operation of the contract, with the document (its file,
// fragments included) that clients send with it.
type Operation struct {
	Name     string
	File     string
	Kind     ast.Operation
	Document string
}

// Operations lists every operation of the contract, sorted by name.
func Operations() ([]Operation, error) {
	var out []Operation
	for name, text := range Files() {
		doc, err := parser.ParseQuery(&ast.Source{Name: name, Input: text})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, op := range doc.Operations {
			out = append(out, Operation{Name: op.Name, File: name, Kind: op.Operation, Document: text})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Find returns the operation called name.
func Find(name string) (Operation, error) {
	ops, err := Operations()
	if err != nil {
		return Operation{}, err
	}
	for _, op := range ops {
		if op.Name == name {
			return op, nil
		}
	}
	return Operation{}, fmt.Errorf("no operation %q in frontend-contract", name)
}
