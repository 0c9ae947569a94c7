package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/corpline/corpline/internal/apitest"
)

// introspectionQuery is graphql-js's getIntrospectionQuery with descriptions,
// specifiedByURL and isRepeatable: what graphql-inspector, codegen and
// GraphiQL send.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`

// The directives graphql-js declares by itself in a schema built from SDL:
// the printed schema leaves them out, introspection lists them.
var specifiedDirectives = []string{"deprecated", "include", "oneOf", "skip", "specifiedBy"}

func TestSchemaCommandPrintsTheServedSchema(t *testing.T) {
	env := apitest.Start(t)
	var served struct {
		Schema introSchema `json:"__schema"`
	}
	env.Anonymous().MustDo(introspectionQuery, nil, &served)
	out, err := runCLI(t, "schema")
	if err != nil {
		t.Fatal(err)
	}
	printed, gerr := gqlparser.LoadSchema(&ast.Source{Name: "corpline schema", Input: out})
	if gerr != nil {
		t.Fatalf("corpline schema is not valid SDL: %v", gerr)
	}
	for _, internal := range []string{"@goModel", "@goField", "@scopeToViewer", "@defer"} {
		if strings.Contains(out, internal) {
			t.Errorf("corpline schema prints %s", internal)
		}
	}
	want, got := served.Schema.lines(), sdlLines(printed)
	if len(want) < 1000 {
		t.Fatalf("introspection described only %d lines: %v", len(want), want)
	}
	for _, l := range want {
		if _, ok := slices.BinarySearch(got, l); !ok {
			t.Errorf("served, not printed: %s", l)
		}
	}
	for _, l := range got {
		if _, ok := slices.BinarySearch(want, l); !ok {
			t.Errorf("printed, not served: %s", l)
		}
	}
}

type introSchema struct {
	QueryType        *introType   `json:"queryType"`
	MutationType     *introType   `json:"mutationType"`
	SubscriptionType *introType   `json:"subscriptionType"`
	Types            []introType  `json:"types"`
	Directives       []introDirec `json:"directives"`
}

type introType struct {
	Kind           string       `json:"kind"`
	Name           string       `json:"name"`
	Description    *string      `json:"description"`
	SpecifiedByURL *string      `json:"specifiedByURL"`
	Fields         []introField `json:"fields"`
	InputFields    []introValue `json:"inputFields"`
	Interfaces     []introType  `json:"interfaces"`
	EnumValues     []introEnum  `json:"enumValues"`
	PossibleTypes  []introType  `json:"possibleTypes"`
	OfType         *introType   `json:"ofType"`
}

type introField struct {
	Name              string       `json:"name"`
	Description       *string      `json:"description"`
	Args              []introValue `json:"args"`
	Type              introType    `json:"type"`
	IsDeprecated      bool         `json:"isDeprecated"`
	DeprecationReason *string      `json:"deprecationReason"`
}

type introValue struct {
	Name         string    `json:"name"`
	Description  *string   `json:"description"`
	Type         introType `json:"type"`
	DefaultValue *string   `json:"defaultValue"`
}

type introEnum struct {
	Name              string  `json:"name"`
	Description       *string `json:"description"`
	IsDeprecated      bool    `json:"isDeprecated"`
	DeprecationReason *string `json:"deprecationReason"`
}

type introDirec struct {
	Name         string       `json:"name"`
	Description  *string      `json:"description"`
	IsRepeatable bool         `json:"isRepeatable"`
	Locations    []string     `json:"locations"`
	Args         []introValue `json:"args"`
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (t introType) ref() string {
	switch t.Kind {
	case "NON_NULL":
		return t.OfType.ref() + "!"
	case "LIST":
		return "[" + t.OfType.ref() + "]"
	}
	return t.Name
}

// builtinType reports the types every GraphQL schema has, which SDL does
// not declare.
func builtinType(name string) bool {
	return strings.HasPrefix(name, "__") || slices.Contains([]string{"String", "Int", "Float", "Boolean", "ID"}, name)
}

// lines describes the served schema one fact a line, sorted, in the same
// words as sdlLines.
func (s introSchema) lines() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	root := func(t *introType) string {
		if t == nil {
			return ""
		}
		return t.Name
	}
	add("schema query=%s mutation=%s subscription=%s", root(s.QueryType), root(s.MutationType), root(s.SubscriptionType))
	value := func(owner string, v introValue) {
		add("%s(%s: %s = %q) %q", owner, v.Name, v.Type.ref(), str(v.DefaultValue), str(v.Description))
	}
	for _, t := range s.Types {
		if builtinType(t.Name) {
			continue
		}
		add("type %s %s %q specifiedBy=%q", t.Name, t.Kind, str(t.Description), str(t.SpecifiedByURL))
		for _, f := range t.Fields {
			add("field %s.%s: %s %q deprecated=%v %q", t.Name, f.Name, f.Type.ref(), str(f.Description), f.IsDeprecated, str(f.DeprecationReason))
			for _, a := range f.Args {
				value("arg "+t.Name+"."+f.Name, a)
			}
		}
		for _, v := range t.InputFields {
			value("input "+t.Name, v)
		}
		for _, i := range t.Interfaces {
			add("implements %s %s", t.Name, i.Name)
		}
		for _, e := range t.EnumValues {
			add("enum %s.%s %q deprecated=%v %q", t.Name, e.Name, str(e.Description), e.IsDeprecated, str(e.DeprecationReason))
		}
		for _, p := range t.PossibleTypes {
			add("possible %s %s", t.Name, p.Name)
		}
	}
	for _, d := range s.Directives {
		if slices.Contains(specifiedDirectives, d.Name) {
			add("directive @%s (specified)", d.Name)
			continue
		}
		add("directive @%s %q repeatable=%v on %s", d.Name, str(d.Description), d.IsRepeatable, strings.Join(d.Locations, "|"))
		for _, a := range d.Args {
			value("directive @"+d.Name, a)
		}
	}
	slices.Sort(out)
	return out
}

// sdlLines describes a schema printed as SDL in the words of lines. Only
// the directives the SDL itself declares count, with graphql-js's specified
// ones (gqlparser adds its whole prelude when it loads SDL).
func sdlLines(s *ast.Schema) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	root := func(d *ast.Definition) string {
		if d == nil {
			return ""
		}
		return d.Name
	}
	add("schema query=%s mutation=%s subscription=%s", root(s.Query), root(s.Mutation), root(s.Subscription))
	value := func(owner string, v *ast.ArgumentDefinition) {
		def := ""
		if v.DefaultValue != nil {
			def = v.DefaultValue.String()
		}
		add("%s(%s: %s = %q) %q", owner, v.Name, v.Type.String(), def, v.Description)
	}
	deprecation := func(dl ast.DirectiveList) (bool, string) {
		d := dl.ForName("deprecated")
		if d == nil {
			return false, ""
		}
		if r := d.Arguments.ForName("reason"); r != nil {
			return true, r.Value.Raw
		}
		return true, "No longer supported"
	}
	kinds := map[ast.DefinitionKind]string{ast.Scalar: "SCALAR", ast.Object: "OBJECT", ast.Interface: "INTERFACE",
		ast.Union: "UNION", ast.Enum: "ENUM", ast.InputObject: "INPUT_OBJECT"}
	for _, t := range s.Types {
		if builtinType(t.Name) {
			continue
		}
		specifiedBy := ""
		if d := t.Directives.ForName("specifiedBy"); d != nil {
			specifiedBy = d.Arguments.ForName("url").Value.Raw
		}
		add("type %s %s %q specifiedBy=%q", t.Name, kinds[t.Kind], t.Description, specifiedBy)
		for _, f := range t.Fields {
			if t.Kind == ast.InputObject {
				value("input "+t.Name, &ast.ArgumentDefinition{Name: f.Name, Type: f.Type, DefaultValue: f.DefaultValue, Description: f.Description})
				continue
			}
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			dep, reason := deprecation(f.Directives)
			add("field %s.%s: %s %q deprecated=%v %q", t.Name, f.Name, f.Type.String(), f.Description, dep, reason)
			for _, a := range f.Arguments {
				value("arg "+t.Name+"."+f.Name, a)
			}
		}
		for _, i := range t.Interfaces {
			add("implements %s %s", t.Name, i)
		}
		for _, e := range t.EnumValues {
			dep, reason := deprecation(e.Directives)
			add("enum %s.%s %q deprecated=%v %q", t.Name, e.Name, e.Description, dep, reason)
		}
		if t.Kind == ast.Interface || t.Kind == ast.Union {
			for _, p := range s.PossibleTypes[t.Name] {
				add("possible %s %s", t.Name, p.Name)
			}
		}
	}
	for _, d := range s.Directives {
		switch {
		case slices.Contains(specifiedDirectives, d.Name):
			add("directive @%s (specified)", d.Name)
		case d.Position != nil && !d.Position.Src.BuiltIn:
			locs := make([]string, len(d.Locations))
			for i, l := range d.Locations {
				locs[i] = string(l)
			}
			add("directive @%s %q repeatable=%v on %s", d.Name, d.Description, d.IsRepeatable, strings.Join(locs, "|"))
			for _, a := range d.Arguments {
				value("directive @"+d.Name, a)
			}
		}
	}
	slices.Sort(out)
	return out
}
