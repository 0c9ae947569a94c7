// Package gqlws serves GraphQL over websocket with the graphql-transport-ws
// protocol (github.com/enisdenjo/graphql-ws, PROTOCOL.md), close codes
// included.
//
// It replaces gqlgen's websocket transport, which closes with 1002 and 1000
// where the protocol says 4408 and 4403 (gqlgen issues 2349 and 2881), so
// clients such as Apollo's reconnect forever instead of stopping, and which
// does not enforce 4401, 4409 or 4429. The legacy graphql-ws subprotocol of
// subscriptions-transport-ws (unmaintained since 2018) is refused on
// purpose with 4406, as the reference server does: one protocol, exactly.
//
// Each connection costs one goroutine (its reader) and each running
// operation one more; pings, init timeouts and shutdown use timers and
// context callbacks rather than goroutines, as idle subscriptions are the
// common case.
package gqlws

import (
	"context"
	"github.com/corpline/corpline/internal/config"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"
)

// Subprotocol is the only websocket subprotocol served.
const Subprotocol = "graphql-transport-ws"

// Close codes of graphql-transport-ws.
const (
	CloseBadRequest               = 4400 // a message of unknown type or shape
	CloseUnauthorized             = 4401 // subscribe before connection_ack
	CloseForbidden                = 4403 // connection_init refused, or credentials revoked since
	CloseSubprotocolNotAcceptable = 4406 // the client did not ask for graphql-transport-ws
	CloseInitTimeout              = 4408 // no connection_init in time
	CloseSubscriberExists         = 4409 // subscribe with the id of a running operation
	CloseTooManyInits             = 4429 // a second connection_init
	CloseInternalError            = 4500
)

// Transport is a gqlgen transport for graphql-transport-ws.
type Transport struct {
	// AcceptOptions are passed to websocket.Accept (origin patterns, say);
	// Subprotocols is set by the transport.
	AcceptOptions websocket.AcceptOptions
	// Init authenticates connection_init's payload and returns the context
	// operations run in. An error refuses the connection with 4403.
	Init func(ctx context.Context, payload map[string]any) (context.Context, error)
	// InitTimeout is how long a client may take to send connection_init
	// (default 10s); then the socket closes with 4408.
	InitTimeout time.Duration
	// KeepAlive is the interval of the server's ping messages once the
	// connection is acknowledged (default 15s). A client that has sent
	// nothing, not even a pong, for two intervals is dropped.
	KeepAlive time.Duration
	// WriteTimeout bounds each write (default 10s): a client that cannot
	// take one message in that time is gone, and is dropped.
	WriteTimeout time.Duration
	// ReadLimit is the largest message accepted (default 64 KiB).
	ReadLimit int64
	// MaxOperations bounds the operations running on one connection
	// (default 100); a subscribe beyond it gets an error message.
	MaxOperations int
	// Revoked reports whether an operation ended because the connection's
	// credentials no longer hold (member disabled, session revoked): the
	// socket then closes with 4403, instead of the operation completing.
	Revoked func(ctx context.Context) bool
	// Conns, when set, counts open connections, for a server to wait for on
	// shutdown (http.Server.Shutdown does not wait for hijacked ones).
	Conns *sync.WaitGroup
	// Pusher, when set, gives each operation a chance to deliver its own
	// results (see live.Pump): it returns the context to run the operation
	// in, and a pusher the operation may claim. A claimed operation needs
	// no goroutine of the transport while it has nothing to send.
	Pusher func(ctx context.Context) (context.Context, Pusher)
	// Shutdown, when set, ends when the server shuts down: every connection
	// then closes with 1001. A connection outlives its HTTP handler (see
	// Do), so the request's context cannot tell it.
	Shutdown context.Context
}

var _ graphql.Transport = Transport{}

// Pusher is an operation's own delivery (see Transport.Pusher).
type Pusher interface {
	// Claimed reports whether the operation took its delivery over.
	Claimed() bool
	// Serve hands it the function that pulls and sends one response, and
	// returns false once there are none left.
	Serve(pull func() bool)
}

// Supports takes websocket upgrade requests.
func (t Transport) Supports(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// Do serves one websocket connection until it closes.
//
// Once the connection is accepted, it is served by a goroutine of its own
// and the HTTP handler returns: net/http then lets go of the request and of
// its goroutine, whose deep stack an idle connection would otherwise keep.
func (t Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	opts := t.AcceptOptions
	opts.Subprotocols = []string{Subprotocol}
	ws, err := websocket.Accept(smallBuffers{w}, r, &opts)
	if err != nil {
		return // Accept has answered the request
	}
	if ws.Subprotocol() != Subprotocol {
		ws.Close(CloseSubprotocolNotAcceptable, "Subprotocol not acceptable")
		return
	}
	ws.SetReadLimit(t.readLimit())
	c := newConn(t, ws, r, exec)
	if t.Conns != nil {
		t.Conns.Add(1)
	}
	go func() {
		if t.Conns != nil {
			defer t.Conns.Done()
		}
		c.serve()
	}()
}

func (t Transport) initTimeout() time.Duration {
	return orDefault(t.InitTimeout, config.DefaultInitTimeout)
}
func (t Transport) keepAlive() time.Duration { return orDefault(t.KeepAlive, config.DefaultKeepAlive) }
func (t Transport) writeTimeout() time.Duration {
	return orDefault(t.WriteTimeout, config.DefaultWriteTimeout)
}

func (t Transport) readLimit() int64 {
	if t.ReadLimit > 0 {
		return t.ReadLimit
	}
	return 64 << 10
}

func (t Transport) maxOperations() int {
	if t.MaxOperations > 0 {
		return t.MaxOperations
	}
	return 100
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
