package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// documentLimit refuses a document with more than Selections selections
// (fields, fragment spreads, inline fragments and fragment definitions)
// before gqlgen validates it. Validation is quadratic in them: gqlparser's
// OverlappingFieldsCanBeMerged took 3 s for `{ __typename x 8000 }` and 1 s
// for 1,000 one-field fragments on this kind of machine, both well inside the
// parser token limit, so the token limit alone does not bound the work. At
// 500 selections the worst shape measured validates in about 25 ms.
//
// It parses the document itself (linear, bounded by the token limit) only
// when the query cache does not already hold it, validated.
type documentLimit struct {
	Selections int
	Tokens     int
	Cache      graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentLimit{}

func (documentLimit) ExtensionName() string                   { return "DocumentLimit" }
func (documentLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l documentLimit) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if _, ok := l.Cache.Get(ctx, p.Query); ok {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, l.Tokens)
	if err != nil {
		return nil // gqlgen parses again and reports the error
	}
	n := len(doc.Fragments)
	for _, op := range doc.Operations {
		n += countSelections(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		n += countSelections(f.SelectionSet)
	}
	if n > l.Selections {
		return limitError("the document has %d selections (fields and fragments); the limit is %d", n, l.Selections)
	}
	return nil
}

func countSelections(set ast.SelectionSet) int {
	n := len(set)
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			n += countSelections(sel.SelectionSet)
		case *ast.InlineFragment:
			n += countSelections(sel.SelectionSet)
		}
	}
	return n
}
