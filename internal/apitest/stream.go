package apitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// StreamConn is a graphql-transport-ws client as an application uses one
// (unlike WS, which speaks the protocol step by step): one connection,
// authenticated by authToken in connection_init, carrying any number of
// subscriptions, each read as a Stream.
type StreamConn struct {
	env    *Env
	conn   *websocket.Conn
	cancel context.CancelFunc

	mu     sync.Mutex
	subs   map[string]*Stream
	nextID int
	closed chan struct{}
	// CloseErr is why the server closed the connection, once it has.
	CloseErr error
}

// streamFrame is one frame of graphql-transport-ws.
type streamFrame struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// StreamMessage is one message of a subscription: a result ("next"), its
// end ("complete"), or its failure ("error").
type StreamMessage struct {
	Type    string
	Payload json.RawMessage
}

// Stream is one subscription's messages, over websocket or SSE.
type Stream struct {
	env  *Env
	msgs chan StreamMessage
	stop func()
}

// Wait bounds how long a test waits for a message that should come; it is
// a guard against hanging, not a timing assertion.
const Wait = wsWait

// Connect opens a websocket to the server and initializes it with token; it
// fails the test unless the server acknowledges.
func (e *Env) Connect(token string) *StreamConn {
	e.T.Helper()
	ws, err := e.TryConnect(token)
	if err != nil {
		e.T.Fatalf("websocket: %v", err)
	}
	return ws
}

// TryConnect is Connect returning the error instead.
func (e *Env) TryConnect(token string) (*StreamConn, error) {
	ctx, cancel := context.WithCancel(context.Background())
	url := "ws" + strings.TrimPrefix(e.URL, "http")
	dctx, dcancel := context.WithTimeout(ctx, Wait)
	defer dcancel()
	conn, _, err := websocket.Dial(dctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		cancel()
		return nil, err
	}
	conn.SetReadLimit(16 << 20)
	ws := &StreamConn{env: e, conn: conn, cancel: cancel, subs: map[string]*Stream{}, closed: make(chan struct{})}
	e.T.Cleanup(ws.Close)
	init, _ := json.Marshal(map[string]any{"authToken": token})
	if err := ws.write(streamFrame{Type: "connection_init", Payload: init}); err != nil {
		return nil, err
	}
	var ack streamFrame
	if err := readFrame(dctx, conn, &ack); err != nil {
		ws.Close()
		return nil, fmt.Errorf("connection_init: %w", err)
	}
	if ack.Type != "connection_ack" {
		ws.Close()
		return nil, fmt.Errorf("connection_init answered %q", ack.Type)
	}
	go ws.read(ctx)
	return ws, nil
}

func readFrame(ctx context.Context, conn *websocket.Conn, v any) error {
	_, b, err := conn.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (w *StreamConn) write(m streamFrame) error {
	b, _ := json.Marshal(m)
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	return w.conn.Write(ctx, websocket.MessageText, b)
}

// read dispatches the server's frames to their subscriptions and answers pings.
func (w *StreamConn) read(ctx context.Context) {
	defer func() {
		w.mu.Lock()
		for _, s := range w.subs {
			close(s.msgs)
		}
		w.subs = map[string]*Stream{}
		w.mu.Unlock()
		close(w.closed)
	}()
	for {
		var m streamFrame
		if err := readFrame(ctx, w.conn, &m); err != nil {
			w.CloseErr = err
			return
		}
		switch m.Type {
		case "ping":
			w.write(streamFrame{Type: "pong"})
		case "next", "error", "complete":
			w.mu.Lock()
			s := w.subs[m.ID]
			if m.Type != "next" {
				delete(w.subs, m.ID)
			}
			w.mu.Unlock()
			if s == nil {
				continue
			}
			s.msgs <- StreamMessage{Type: m.Type, Payload: m.Payload}
			if m.Type != "next" {
				close(s.msgs)
			}
		}
	}
}

// Subscribe starts a subscription on the connection.
func (w *StreamConn) Subscribe(query string, vars map[string]any) *Stream {
	w.env.T.Helper()
	w.mu.Lock()
	w.nextID++
	id := fmt.Sprint(w.nextID)
	s := &Stream{env: w.env, msgs: make(chan StreamMessage, 4096)}
	s.stop = func() {
		w.write(streamFrame{ID: id, Type: "complete"})
	}
	w.subs[id] = s
	w.mu.Unlock()
	payload, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err := w.write(streamFrame{ID: id, Type: "subscribe", Payload: payload}); err != nil {
		w.env.T.Fatalf("subscribe: %v", err)
	}
	return s
}

// Close closes the connection as a client going away.
func (w *StreamConn) Close() {
	w.conn.Close(websocket.StatusNormalClosure, "")
	w.cancel()
}

// Closed is closed once the server has closed the connection.
func (w *StreamConn) Closed() <-chan struct{} { return w.closed }

// Next waits for the subscription's next message; ok is false once the
// stream has ended (after its complete or error message, or a closed
// connection). It fails the test when nothing comes within Wait.
func (s *Stream) Next() (StreamMessage, bool) {
	s.env.T.Helper()
	select {
	case m, ok := <-s.msgs:
		return m, ok
	case <-time.After(Wait):
		s.env.T.Fatalf("no subscription message within %v", Wait)
		return StreamMessage{}, false
	}
}

// NextData waits for the next result and decodes its data into out; it
// fails the test on anything else.
func (s *Stream) NextData(out any) {
	s.env.T.Helper()
	m, ok := s.Next()
	if !ok || m.Type != "next" {
		s.env.T.Fatalf("want a result, got %q %s (open: %v)", m.Type, m.Payload, ok)
	}
	var r struct {
		Data   json.RawMessage
		Errors []Error
	}
	if err := json.Unmarshal(m.Payload, &r); err != nil {
		s.env.T.Fatalf("result %s: %v", m.Payload, err)
	}
	if len(r.Errors) > 0 {
		s.env.T.Fatalf("result has errors: %v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		s.env.T.Fatalf("result data %s: %v", r.Data, err)
	}
}

// Pending is whether a message is waiting, without waiting for one.
func (s *Stream) Pending() int { return len(s.msgs) }

// Stop ends the subscription from the client side.
func (s *Stream) Stop() { s.stop() }

// SubscribeSSE starts a subscription over server-sent events (gqlgen's SSE
// transport: a POST with Accept: text/event-stream), authenticated by the
// client's bearer token.
func (c *Client) SubscribeSSE(query string, vars map[string]any) *Stream {
	c.env.T.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.env.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		c.env.T.Fatalf("sse: %v", err)
	}
	s := &Stream{env: c.env, msgs: make(chan StreamMessage, 4096), stop: cancel}
	c.env.T.Cleanup(cancel)
	go func() {
		defer res.Body.Close()
		defer close(s.msgs)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
				if event == "complete" {
					s.msgs <- StreamMessage{Type: "complete"}
					return
				}
			case strings.HasPrefix(line, "data: "):
				s.msgs <- StreamMessage{Type: event, Payload: json.RawMessage(strings.TrimPrefix(line, "data: "))}
			}
		}
	}()
	return s
}
