package live

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// end records why a subscription stopped, for its last response. A
// subscription resolver can only close its channel; the reason travels
// beside it, in the operation's context, from the stream that ends to the
// response interceptor that tells the client.
type end struct {
	mu       sync.Mutex
	err      error
	reported bool // sent, or not to be sent (the stream closed in band)
	revoked  bool
}

type endKey struct{}

func endOf(ctx context.Context) *end {
	e, _ := ctx.Value(endKey{}).(*end)
	return e
}

// fail records err as the reason the subscription of ctx ends; revoked
// says the viewer's re-check refused it; report that the client is to get
// err as the last response. The stream closes its channel right after:
// every event queued before still goes out, then the error.
func fail(ctx context.Context, err error, revoked, report bool) {
	if e := endOf(ctx); e != nil {
		e.mu.Lock()
		if e.err == nil {
			e.err = err
			e.revoked = revoked
			e.reported = !report
		}
		e.mu.Unlock()
	}
}

// Revoked reports whether the subscription of ctx ended because its
// viewer's credentials no longer hold (disabled, deleted, signed out,
// expired: the re-check answered with one of our codes, not an internal
// error). The websocket transport then closes the whole socket with 4403:
// its connection_init token is no good any more either.
func Revoked(ctx context.Context) bool {
	e := endOf(ctx)
	if e == nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.revoked
}

// Extension gives every subscription a place for its end reason, and sends
// that reason as the subscription's last response: {"data": null,
// "errors": [{..., "extensions": {"code": ...}}]}, then the transport
// completes. It works the same over websocket and SSE.
type Extension struct{}

var (
	_ graphql.HandlerExtension     = Extension{}
	_ graphql.OperationInterceptor = Extension{}
	_ graphql.ResponseInterceptor  = Extension{}
)

// ExtensionName names the extension in gqlgen's stats.
func (Extension) ExtensionName() string { return "LiveSubscriptions" }

// Validate accepts every schema.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation gives subscriptions their end record.
func (Extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
			ctx = context.WithValue(ctx, endKey{}, &end{})
		}
	}
	return next(ctx)
}

// InterceptResponse turns the end of a failed stream into one last response.
func (Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil {
		return resp
	}
	e := endOf(ctx)
	if e == nil {
		return nil
	}
	e.mu.Lock()
	err := e.err
	if err == nil || e.reported {
		e.mu.Unlock()
		return nil
	}
	e.reported = true
	e.mu.Unlock()
	graphql.AddError(ctx, err)
	errs := graphql.GetErrors(ctx)
	if path := rootPath(ctx); path != nil {
		for _, ge := range errs {
			if ge.Path == nil {
				ge.Path = path
			}
		}
	}
	return &graphql.Response{Errors: gqlerror.List(errs)}
}

// rootPath is the path of the subscription's field, e.g. ["inbox"].
func rootPath(ctx context.Context) ast.Path {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil {
		return nil
	}
	for _, sel := range oc.Operation.SelectionSet {
		if f, ok := sel.(*ast.Field); ok {
			return ast.Path{ast.PathName(f.Alias)}
		}
	}
	return nil
}
