package server

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/corpline/corpline/internal/apperr"
)

// shapeLimit refuses, before anything runs, an operation that is nested
// deeper than Depth, uses more than Aliases aliases, or reads a connection
// without `first` or `last` or with a page larger than PageSize (as GitHub's
// API does: an unbounded page is an unbounded query). gqlgen has none of
// these limits.
//
// It must run before the complexity limit: gqlgen's complexity walker
// expands every fragment spread anew, so a document whose fragments each
// spread the next one twice makes it walk 2^n selections. shapeLimit measures
// each fragment once and counts the fields as that walker would see them;
// when they alone pass Complexity (every field weighs at least 1) it refuses
// the operation with the complexity error, without walking.
type shapeLimit struct {
	Depth      int
	Aliases    int
	PageSize   int
	Complexity int
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
	w := shapeWalker{doc: oc.Doc, vars: oc.Variables, pageSize: l.PageSize, frags: map[string]shape{}}
	s := w.selectionSet(oc.Operation.SelectionSet)
	switch {
	case w.err != nil:
		return w.err
	case s.depth > l.Depth:
		return limitError("the query is nested %d levels deep; the limit is %d", s.depth, l.Depth)
	case s.aliases > l.Aliases:
		return limitError("the query uses %d aliases; the limit is %d", s.aliases, l.Aliases)
	case s.fields > l.Complexity:
		return limitError("operation has complexity at least %d, which exceeds the limit of %d", s.fields, l.Complexity)
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

// shape measures a selection set: its depth, and its aliases and fields
// counted once per place they are expanded (saturating, never overflowing).
type shape struct {
	depth, aliases, fields int
}

type shapeWalker struct {
	doc      *ast.QueryDocument
	vars     map[string]any
	pageSize int
	frags    map[string]shape // each fragment is measured once
	err      *gqlerror.Error  // the first page-size error
}

func (w *shapeWalker) selectionSet(set ast.SelectionSet) shape {
	var out shape
	for _, sel := range set {
		var s shape
		switch sel := sel.(type) {
		case *ast.Field:
			w.checkPage(sel)
			s = w.selectionSet(sel.SelectionSet)
			s.depth++
			s.fields = satAdd(s.fields, 1)
			if sel.Alias != "" && sel.Alias != sel.Name {
				s.aliases = satAdd(s.aliases, 1)
			}
		case *ast.InlineFragment:
			s = w.selectionSet(sel.SelectionSet)
		case *ast.FragmentSpread:
			s = w.fragment(sel.Name)
		}
		out.depth = max(out.depth, s.depth)
		out.aliases = satAdd(out.aliases, s.aliases)
		out.fields = satAdd(out.fields, s.fields)
	}
	return out
}

func (w *shapeWalker) fragment(name string) shape {
	if s, ok := w.frags[name]; ok {
		return s
	}
	w.frags[name] = shape{} // a cycle (validation refuses them) adds nothing
	f := w.doc.Fragments.ForName(name)
	if f == nil {
		return shape{}
	}
	s := w.selectionSet(f.SelectionSet)
	w.frags[name] = s
	return s
}

// checkPage requires `first` or `last`, at most pageSize, on a connection.
func (w *shapeWalker) checkPage(f *ast.Field) {
	if w.err != nil || !isConnection(f.Definition) {
		return
	}
	args := f.ArgumentMap(w.vars)
	first, last := intArg(args["first"]), intArg(args["last"])
	var msg string
	switch {
	case first == nil && last == nil:
		msg = fmt.Sprintf("%s needs `first` or `last` (at most %d)", f.Name, w.pageSize)
	case first != nil && (*first < 0 || *first > w.pageSize), last != nil && (*last < 0 || *last > w.pageSize):
		msg = fmt.Sprintf("%s: `first` and `last` must be between 0 and %d", f.Name, w.pageSize)
	default:
		return
	}
	w.err = &gqlerror.Error{
		Message:    msg,
		Locations:  []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}},
		Extensions: map[string]any{"code": string(apperr.BadUserInput), "field": "first"},
		Rule:       "PageSize",
	}
}

// isConnection reports whether def is a Relay connection field.
func isConnection(def *ast.FieldDefinition) bool {
	if def == nil || def.Type == nil {
		return false
	}
	return strings.HasSuffix(def.Type.Name(), "Connection") &&
		def.Arguments.ForName("first") != nil && def.Arguments.ForName("last") != nil
}

// intArg reads an Int argument as given literally (int64) or through a
// variable (int64, int or json.Number); nil when absent or null.
func intArg(v any) *int {
	if n, ok := v.(json.Number); ok {
		i, err := n.Int64()
		if err != nil {
			i = math.MaxInt32
		}
		v = i
	}
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

func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}
