package apitest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// WS is a raw graphql-transport-ws client: it sends and reads protocol
// messages one at a time, so tests can check every step, close codes
// included, as a real client would see them.
type WS struct {
	t testing.TB
	c *websocket.Conn
}

// WSMessage is one protocol message.
type WSMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsWait bounds every read, so a broken server fails a test instead of hanging it.
const wsWait = 10 * time.Second

// WS opens a websocket to the server with the graphql-transport-ws subprotocol.
func (e *Env) WS() *WS {
	e.T.Helper()
	return DialWS(e.T, e.URL, "graphql-transport-ws")
}

// DialWS opens a websocket to the GraphQL endpoint at httpURL, offering subprotocols.
func DialWS(t testing.TB, httpURL string, subprotocols ...string) *WS {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(httpURL, "http"), &websocket.DialOptions{
		Subprotocols: subprotocols,
		HTTPHeader:   http.Header{},
	})
	if err != nil {
		t.Fatalf("dial websocket: %v", err)
	}
	c.SetReadLimit(16 << 20)
	w := &WS{t: t, c: c}
	t.Cleanup(func() { c.CloseNow() })
	return w
}

// Subprotocol is the subprotocol the server chose.
func (w *WS) Subprotocol() string { return w.c.Subprotocol() }

// SendRaw sends one text frame as is.
func (w *WS) SendRaw(s string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		w.t.Fatalf("websocket write: %v", err)
	}
}

// Send sends one message.
func (w *WS) Send(m any) {
	w.t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		w.t.Fatal(err)
	}
	w.SendRaw(string(b))
}

// Read returns the next message; it fails the test if the socket closes.
func (w *WS) Read() WSMessage {
	w.t.Helper()
	m, err := w.read()
	if err != nil {
		w.t.Fatalf("websocket read: %v", err)
	}
	return m
}

// TryRead returns the next message, or the error that ended the socket.
func (w *WS) TryRead() (WSMessage, error) { return w.read() }

func (w *WS) read() (WSMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	_, b, err := w.c.Read(ctx)
	if err != nil {
		return WSMessage{}, err
	}
	var m WSMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return WSMessage{}, errors.New("server sent a message that is not JSON: " + string(b))
	}
	return m, nil
}

// Init sends connection_init with the token and expects connection_ack.
func (w *WS) Init(token string) {
	w.t.Helper()
	w.Send(WSMessage{Type: "connection_init", Payload: mustJSON(map[string]any{"authToken": token})})
	if m := w.Read(); m.Type != "connection_ack" {
		w.t.Fatalf("want connection_ack, got %+v", m)
	}
}

// Subscribe starts operation id.
func (w *WS) Subscribe(id, query string, vars map[string]any) {
	w.t.Helper()
	w.Send(WSMessage{ID: id, Type: "subscribe", Payload: mustJSON(map[string]any{"query": query, "variables": vars})})
}

// Complete stops operation id.
func (w *WS) Complete(id string) {
	w.t.Helper()
	w.Send(WSMessage{ID: id, Type: "complete"})
}

// Next reads until a message that is not a ping (pings are answered) and
// returns it; the caller checks its type and id.
func (w *WS) Next() WSMessage {
	w.t.Helper()
	for {
		m := w.Read()
		if m.Type == "ping" {
			w.Send(WSMessage{Type: "pong"})
			continue
		}
		return m
	}
}

// NextData reads the next message, which must be "next" for id without
// errors, and decodes its data into out.
func (w *WS) NextData(id string, out any) {
	w.t.Helper()
	m := w.Next()
	if m.Type != "next" || m.ID != id {
		w.t.Fatalf("want next for %s, got %s %s %s", id, m.Type, m.ID, m.Payload)
	}
	var r Response
	if err := json.Unmarshal(m.Payload, &r); err != nil {
		w.t.Fatalf("next payload: %v", err)
	}
	if len(r.Errors) > 0 {
		w.t.Fatalf("next for %s has errors: %s", id, m.Payload)
	}
	if out != nil {
		r.Decode(w.t, out)
	}
}

// ExpectClose reads until the server closes the socket, answering pings,
// and fails the test unless it closes with code. It returns the reason.
func (w *WS) ExpectClose(code int) string {
	w.t.Helper()
	for {
		m, err := w.read()
		if err == nil {
			if m.Type == "ping" {
				w.Send(WSMessage{Type: "pong"})
			}
			continue
		}
		got := websocket.CloseStatus(err)
		if int(got) != code {
			w.t.Fatalf("want close %d, got %d (%v)", code, got, err)
		}
		var ce websocket.CloseError
		errors.As(err, &ce)
		return ce.Reason
	}
}

// Close closes the socket normally.
func (w *WS) Close() { w.c.Close(websocket.StatusNormalClosure, "") }

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
