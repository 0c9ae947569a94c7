package server

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/corpline/corpline/internal/apperr"
)

// Bounds of one `where` argument: a filter is measured before any SQL is
// built from it. PostgreSQL's planner does not check for interrupts while
// it works through a long OR list (8,000 terms held a backend for minutes,
// past statement_timeout and pg_terminate_backend), and SQLite refuses deep
// expression trees: only refusing the input protects them.
const (
	WherePredicates = 50  // non-null fields other than and/or/not, in all
	WhereDepth      = 5   // filter objects nested in one another (and/or/not, has...With)
	WhereListValues = 100 // values of one list field (idIn, nameIn ...)
)

// inputCheck refuses, before anything runs, argument values that no
// database would store alike or that would cost the database without
// bound: text with a NUL character or invalid UTF-8 (PostgreSQL refuses
// NUL, SQLite stores it, and JSON decoding turns invalid UTF-8 into U+FFFD),
// a Cursor that does not decode, a connection given both `first` and
// `last`, and `where` filters past the bounds above. It reads every
// argument of every field and directive, literal or variable, and every
// variable.
type inputCheck struct {
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &inputCheck{}

func (*inputCheck) ExtensionName() string { return "InputCheck" }

func (c *inputCheck) Validate(s graphql.ExecutableSchema) error {
	c.schema = s.Schema()
	return nil
}

func (c *inputCheck) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	for name, v := range oc.Variables {
		if err := checkText(name, v); err != nil {
			return err
		}
	}
	if oc.Operation == nil {
		return nil
	}
	w := inputWalker{schema: c.schema, vars: oc.Variables, seen: map[string]bool{}, doc: oc.Doc}
	w.selectionSet(oc.Operation.SelectionSet)
	return w.err
}

// checkText refuses a NUL character or invalid UTF-8 anywhere in v.
func checkText(field string, v any) *gqlerror.Error {
	switch v := v.(type) {
	case string:
		if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
			return inputError(field, "text must be valid UTF-8 without NUL characters")
		}
	case []any:
		for _, e := range v {
			if err := checkText(field, e); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range v {
			if err := checkText(field, k); err != nil {
				return err
			}
			if err := checkText(field, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func inputError(field, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": string(apperr.BadUserInput), "field": field},
		Rule:       "InputCheck",
	}
}

type inputWalker struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	seen   map[string]bool // fragments already walked
	err    *gqlerror.Error
}

func (w *inputWalker) selectionSet(set ast.SelectionSet) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			w.directives(s.Directives)
			w.field(s)
			w.selectionSet(s.SelectionSet)
		case *ast.InlineFragment:
			w.directives(s.Directives)
			w.selectionSet(s.SelectionSet)
		case *ast.FragmentSpread:
			w.directives(s.Directives)
			if w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			if f := w.doc.Fragments.ForName(s.Name); f != nil {
				w.selectionSet(f.SelectionSet)
			}
		}
	}
}

func (w *inputWalker) directives(ds ast.DirectiveList) {
	for _, d := range ds {
		for _, a := range d.Arguments {
			if w.err == nil {
				w.err = checkText(a.Name, valueOf(a.Value, w.vars))
			}
		}
	}
}

func (w *inputWalker) field(f *ast.Field) {
	if f.Definition == nil {
		return
	}
	for _, a := range f.Arguments {
		if w.err != nil {
			return
		}
		def := f.Definition.Arguments.ForName(a.Name)
		v := valueOf(a.Value, w.vars)
		if w.err = checkText(a.Name, v); w.err != nil || def == nil {
			continue
		}
		switch {
		case def.Type.NamedType == "Cursor":
			if s, ok := v.(string); ok {
				var cur entgql.Cursor[string]
				if cur.UnmarshalGQL(s) != nil {
					w.err = inputError(a.Name, "%s is not a cursor this server gave out", a.Name)
				}
			}
		case a.Name == "where" && strings.HasSuffix(def.Type.Name(), "WhereInput"):
			m := whereMeter{schema: w.schema}
			m.object(v, def.Type.Name(), 1)
			w.err = m.err
		}
	}
	if w.err == nil && isConnection(f.Definition) {
		args := f.ArgumentMap(w.vars)
		if args["first"] != nil && args["last"] != nil {
			w.err = inputError("last", "%s takes `first` or `last`, not both", f.Name)
		}
	}
}

// valueOf is an argument's value, literal or from a variable.
func valueOf(v *ast.Value, vars map[string]any) any {
	if v == nil {
		return nil
	}
	out, err := v.Value(vars)
	if err != nil {
		return nil
	}
	return out
}

// whereMeter measures one `where` value against the bounds.
type whereMeter struct {
	schema     *ast.Schema
	predicates int
	err        *gqlerror.Error
}

// object measures a filter object of input type typeName at depth.
func (m *whereMeter) object(v any, typeName string, depth int) {
	obj, ok := v.(map[string]any)
	if !ok || m.err != nil {
		return
	}
	if depth > WhereDepth {
		m.err = inputError("where", "where nests filters %d levels deep; the limit is %d", depth, WhereDepth)
		return
	}
	def := m.schema.Types[typeName]
	if def == nil {
		return
	}
	for name, fv := range obj {
		if fv == nil || m.err != nil {
			continue
		}
		fd := def.Fields.ForName(name)
		if fd == nil {
			continue
		}
		if name != "and" && name != "or" && name != "not" {
			m.predicates++
			if m.predicates > WherePredicates {
				m.err = inputError("where", "where has more than %d predicates; the limit is %d", WherePredicates, WherePredicates)
				return
			}
		}
		inner := fd.Type.Name()
		nested := m.schema.Types[inner] != nil && m.schema.Types[inner].Kind == ast.InputObject
		if list, ok := fv.([]any); ok {
			if !nested && len(list) > WhereListValues {
				m.err = inputError("where", "where.%s has %d values; the limit is %d", name, len(list), WhereListValues)
				return
			}
			if nested {
				for _, e := range list {
					m.object(e, inner, depth+1)
				}
			}
			continue
		}
		if nested {
			m.object(fv, inner, depth+1)
		}
	}
}
