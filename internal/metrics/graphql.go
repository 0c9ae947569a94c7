package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/corpline/corpline/internal/apperr"
)

// GraphQL is the gqlgen extension that counts operations (Requests),
// running subscriptions (SubscriptionsOpen) and their events
// (EventsDelivered).
type GraphQL struct{}

var (
	_ graphql.HandlerExtension     = GraphQL{}
	_ graphql.OperationInterceptor = GraphQL{}
	_ graphql.ResponseInterceptor  = GraphQL{}
)

// ExtensionName names the extension in gqlgen's stats.
func (GraphQL) ExtensionName() string { return "Metrics" }

// Validate accepts every schema.
func (GraphQL) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation counts a subscription as open from its start until its
// stream ends or its context does (the client went away).
func (GraphQL) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if operationType(ctx) != string(ast.Subscription) {
		return next(ctx)
	}
	open := SubscriptionsOpen.WithLabelValues(TransportOf(ctx))
	open.Inc()
	closed := sync.OnceFunc(open.Dec)
	stop := context.AfterFunc(ctx, closed)
	responses := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil {
			stop()
			closed()
		}
		return resp
	}
}

// InterceptResponse counts each event of a subscription, and every other
// operation once, with its latency and outcome.
func (GraphQL) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	typ := operationType(ctx)
	if typ == string(ast.Subscription) {
		EventsDelivered.WithLabelValues(TransportOf(ctx)).Inc()
		return resp
	}
	name, start := "", time.Now()
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		name = oc.OperationName
		if !oc.Stats.Read.Start.IsZero() {
			start = oc.Stats.Read.Start
		}
	}
	if typ == "" {
		typ = "none" // refused before it was an operation: parse, validation, limits
	}
	Requests.WithLabelValues(operationLabel(name), typ, outcome(resp)).Observe(time.Since(start).Seconds())
	return resp
}

// operationType is query, mutation or subscription, or "" before the
// request became an operation.
func operationType(ctx context.Context) string {
	if !graphql.HasOperationContext(ctx) {
		return ""
	}
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil {
		return string(oc.Operation.Operation)
	}
	return ""
}

// outcome is "ok", or the code of the response's first error (one of the
// few of package apperr; "error" for any other).
func outcome(resp *graphql.Response) string {
	if len(resp.Errors) == 0 {
		return "ok"
	}
	code, _ := resp.Errors[0].Extensions["code"].(string)
	switch apperr.Code(code) {
	case apperr.Unauthenticated, apperr.Forbidden, apperr.NotFound, apperr.BadUserInput,
		apperr.Conflict, apperr.QuotaExceeded, apperr.RateLimited, apperr.Internal:
		return code
	}
	return "error"
}
