package gqlws_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/testserver"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/realtime/gqlws"
)

// serve runs gqlgen's test schema (a subscription `name` that emits when
// told to) behind the transport. Init accepts the token "good" only.
func serve(t *testing.T, tune func(*gqlws.Transport)) (*testserver.TestServer, string) {
	t.Helper()
	apitest.CheckGoroutineLeaks(t)
	ts := testserver.New()
	tr := gqlws.Transport{
		Init: func(ctx context.Context, p map[string]any) (context.Context, error) {
			if p["authToken"] != "good" {
				return ctx, errors.New("invalid or expired token")
			}
			return ctx, nil
		},
	}
	if tune != nil {
		tune(&tr)
	}
	ts.AddTransport(tr)
	hs := httptest.NewServer(ts)
	t.Cleanup(hs.Close)
	return ts, hs.URL
}

func dial(t *testing.T, url string) *apitest.WS {
	t.Helper()
	return apitest.DialWS(t, url, gqlws.Subprotocol)
}

func TestARefusedConnectionInitClosesWith4403(t *testing.T) {
	_, url := serve(t, nil)
	ws := dial(t, url)
	ws.SendRaw(`{"type":"connection_init","payload":{"authToken":"bad"}}`)
	if reason := ws.ExpectClose(4403); !strings.HasPrefix(reason, "Forbidden") {
		t.Fatalf("reason = %q", reason)
	}
}

func TestNoConnectionInitInTimeClosesWith4408(t *testing.T) {
	_, url := serve(t, func(tr *gqlws.Transport) { tr.InitTimeout = 50 * time.Millisecond })
	ws := dial(t, url)
	if reason := ws.ExpectClose(4408); reason != "Connection initialisation timeout" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestInvalidMessagesCloseWith4400(t *testing.T) {
	_, url := serve(t, nil)
	for name, msg := range map[string]string{
		"not json":                 `hello`,
		"not an object":            `[1,2]`,
		"no type":                  `{"id":"1"}`,
		"unknown type":             `{"type":"start","id":"1","payload":{"query":"{ name }"}}`,
		"init payload not object":  `{"type":"connection_init","payload":"token"}`,
		"server-only type":         `{"type":"next","id":"1","payload":{}}`,
		"subscribe without id":     `{"type":"subscribe","payload":{"query":"{ name }"}}`,
		"subscribe with number id": `{"type":"subscribe","id":1,"payload":{"query":"{ name }"}}`,
		"subscribe without query":  `{"type":"subscribe","id":"1","payload":{}}`,
		"variables not object":     `{"type":"subscribe","id":"1","payload":{"query":"{ name }","variables":[1]}}`,
		"complete without id":      `{"type":"complete"}`,
	} {
		t.Run(name, func(t *testing.T) {
			ws := dial(t, url)
			if !strings.HasPrefix(msg, `{"type":"connection_init"`) {
				ws.Init("good")
			}
			ws.SendRaw(msg)
			if reason := ws.ExpectClose(4400); !strings.HasPrefix(reason, "Invalid message received") {
				t.Fatalf("reason = %q", reason)
			}
		})
	}
}

func TestSubscribeBeforeConnectionAckClosesWith4401(t *testing.T) {
	_, url := serve(t, nil)
	ws := dial(t, url)
	ws.Subscribe("1", "subscription { name }", nil)
	if reason := ws.ExpectClose(4401); reason != "Unauthorized" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestADuplicateSubscriptionIDClosesWith4409(t *testing.T) {
	ts, url := serve(t, nil)
	ws := dial(t, url)
	ws.Init("good")
	ws.Subscribe("a", "subscription { name }", nil)
	ts.SendNextSubscriptionMessage()
	ws.NextData("a", nil) // the first subscription is running
	ws.Subscribe("a", "subscription { name }", nil)
	if reason := ws.ExpectClose(4409); reason != "Subscriber for a already exists" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestASecondConnectionInitClosesWith4429(t *testing.T) {
	_, url := serve(t, nil)
	ws := dial(t, url)
	ws.Init("good")
	ws.SendRaw(`{"type":"connection_init"}`)
	if reason := ws.ExpectClose(4429); reason != "Too many initialisation requests" {
		t.Fatalf("reason = %q", reason)
	}
}

func TestTheLegacySubprotocolIsRefusedWith4406(t *testing.T) {
	_, url := serve(t, nil)
	ws := apitest.DialWS(t, url, "graphql-ws")
	ws.ExpectClose(4406)
}

func TestASubscriptionStreamsCompletesAndItsIDCanBeReused(t *testing.T) {
	ts, url := serve(t, nil)
	ws := dial(t, url)
	ws.Init("good")

	ws.Subscribe("s1", "subscription { name }", nil)
	for range 3 {
		ts.SendNextSubscriptionMessage()
		var out struct{ Name string }
		ws.NextData("s1", &out)
		if out.Name != "test" {
			t.Fatalf("data = %+v", out)
		}
	}
	// The server completes it.
	ts.SendCompleteSubscriptionMessage()
	if m := ws.Next(); m.Type != "complete" || m.ID != "s1" {
		t.Fatalf("want complete for s1, got %+v", m)
	}

	// The client completes one, and may reuse its id at once. (The test
	// schema's events go to whichever subscription takes them first, so
	// the reuse is a query, which needs none.)
	ws.Subscribe("s2", "subscription { name }", nil)
	ws.Complete("s2")
	ws.Subscribe("s2", "{ name }", nil)
	ws.NextData("s2", nil)
	if m := ws.Next(); m.Type != "complete" || m.ID != "s2" {
		t.Fatalf("want complete for s2, got %+v", m)
	}
	ws.Close()
}

func TestAnInvalidOperationGetsAnErrorMessageAndNoComplete(t *testing.T) {
	_, url := serve(t, nil)
	ws := dial(t, url)
	ws.Init("good")
	ws.Subscribe("bad", "subscription { nope }", nil)
	m := ws.Next()
	if m.Type != "error" || m.ID != "bad" || !strings.Contains(string(m.Payload), "nope") {
		t.Fatalf("want error for bad, got %+v %s", m, m.Payload)
	}
	// The connection stays usable, and nothing more came for "bad".
	ws.SendRaw(`{"type":"ping"}`)
	if m := ws.Next(); m.Type != "pong" {
		t.Fatalf("want pong, got %+v", m)
	}
	ws.Close()
}

// genqlient answers no graphql-transport-ws ping, and ends its
// subscriptions on receiving one: the server sends none, and keeps a
// connection whose socket answers websocket pings.
func TestAClientThatSendsNothingStaysWhileItsSocketAnswersPings(t *testing.T) {
	ts, url := serve(t, func(tr *gqlws.Transport) { tr.KeepAlive = 20 * time.Millisecond })
	ws := dial(t, url)
	ws.Init("good")
	ws.Subscribe("1", `subscription { name }`, nil)
	// A read in progress answers the server's ping frames (the websocket
	// library does); no message comes in ten intervals.
	type read struct {
		m   apitest.WSMessage
		err error
	}
	got := make(chan read, 1)
	go func() {
		m, err := ws.TryRead()
		got <- read{m, err}
	}()
	select {
	case r := <-got:
		t.Fatalf("a silent client got %+v (%v)", r.m, r.err)
	case <-time.After(200 * time.Millisecond):
	}
	// The subscription still delivers.
	ts.SendNextSubscriptionMessage()
	if r := <-got; r.err != nil || r.m.Type != "next" || r.m.ID != "1" {
		t.Fatalf("want next for 1, got %+v (%v)", r.m, r.err)
	}
	ws.Close()
}

// A peer that is gone (it answers no websocket ping) is dropped.
func TestASocketThatAnswersNoPingIsDropped(t *testing.T) {
	_, url := serve(t, func(tr *gqlws.Transport) {
		tr.KeepAlive, tr.WriteTimeout = 20*time.Millisecond, 20*time.Millisecond
	})
	conn, r := rawUpgrade(t, url, `{"type":"connection_init","payload":{"authToken":"good"}}`)
	// Read the ack, then nothing more is answered: the server's ping goes
	// unanswered, and it closes the connection.
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatalf("the connection was not closed: %v", err)
	}
}

// rawUpgrade opens a websocket by hand, sending frame (masked, as a client
// must) with the upgrade request, and returns the connection and a reader
// past the 101 response, whose header it checks is spelled as RFC 6455
// spells it.
func rawUpgrade(t *testing.T, url, frame string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	mask := []byte{1, 2, 3, 4}
	b := []byte{0x81, 0x80 | byte(len(frame))}
	b = append(b, mask...)
	for i, c := range []byte(frame) {
		b = append(b, c^mask[i%4])
	}
	req := "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
	if _, err := conn.Write(append([]byte(req), b...)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	var head []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("upgrade response: %v", err)
		}
		if line == "\r\n" {
			break
		}
		head = append(head, strings.TrimRight(line, "\r\n"))
	}
	if len(head) == 0 || !strings.Contains(head[0], " 101 ") {
		t.Fatalf("upgrade answered %q", head)
	}
	found := false
	for _, h := range head {
		found = found || h == "Sec-WebSocket-Protocol: graphql-transport-ws"
	}
	if !found {
		t.Fatalf("no header spelled Sec-WebSocket-Protocol in %q", head)
	}
	return conn, r
}

// A client may send connection_init in the same packet as its upgrade
// request; those bytes must not be lost in the handover from net/http.
func TestAConnectionInitSentWithTheUpgradeRequestIsRead(t *testing.T) {
	_, url := serve(t, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	payload := []byte(`{"type":"connection_init","payload":{"authToken":"good"}}`)
	mask := []byte{1, 2, 3, 4}
	frame := []byte{0x81, 0x80 | byte(len(payload))}
	frame = append(frame, mask...)
	for i, b := range payload {
		frame = append(frame, b^mask[i%4])
	}
	req := "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
	if _, err := conn.Write(append([]byte(req), frame...)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, nil)
	if err != nil || res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", res, err)
	}
	head := make([]byte, 2)
	if _, err := io.ReadFull(r, head); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, head[1]&0x7f)
	if _, err := io.ReadFull(r, body); err != nil {
		t.Fatal(err)
	}
	if head[0] != 0x81 || string(body) != `{"type":"connection_ack"}` {
		t.Fatalf("got frame %x %s, want connection_ack", head, body)
	}
}
