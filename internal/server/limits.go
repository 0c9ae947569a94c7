package server

import (
	"context"
	"fmt"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/corpline/corpline/internal/apperr"
)

// shapeLimit refuses operations nested deeper than Depth or with more than
// Aliases aliased fields, before anything runs. gqlgen has neither limit.
type shapeLimit struct {
	Depth   int
	Aliases int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := walker{frags: oc.Doc.Fragments, seen: map[string]bool{}}
	depth := w.depth(oc.Operation.SelectionSet, 0)
	if depth > l.Depth {
		return limitError("the query is nested %d levels deep; the limit is %d", depth, l.Depth)
	}
	if w.aliases > l.Aliases {
		return limitError("the query uses %d aliases; the limit is %d", w.aliases, l.Aliases)
	}
	return nil
}

func limitError(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": string(apperr.BadUserInput)},
		Rule:       "ShapeLimit",
	}
}

type walker struct {
	frags   ast.FragmentDefinitionList
	seen    map[string]bool // fragments on the current path, against cycles
	aliases int
}

func (w *walker) depth(set ast.SelectionSet, d int) int {
	deepest := d
	for _, sel := range set {
		var n int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				w.aliases++
			}
			n = d + 1
			if len(s.SelectionSet) > 0 {
				n = w.depth(s.SelectionSet, d+1)
			}
		case *ast.InlineFragment:
			n = w.depth(s.SelectionSet, d)
		case *ast.FragmentSpread:
			f := w.frags.ForName(s.Name)
			if f == nil || w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			n = w.depth(f.SelectionSet, d)
			delete(w.seen, s.Name)
		}
		deepest = max(deepest, n)
	}
	return deepest
}

// pageSizeLimit requires every connection to take `first` or `last`, of at
// most max, as GitHub's API does: an unbounded page is an unbounded query.
func pageSizeLimit(max int) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || !isConnection(fc.Field.Definition) {
			return next(ctx)
		}
		first, last := intArg(fc.Args["first"]), intArg(fc.Args["last"])
		switch {
		case first == nil && last == nil:
			return nil, apperr.Input("first", "%s needs `first` or `last` (at most %d)", fc.Field.Name, max)
		case first != nil && (*first < 0 || *first > max), last != nil && (*last < 0 || *last > max):
			return nil, apperr.Input("first", "%s: `first` and `last` must be between 0 and %d", fc.Field.Name, max)
		}
		return next(ctx)
	}
}

func isConnection(def *ast.FieldDefinition) bool {
	if def == nil || def.Type == nil {
		return false
	}
	name := def.Type.Name()
	return len(name) > len("Connection") && name[len(name)-len("Connection"):] == "Connection" && def.Arguments.ForName("first") != nil
}

func intArg(v any) *int {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
		return nil
	}
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.CanInt() {
		n := int(rv.Int())
		return &n
	}
	return nil
}
