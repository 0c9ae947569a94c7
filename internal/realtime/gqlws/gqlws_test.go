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

func TestTheServerPingsAndDropsAClientThatNeverAnswers(t *testing.T) {
	_, url := serve(t, func(tr *gqlws.Transport) { tr.KeepAlive = 30 * time.Millisecond })
	ws := dial(t, url)
	ws.Init("good")
	if m := ws.Read(); m.Type != "ping" {
		t.Fatalf("want ping, got %+v", m)
	}
	// Answered pings keep the connection open.
	for range 3 {
		ws.Send(apitest.WSMessage{Type: "pong"})
		if m := ws.Read(); m.Type != "ping" {
			t.Fatalf("want ping, got %+v", m)
		}
	}
	// Silence drops it (without a close frame: the peer is presumed gone).
	for {
		m, err := ws.TryRead()
		if err != nil {
			break
		}
		if m.Type != "ping" {
			t.Fatalf("want ping, got %+v", m)
		}
	}
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
