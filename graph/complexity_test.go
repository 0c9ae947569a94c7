package graph

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/graph/generated"
)

// TestWeighedSchemaHidesNoOptionalInterface: gqlgen's executor looks for
// graphql.ExecutableSchemaWithEventContext on the schema it is given (for
// @subscriptionContext). The wrapper does not forward it; should gqlgen start
// generating it, the wrapper must.
func TestWeighedSchemaHidesNoOptionalInterface(t *testing.T) {
	inner := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}})
	if _, ok := inner.(graphql.ExecutableSchemaWithEventContext); ok {
		t.Fatal("the generated schema implements ExecutableSchemaWithEventContext: make weighedSchema forward it")
	}
}

func TestEveryConnectionIsWeighedByItsPage(t *testing.T) {
	s := NewSchema(&Resolver{})
	ctx := context.Background()
	var connections int
	for _, typ := range s.Schema().Types {
		for _, f := range typ.Fields {
			if f.Arguments.ForName("first") == nil || f.Arguments.ForName("last") == nil {
				continue
			}
			connections++
			got, ok := s.Complexity(ctx, typ.Name, f.Name, 10, map[string]any{"first": int64(7)})
			if !ok || got != 1+7*10 {
				t.Errorf("%s.%s(first: 7) with children of 10 weighs %d, %v; want 71", typ.Name, f.Name, got, ok)
			}
			if got, _ := s.Complexity(ctx, typ.Name, f.Name, 10, map[string]any{"last": int64(3)}); got != 31 {
				t.Errorf("%s.%s(last: 3) weighs %d; want 31", typ.Name, f.Name, got)
			}
			if got, _ := s.Complexity(ctx, typ.Name, f.Name, 10, nil); got != 1+maxPage*10 {
				t.Errorf("%s.%s without first or last weighs %d; want %d", typ.Name, f.Name, got, 1+maxPage*10)
			}
		}
	}
	if connections < 7 {
		t.Fatalf("found %d connections", connections)
	}
}
