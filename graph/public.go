package graph

import (
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/corpline/corpline/graph/generated"
)

// PrintSchema writes the served schema as SDL (`corpline schema`).
func PrintSchema(w io.Writer) {
	formatter.NewFormatter(w, formatter.WithIndent("  ")).FormatSchema(PublicSchema())
}

// PublicSchema is the schema corpline serves: what introspection answers and
// `corpline schema` prints.
var PublicSchema = sync.OnceValue(func() *ast.Schema {
	return publicSchema(generated.NewExecutableSchema(generated.Config{}).Schema())
})

// internalDirectives are declared in schema/*.graphql for the code
// generators and the server, not for clients: gqlgen's @goModel and @goField
// (written by entgql) and our @scopeToViewer (schema/visibility.graphql).
// The served schema neither declares them nor shows where they are applied,
// so introspection and `corpline schema` describe the same API.
//
// @defer is in the list too: gqlparser declares it with the other built-in
// directives, and a schema that declares it promises incremental delivery,
// which corpline's transports do not offer; clients that see no @defer send
// their whole query at once, which is served.
var internalDirectives = []string{"goModel", "goField", "scopeToViewer", "defer"}

// publicSchema is a copy of s without the internal directives: their
// definitions are dropped, and so are their uses on types, fields, arguments
// and enum values. Everything else is shared with s or copied as is, and the
// copy's type pointers (roots, possible types, implements) point into it.
func publicSchema(s *ast.Schema) *ast.Schema {
	p := *s
	p.Directives = maps.Clone(s.Directives)
	for _, name := range internalDirectives {
		delete(p.Directives, name)
	}
	p.SchemaDirectives = publicDirectives(s.SchemaDirectives)
	p.Types = make(map[string]*ast.Definition, len(s.Types))
	for name, def := range s.Types {
		p.Types[name] = publicDefinition(def)
	}
	copies := func(defs []*ast.Definition) []*ast.Definition {
		out := make([]*ast.Definition, len(defs))
		for i, d := range defs {
			out[i] = p.Types[d.Name]
		}
		return out
	}
	p.PossibleTypes = make(map[string][]*ast.Definition, len(s.PossibleTypes))
	for name, defs := range s.PossibleTypes {
		p.PossibleTypes[name] = copies(defs)
	}
	p.Implements = make(map[string][]*ast.Definition, len(s.Implements))
	for name, defs := range s.Implements {
		p.Implements[name] = copies(defs)
	}
	root := func(d *ast.Definition) *ast.Definition {
		if d == nil {
			return nil
		}
		return p.Types[d.Name]
	}
	p.Query, p.Mutation, p.Subscription = root(s.Query), root(s.Mutation), root(s.Subscription)
	return &p
}

func publicDefinition(d *ast.Definition) *ast.Definition {
	c := *d
	c.Directives = publicDirectives(d.Directives)
	if d.Fields != nil {
		c.Fields = make(ast.FieldList, len(d.Fields))
	}
	for i, f := range d.Fields {
		fc := *f
		fc.Directives = publicDirectives(f.Directives)
		if f.Arguments != nil {
			fc.Arguments = make(ast.ArgumentDefinitionList, len(f.Arguments))
		}
		for j, a := range f.Arguments {
			ac := *a
			ac.Directives = publicDirectives(a.Directives)
			fc.Arguments[j] = &ac
		}
		c.Fields[i] = &fc
	}
	if d.EnumValues != nil {
		c.EnumValues = make(ast.EnumValueList, len(d.EnumValues))
	}
	for i, v := range d.EnumValues {
		vc := *v
		vc.Directives = publicDirectives(v.Directives)
		c.EnumValues[i] = &vc
	}
	return &c
}

func publicDirectives(list ast.DirectiveList) ast.DirectiveList {
	return slices.DeleteFunc(slices.Clone(list), func(d *ast.Directive) bool {
		return slices.Contains(internalDirectives, d.Name)
	})
}
