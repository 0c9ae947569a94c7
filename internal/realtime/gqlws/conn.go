package gqlws

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/corpline/corpline/internal/request"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// conn is one websocket connection: its reader runs in serve, each
// operation in its own goroutine.
type conn struct {
	t    Transport
	ws   *websocket.Conn
	exec graphql.GraphExecutor
	// ctx carries the request's values (not its cancellation: the handler
	// has returned) and ends with the connection; operations run under it.
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	initSeen bool
	acked    context.Context // the context Init returned, once acknowledged
	ops      map[string]*operation
	ended    bool

	running   sync.WaitGroup
	lastRead  atomic.Int64 // unix nanoseconds
	initTimer *time.Timer
	pingTimer *time.Timer
}

type operation struct{ cancel context.CancelFunc }

func newConn(t Transport, ws *websocket.Conn, r *http.Request, exec graphql.GraphExecutor) *conn {
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	return &conn{t: t, ws: ws, exec: exec, ctx: ctx, cancel: cancel, ops: map[string]*operation{}}
}

// serve reads messages until the connection ends, then stops every
// operation and waits for them.
func (c *conn) serve() {
	c.lastRead.Store(time.Now().UnixNano())
	c.initTimer = time.AfterFunc(c.t.initTimeout(), c.initExpired)
	stopShutdown := func() bool { return false }
	if c.t.Shutdown != nil {
		stopShutdown = context.AfterFunc(c.t.Shutdown, func() {
			c.close(websocket.StatusGoingAway, "server shutting down")
		})
	}
	defer func() {
		stopShutdown()
		c.initTimer.Stop()
		c.mu.Lock()
		c.ended = true
		if c.pingTimer != nil {
			c.pingTimer.Stop()
		}
		c.mu.Unlock()
		c.cancel()
		c.running.Wait()
		c.ws.CloseNow()
	}()
	for {
		// The reader's context is not the request's: on shutdown the
		// connection closes with a proper close frame (above), not abruptly.
		typ, data, err := c.ws.Read(context.Background())
		if err != nil {
			return
		}
		c.lastRead.Store(time.Now().UnixNano())
		if typ != websocket.MessageText {
			c.close(CloseBadRequest, "Invalid message received: binary messages are not part of the protocol")
			return
		}
		m, err := parse(data)
		if err != nil {
			c.close(CloseBadRequest, err.Error())
			return
		}
		if !c.handle(m) {
			return
		}
	}
}

// handle acts on one valid message; false means the socket is closing.
func (c *conn) handle(m message) bool {
	switch m.Type {
	case typeConnectionInit:
		return c.init(m)
	case typePing:
		c.write(outgoing{Type: typePong})
	case typePong:
		// lastRead is all a pong is for.
	case typeSubscribe:
		return c.subscribe(m)
	case typeComplete:
		c.mu.Lock()
		if op := c.ops[m.ID]; op != nil {
			// Forgotten at once, so the client may reuse the id right away.
			delete(c.ops, m.ID)
			op.cancel()
		}
		c.mu.Unlock()
	}
	return true
}

func (c *conn) init(m message) bool {
	c.mu.Lock()
	seen := c.initSeen
	c.initSeen = true
	c.mu.Unlock()
	if seen {
		c.close(CloseTooManyInits, "Too many initialisation requests")
		return false
	}
	c.initTimer.Stop()
	payload := map[string]any{}
	if m.Payload != nil {
		if err := json.Unmarshal(m.Payload, &payload); err != nil {
			c.close(CloseBadRequest, "Invalid message received: connection_init payload must be an object")
			return false
		}
	}
	ctx := c.ctx
	if c.t.Init != nil {
		var err error
		if ctx, err = c.initAside(payload); err != nil {
			c.close(CloseForbidden, "Forbidden: "+err.Error())
			return false
		}
	}
	c.mu.Lock()
	c.acked = ctx
	c.mu.Unlock()
	if c.write(outgoing{Type: typeConnectionAck}) != nil {
		return false
	}
	c.mu.Lock()
	if !c.ended {
		c.pingTimer = time.AfterFunc(c.t.keepAlive(), c.ping)
	}
	c.mu.Unlock()
	return true
}

// initAside runs Init in a goroutine of its own: authentication reads the
// database, whose driver (SQLite's especially) needs a deep stack, and the
// reader would keep that stack for as long as the connection lives.
func (c *conn) initAside(payload map[string]any) (context.Context, error) {
	type result struct {
		ctx context.Context
		err error
	}
	done := make(chan result, 1)
	go func() {
		ctx, err := c.t.Init(c.ctx, payload)
		done <- result{ctx, err}
	}()
	r := <-done
	return r.ctx, r.err
}

func (c *conn) subscribe(m message) bool {
	start := graphql.Now()
	sub, err := m.subscription()
	if err != nil {
		c.close(CloseBadRequest, err.Error())
		return false
	}
	c.mu.Lock()
	switch {
	case c.acked == nil:
		c.mu.Unlock()
		c.close(CloseUnauthorized, "Unauthorized")
		return false
	case c.ops[m.ID] != nil:
		c.mu.Unlock()
		c.close(CloseSubscriberExists, fmt.Sprintf("Subscriber for %s already exists", m.ID))
		return false
	case len(c.ops) >= c.t.maxOperations():
		c.mu.Unlock()
		c.write(outgoing{ID: m.ID, Type: typeError, Payload: gqlerror.List{{
			Message:    fmt.Sprintf("at most %d operations may run on one connection", c.t.maxOperations()),
			Extensions: map[string]any{"code": "RATE_LIMITED"},
		}}})
		return true
	}
	ctx, cancel := context.WithCancel(c.acked)
	op := &operation{cancel: cancel}
	c.ops[m.ID] = op
	c.running.Add(1)
	c.mu.Unlock()
	go c.run(ctx, op, m.ID, sub, start)
	return true
}

// run executes one operation: next for each result, then complete; or
// error when the operation is invalid.
func (c *conn) run(ctx context.Context, op *operation, id string, sub *subscribePayload, start time.Time) {
	handedOver := false
	defer func() {
		if p := recover(); p != nil {
			c.panicked(ctx, id, p)
		}
		if !handedOver {
			c.forget(op, id)
		}
	}()
	params := &graphql.RawParams{
		Query:         sub.Query,
		OperationName: sub.OperationName,
		Variables:     sub.Variables,
		Extensions:    sub.Extensions,
		ReadTime:      graphql.TraceTiming{Start: start, End: graphql.Now()},
	}
	ctx = graphql.StartOperationTrace(ctx)
	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		c.write(outgoing{ID: id, Type: typeError, Payload: resp.Errors})
		return
	}
	var pusher Pusher
	if c.t.Pusher != nil {
		ctx, pusher = c.t.Pusher(ctx)
	}
	responses, ctx := c.exec.DispatchOperation(graphql.WithOperationContext(ctx, rc), rc)
	if pusher != nil && pusher.Claimed() {
		// The operation delivers itself from now on; this goroutine ends.
		handedOver = true
		pusher.Serve(func() bool { return c.deliver(ctx, op, id, responses) })
		return
	}
	stream := rc.Operation != nil && rc.Operation.Operation == ast.Subscription
	for {
		resp := responses(ctx)
		if resp == nil {
			break
		}
		if ctx.Err() != nil {
			return // completed by the client: its id may be in use again
		}
		if c.write(outgoing{ID: id, Type: typeNext, Payload: resp}) != nil {
			return
		}
		// A query or mutation is one result (or several with @defer, until
		// hasNext is false): asking again would run it again.
		if !stream && (resp.HasNext == nil || !*resp.HasNext) {
			break
		}
	}
	c.finished(ctx, id)
}

// deliver pulls and sends one response of a pushed operation; false once
// the operation is over (and forgotten).
func (c *conn) deliver(ctx context.Context, op *operation, id string, responses graphql.ResponseHandler) (more bool) {
	defer func() {
		if p := recover(); p != nil {
			c.panicked(ctx, id, p)
			c.forget(op, id)
			more = false
		}
	}()
	resp := responses(ctx)
	if resp == nil {
		c.finished(ctx, id)
		c.forget(op, id)
		return false
	}
	if ctx.Err() == nil { // else completed by the client: its id may be in use again
		c.write(outgoing{ID: id, Type: typeNext, Payload: resp})
	}
	return true
}

// finished tells the client an operation is over: complete, or a 4403 close
// when its credentials were revoked; nothing when the client completed it
// or the connection is ending.
func (c *conn) finished(ctx context.Context, id string) {
	if ctx.Err() != nil {
		return
	}
	if c.t.Revoked != nil && c.t.Revoked(ctx) {
		c.close(CloseForbidden, "Forbidden: credentials revoked")
		return
	}
	c.write(outgoing{ID: id, Type: typeComplete})
}

// forget removes a finished operation from the connection.
func (c *conn) forget(op *operation, id string) {
	c.mu.Lock()
	if c.ops[id] == op {
		delete(c.ops, id)
	}
	c.mu.Unlock()
	op.cancel()
	c.running.Done()
}

func (c *conn) panicked(ctx context.Context, id string, p any) {
	request.Logger(ctx).ErrorContext(ctx, "gqlws: operation panicked", "panic", p, "stack", string(debug.Stack()))
	c.write(outgoing{ID: id, Type: typeError, Payload: gqlerror.List{{
		Message: "internal error", Extensions: map[string]any{"code": "INTERNAL"}}}})
}

// ping sends a ping message and schedules the next, or drops a client that
// has been silent for two intervals.
func (c *conn) ping() {
	every := c.t.keepAlive()
	if time.Since(time.Unix(0, c.lastRead.Load())) > 2*every {
		c.ws.CloseNow()
		return
	}
	if c.write(outgoing{Type: typePing}) != nil {
		return
	}
	c.mu.Lock()
	if !c.ended {
		c.pingTimer.Reset(every)
	}
	c.mu.Unlock()
}

func (c *conn) initExpired() {
	c.mu.Lock()
	seen := c.initSeen
	c.mu.Unlock()
	if !seen {
		c.close(CloseInitTimeout, "Connection initialisation timeout")
	}
}

func (c *conn) write(m outgoing) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.t.writeTimeout())
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageText, b)
}

// close sends a close frame with code and waits (a few seconds at most) for
// the client's; the reader then ends.
func (c *conn) close(code websocket.StatusCode, reason string) {
	c.ws.Close(code, closeReason(reason))
}
