package server

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/corpline/corpline/graph"
)

// transactions runs each mutation in one transaction: all of it or none of
// it. It does what entgql.Transactioner does, with two differences that
// clients see:
//
//   - a mutation's response handler runs once, in the transaction; when a
//     transport asks for a next response after that (gqlgen's SSE loop asks
//     until it gets nil), it gets nil at once, with no transaction.
//     entgql's opened a second transaction for that call and read the
//     errors of its nil response: every mutation over SSE panicked.
//   - a transaction that fails to begin or to commit is an INTERNAL error,
//     logged with its cause by the error presenter, not driver text.
type transactions struct {
	// client opens the transactions (the ent client: ent.Client.OpenTx puts
	// the transaction and its client in the context, where resolvers and
	// the after-commit publish find them).
	client interface {
		OpenTx(ctx context.Context) (context.Context, driver.Tx, error)
	}
}

var (
	_ graphql.HandlerExtension        = transactions{}
	_ graphql.OperationContextMutator = transactions{}
	_ graphql.OperationInterceptor    = transactions{}
)

func (transactions) ExtensionName() string                   { return "Transactions" }
func (transactions) Validate(graphql.ExecutableSchema) error { return nil }

func isMutation(oc *graphql.OperationContext) bool {
	return oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation
}

// MutateOperationContext runs a mutation's resolvers one at a time: they
// share one transaction, which is not safe for concurrent use.
func (transactions) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if isMutation(oc) {
		previous := oc.ResolverMiddleware
		var mu sync.Mutex
		oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
			mu.Lock()
			defer mu.Unlock()
			return previous(ctx, next)
		}
	}
	return nil
}

// InterceptOperation wraps a mutation's response handler in a transaction.
func (t transactions) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if !isMutation(graphql.GetOperationContext(ctx)) {
		return next(ctx)
	}
	responses := next(ctx)
	ran := false
	return func(ctx context.Context) *graphql.Response {
		if ran {
			return nil // the stream's end: the mutation already ran
		}
		ran = true
		return t.run(ctx, responses)
	}
}

func (t transactions) run(ctx context.Context, responses graphql.ResponseHandler) (resp *graphql.Response) {
	txCtx, tx, err := t.client.OpenTx(ctx)
	if err != nil {
		return internalError(ctx, fmt.Errorf("begin the mutation's transaction: %w", err))
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	resp = responses(txCtx)
	if resp == nil || len(resp.Errors) > 0 {
		_ = tx.Rollback()
		if resp == nil {
			return nil
		}
		// Nothing of it happened: no data to show.
		return &graphql.Response{Errors: resp.Errors, Extensions: resp.Extensions}
	}
	if err := tx.Commit(); err != nil {
		return internalError(ctx, fmt.Errorf("commit the mutation's transaction: %w", err))
	}
	return resp
}

// internalError answers err through the error presenter, which logs it and
// shows the client "internal error" with the request id.
func internalError(ctx context.Context, err error) *graphql.Response {
	ctx = graphql.WithResponseContext(ctx, graph.PresentError, graph.Recover)
	graphql.AddError(ctx, err)
	return &graphql.Response{Errors: graphql.GetErrors(ctx)}
}
