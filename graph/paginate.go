package graph

import (
	"context"
	"fmt"
	"strconv"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// entgql's Paginate counts the whole connection in a statement of its own
// whenever the client asks for totalCount or pageInfo, and then reads the
// page in a second one. The count is not needed for pageInfo (the page is
// read one row longer to tell whether there is a next one), and a first
// page can carry the total itself: COUNT(*) OVER () counts every row the
// page's WHERE selects (the tenant and visibility filters included), before
// the LIMIT. pageInOne prepares that: the query gains the window column,
// and Paginate runs with a field context that asks neither for totalCount
// nor for pageInfo, so it sends the page alone; pageTotal reads the total back.

// totalColumn is the window column that carries a first page's total.
const totalColumn = "corpline_total_count"

// modifiable is an ent query that takes selector modifiers (Modify returns
// a select builder the caller does not need: the modifier stays on the query).
type modifiable[S any] interface {
	Modify(modifiers ...func(s *sql.Selector)) S
}

// pageInOne returns the context to paginate q with, and whether q now
// carries the total (read it back with pageTotal). paged is whether the
// request has an after or before cursor: a cursor's predicate would cut the
// window's count, so such pages keep entgql's separate count. extra
// modifiers are added to q only when the page is read alone (entgql's count
// would carry them too, and a count cannot select columns).
func pageInOne[S any](ctx context.Context, q modifiable[S], paged bool, extra ...func(*sql.Selector)) (context.Context, bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return ctx, false
	}
	oc := graphql.GetOperationContext(ctx)
	var (
		kept                   ast.SelectionSet
		edges, total, pageInfo bool
	)
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, nil) {
		switch f.Alias {
		case "edges":
			edges = true
		case "totalCount":
			total = true
			continue
		case "pageInfo":
			pageInfo = true
			continue
		}
		kept = append(kept, &ast.Field{
			Alias: f.Alias, Name: f.Name, Arguments: f.Arguments, Directives: f.Directives,
			SelectionSet: f.Selections, Position: f.Position, Definition: f.Definition, ObjectDefinition: f.ObjectDefinition,
		})
	}
	if !edges {
		return ctx, false // the count is all there is to read
	}
	if !total && !pageInfo {
		q.Modify(extra...) // entgql counts nothing
		return ctx, false
	}
	if total && paged {
		return ctx, false // the count must ignore the cursor
	}
	q.Modify(extra...)
	if total {
		q.Modify(func(s *sql.Selector) { s.AppendSelectExprAs(sql.Raw("COUNT(*) OVER ()"), totalColumn) })
	}
	c := *fc
	c.Field.Selections = kept
	ctx = graphql.WithFieldContext(ctx, &c)
	c.Parent = fc.Parent // the same field, not a child of it
	return ctx, total
}

// pageTotal reads the total that pageInOne's window column carried on the
// first node of a page (no node: the connection is empty).
func pageTotal[E any, N interface {
	Value(string) (entgo.Value, error)
}](edges []E, node func(E) N) (int, error) {
	if len(edges) == 0 {
		return 0, nil
	}
	v, err := node(edges[0]).Value(totalColumn)
	if err != nil {
		return 0, fmt.Errorf("page total: %w", err)
	}
	switch n := v.(type) {
	case int64:
		return int(n), nil
	case []byte:
		return strconv.Atoi(string(n))
	}
	return 0, fmt.Errorf("page total: unexpected %T", v)
}
