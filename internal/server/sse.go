package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/corpline/corpline/internal/mediatype"
)

// sseTransport serves GraphQL over server-sent events as the graphql-sse
// protocol has it (https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md),
// on the same path as everything else:
//
//   - distinct connections mode: a GET (as the browser's EventSource sends)
//     or POST whose Accept prefers text/event-stream gets the operation's
//     results as `next` events and then a `complete` event, each with a
//     data line; request errors come as a `next` event too, as the protocol
//     asks, since the client expects a stream;
//   - single connection mode: a PUT reserves a stream and answers 201 with
//     its token; a GET with the token (header X-GraphQL-Event-Stream-Token
//     or query parameter token) opens that stream; each POST with the token
//     runs one operation, answered 202, whose results go to the stream
//     tagged with the operation id the client chose (extensions.operationId);
//     a DELETE with the token and ?operationId= stops one. Streams,
//     operations and stops must carry the reserving request's Authorization.
//
// Every write has a deadline: a client that stops reading loses its stream
// instead of holding a handler forever. Streams end on shutdown.
type sseTransport struct {
	keepAlive    time.Duration
	writeTimeout time.Duration
	// shutdown ends every stream when it is done.
	shutdown context.Context
	single   *reservations
}

var _ graphql.Transport = (*sseTransport)(nil)

func newSSETransport(keepAlive, writeTimeout time.Duration, shutdown context.Context) *sseTransport {
	return &sseTransport{keepAlive: keepAlive, writeTimeout: writeTimeout, shutdown: shutdown, single: newReservations()}
}

// wantsEventStream reports whether r's Accept prefers an event stream to
// JSON (by q-value, then by order): urql, for one, lists text/event-stream
// after three JSON types and means JSON.
func wantsEventStream(r *http.Request) bool {
	m, _ := mediatype.Negotiate(r.Header.Values("Accept"), mediatype.JSON, mediatype.GraphQLResponse, mediatype.EventStream)
	return m == mediatype.EventStream
}

// isSSE reports whether the SSE transport serves r.
func isSSE(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	switch r.Method {
	case http.MethodPut:
		return true
	case http.MethodDelete, http.MethodGet, http.MethodPost:
		return streamToken(r) != "" || (r.Method != http.MethodDelete && wantsEventStream(r))
	}
	return false
}

func (t *sseTransport) Supports(r *http.Request) bool { return isSSE(r) }

func (t *sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	token := streamToken(r)
	switch {
	case r.Method == http.MethodPut:
		t.single.reserve(w, r)
	case token != "" && r.Method == http.MethodDelete:
		t.single.stop(w, r, token)
	case token != "" && r.Method == http.MethodGet:
		t.single.connect(w, r, token, t)
	case token != "":
		t.single.execute(w, r, token, exec)
	default:
		t.distinct(w, r, exec)
	}
}

// distinct runs one operation on a stream of its own.
func (t *sseTransport) distinct(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	params, status, msg := readParams(r)
	if msg != "" {
		writeRequestError(w, status, mediaJSON, msg)
		return
	}
	oc, errs := exec.CreateOperationContext(r.Context(), params)
	if errs == nil && r.Method == http.MethodGet && oc.Operation.Operation == ast.Mutation {
		w.Header().Set("Allow", http.MethodPost)
		writeRequestError(w, http.StatusMethodNotAllowed, mediaJSON, "a mutation must be sent with POST")
		return
	}
	st := t.open(w, r)
	defer st.close()
	st.begin(t.keepAlive)
	ctx := graphql.WithOperationContext(st.ctx, oc)
	if errs != nil {
		st.send("next", exec.DispatchError(ctx, errs))
		st.send("complete", nil)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	for {
		resp := responses(ctx)
		if resp == nil {
			break
		}
		if !st.send("next", resp) {
			return
		}
	}
	st.send("complete", nil)
}

// eventStream is one open text/event-stream response. Its writes are
// serialized; the first failed one ends the stream (ctx).
type eventStream struct {
	ctx     context.Context
	end     context.CancelFunc
	timeout time.Duration

	mu     sync.Mutex
	w      http.ResponseWriter
	rc     *http.ResponseController
	closed bool
}

// open prepares the event stream of r; nothing reaches the client before
// begin.
func (t *sseTransport) open(w http.ResponseWriter, r *http.Request) *eventStream {
	ctx, end := context.WithCancel(r.Context())
	stopOnShutdown := context.AfterFunc(t.shutdown, end)
	st := &eventStream{ctx: ctx, end: func() { stopOnShutdown(); end() }, timeout: t.writeTimeout, w: w, rc: http.NewResponseController(w)}
	h := w.Header()
	h.Set("Content-Type", mediatype.EventStream+"; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // proxies such as nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	return st
}

// begin sends the headers and a first comment at once, so that the client
// knows it is connected, and then a comment every keepAlive.
func (st *eventStream) begin(keepAlive time.Duration) {
	st.comment("")
	if keepAlive > 0 {
		go st.keepAlive(keepAlive)
	}
}

func (st *eventStream) keepAlive(every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-st.ctx.Done():
			return
		case <-tick.C:
			if !st.comment("ping") {
				return
			}
		}
	}
}

// send writes one event; data is marshalled to JSON (nil: an empty data
// line, which the complete event of distinct connections mode carries so
// that every client's parser dispatches it). It reports whether the
// stream is still open.
func (st *eventStream) send(event string, data any) bool {
	payload := []byte{}
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
		}
		payload = b
	}
	return st.write(fmt.Appendf(nil, "event: %s\ndata: %s\n\n", event, payload))
}

func (st *eventStream) comment(text string) bool {
	return st.write([]byte(":" + text + "\n\n"))
}

func (st *eventStream) write(b []byte) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return false
	}
	_ = st.rc.SetWriteDeadline(time.Now().Add(st.timeout))
	if _, err := st.w.Write(b); err != nil {
		st.fail()
		return false
	}
	if err := st.rc.Flush(); err != nil {
		st.fail()
		return false
	}
	return true
}

// fail ends a stream whose client cannot be written to (under mu).
func (st *eventStream) fail() {
	st.closed = true
	st.end()
}

// close ends the stream; later writes are dropped. The handler calls it
// before it returns, after which the ResponseWriter must not be touched.
func (st *eventStream) close() {
	st.mu.Lock()
	st.closed = true
	st.mu.Unlock()
	st.end()
}
