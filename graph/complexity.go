package graph

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

// maxPage is the weight of a connection read without `first` or `last`
// (the server refuses those anyway; see internal/server/limits.go).
const maxPage = 100

// weighedSchema gives gqlgen's complexity limit an honest weight for fields
// that return many items: a connection costs its page size times what is
// selected on each item, and nodes(ids) costs one node per id. Without it,
// `members(first: 100) { edges { node { departments { members(first: 100) ... } } } }`
// would weigh as little as one member. It covers every connection of the
// schema by its shape (a *Connection type with first and last), so a new
// connection cannot be forgotten.
type weighedSchema struct {
	graphql.ExecutableSchema
}

func (s weighedSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if n, ok := s.multiplier(typeName, field, args); ok {
		return satAdd(1, satMul(n, child)), true
	}
	return s.ExecutableSchema.Complexity(ctx, typeName, field, child, args)
}

func (s weighedSchema) multiplier(typeName, field string, args map[string]any) (int, bool) {
	if typeName == "Query" && field == "nodes" {
		ids := reflect.ValueOf(args["ids"])
		if ids.Kind() == reflect.Slice {
			return ids.Len(), true
		}
		return 1, true
	}
	t := s.Schema().Types[typeName]
	if t == nil {
		return 0, false
	}
	def := t.Fields.ForName(field)
	if def == nil || !strings.HasSuffix(def.Type.Name(), "Connection") || def.Arguments.ForName("first") == nil {
		return 0, false
	}
	first, okF := count(args["first"])
	last, okL := count(args["last"])
	if !okF && !okL {
		return maxPage, true
	}
	return max(first, last), true
}

// count reads an Int argument given literally or through a variable.
func count(v any) (int, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			return math.MaxInt32, true
		}
		return int(max(i, 0)), true
	case nil:
		return 0, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return 0, false
		}
		rv = rv.Elem()
	}
	if rv.CanInt() {
		return int(max(rv.Int(), 0)), true
	}
	return 0, false
}

func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

func satMul(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}
