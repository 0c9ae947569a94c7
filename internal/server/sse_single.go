package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/internal/metrics"
)

// The single connection mode of graphql-sse (see sseTransport).
const (
	streamTokenHeader = "X-GraphQL-Event-Stream-Token"
	// reservationTTL is how long a reservation waits for its stream.
	reservationTTL = time.Minute
	// maxReservations bounds the reservations of the process, and
	// maxStreamOperations the operations running on one stream.
	maxReservations     = 10000
	maxStreamOperations = 100
)

// streamToken is the reservation token a request carries, if any.
func streamToken(r *http.Request) string {
	if t := r.Header.Get(streamTokenHeader); t != "" {
		return t
	}
	return r.URL.Query().Get("token")
}

// reservations are the single connection mode's streams, by token.
type reservations struct {
	mu sync.Mutex
	m  map[string]*reservation
}

type reservation struct {
	// auth is the SHA-256 of the reserving request's Authorization header:
	// every later request of the reservation must carry the same.
	auth    [32]byte
	created time.Time
	// connected says a stream claimed the reservation; stream is that
	// stream once open.
	connected bool
	stream    *eventStream
	ops       map[string]context.CancelFunc
	running   sync.WaitGroup // the operations writing to stream
}

func newReservations() *reservations { return &reservations{m: map[string]*reservation{}} }

func authOf(r *http.Request) [32]byte { return sha256.Sum256([]byte(r.Header.Get("Authorization"))) }

// reserve answers a PUT with the token of a new reservation (201).
func (rs *reservations) reserve(w http.ResponseWriter, r *http.Request) {
	b := make([]byte, 24)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	now := time.Now()
	rs.mu.Lock()
	for t, res := range rs.m {
		if !res.connected && now.Sub(res.created) > reservationTTL {
			delete(rs.m, t)
		}
	}
	full := len(rs.m) >= maxReservations
	if !full {
		rs.m[token] = &reservation{auth: authOf(r), created: now, ops: map[string]context.CancelFunc{}}
	}
	rs.mu.Unlock()
	if full {
		writeRequestError(w, http.StatusServiceUnavailable, mediaJSON, "too many event streams; try again later")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	w.Write([]byte(token))
}

// find returns the reservation of token if r may use it; otherwise it
// answers 404 (an unknown token and someone else's look alike).
func (rs *reservations) find(w http.ResponseWriter, r *http.Request, token string) *reservation {
	rs.mu.Lock()
	res := rs.m[token]
	rs.mu.Unlock()
	if res != nil {
		if a := authOf(r); subtle.ConstantTimeCompare(a[:], res.auth[:]) == 1 {
			return res
		}
	}
	writeRequestError(w, http.StatusNotFound, mediaJSON, "no event stream reserved with this token: reserve one with PUT")
	return nil
}

// connect serves the stream of a reservation until the client leaves (or
// the server shuts down); its operations stop with it.
func (rs *reservations) connect(w http.ResponseWriter, r *http.Request, token string, t *sseTransport) {
	res := rs.find(w, r, token)
	if res == nil {
		return
	}
	rs.mu.Lock()
	taken := res.connected
	res.connected = true
	rs.mu.Unlock()
	if taken {
		writeRequestError(w, http.StatusConflict, mediaJSON, "this reservation's event stream is already open")
		return
	}
	// The stream is the reservation's before the client learns it is open:
	// its first operation may come right after.
	st := t.open(w, r)
	rs.mu.Lock()
	res.stream = st
	rs.mu.Unlock()
	st.begin(t.keepAlive)
	<-st.ctx.Done()
	rs.mu.Lock()
	delete(rs.m, token)
	for _, cancel := range res.ops {
		cancel()
	}
	rs.mu.Unlock()
	res.running.Wait()
	st.close()
}

// execute runs one operation of a reservation's stream: 202 at once, its
// results on the stream. A request that is not a valid operation is
// answered here, as GraphQL over HTTP answers it.
func (rs *reservations) execute(w http.ResponseWriter, r *http.Request, token string, exec graphql.GraphExecutor) {
	res := rs.find(w, r, token)
	if res == nil {
		return
	}
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		media = mediaJSON
	}
	params, status, msg := readParams(r)
	if msg != "" {
		writeRequestError(w, status, media, msg)
		return
	}
	id, _ := params.Extensions["operationId"].(string)
	if id == "" {
		writeRequestError(w, http.StatusBadRequest, media, "extensions.operationId is required on an event stream")
		return
	}
	// The operation outlives this request: it keeps the request's values
	// (viewer, request id) and ends with the stream or a DELETE.
	rs.mu.Lock()
	st := res.stream
	rs.mu.Unlock()
	if st == nil {
		writeRequestError(w, http.StatusConflict, media, "open the reservation's event stream before sending operations")
		return
	}
	ctx, cancel := context.WithCancel(metrics.WithTransport(context.WithoutCancel(r.Context()), metrics.SSE))
	stop := context.AfterFunc(st.ctx, cancel)
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		stop()
		cancel()
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		writeResponse(w, requestErrorStatus(media), media, &graphql.Response{Errors: resp.Errors, Extensions: resp.Extensions})
		return
	}
	rs.mu.Lock()
	_, dup := res.ops[id]
	full := len(res.ops) >= maxStreamOperations
	open := rs.m[token] == res
	if !dup && !full && open {
		res.ops[id] = cancel
		res.running.Add(1)
	}
	rs.mu.Unlock()
	switch {
	case !open:
		writeRequestError(w, http.StatusNotFound, media, "the event stream has closed")
	case dup:
		writeRequestError(w, http.StatusConflict, media, "an operation with this operationId is running")
	case full:
		writeRequestError(w, http.StatusTooManyRequests, media, "too many operations on one event stream")
	}
	if dup || full || !open {
		stop()
		cancel()
		return
	}
	w.WriteHeader(http.StatusAccepted)
	go func() {
		defer res.running.Done()
		defer cancel()
		defer stop()
		responses, ctx := exec.DispatchOperation(graphql.WithOperationContext(ctx, oc), oc)
		for {
			resp := responses(ctx)
			if resp == nil {
				break
			}
			if !st.send("next", map[string]any{"id": id, "payload": resp}) {
				return
			}
		}
		rs.mu.Lock()
		delete(res.ops, id)
		rs.mu.Unlock()
		st.send("complete", map[string]string{"id": id})
	}()
}

// stop ends one operation of a reservation (DELETE ?operationId=).
func (rs *reservations) stop(w http.ResponseWriter, r *http.Request, token string) {
	res := rs.find(w, r, token)
	if res == nil {
		return
	}
	id := r.URL.Query().Get("operationId")
	rs.mu.Lock()
	cancel, ok := res.ops[id]
	delete(res.ops, id)
	rs.mu.Unlock()
	if !ok {
		writeRequestError(w, http.StatusNotFound, mediaJSON, "no running operation with this operationId")
		return
	}
	cancel()
	w.WriteHeader(http.StatusOK)
}
