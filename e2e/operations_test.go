package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

// What an operator relies on: health checks, GraphiQL, logs with request
// ids, masked internal errors, graceful shutdown.

func TestHealthAndReadiness(t *testing.T) {
	env := apitest.Start(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := env.HTTP(http.MethodGet, path, nil); r.Status != http.StatusOK {
			t.Fatalf("%s: HTTP %d", path, r.Status)
		}
	}
	env.DB.Close()
	if r := env.HTTP(http.MethodGet, "/readyz", nil); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the database closed: HTTP %d, want 503", r.Status)
	}
	if r := env.HTTP(http.MethodGet, "/healthz", nil); r.Status != http.StatusOK {
		t.Fatalf("/healthz with the database closed: HTTP %d, want 200 (the process is alive)", r.Status)
	}
}

func TestGraphiQLAtTheRootUnlessDisabled(t *testing.T) {
	on := apitest.Start(t, func(c *config.Config) { c.GraphiQL = true })
	r := on.HTTP(http.MethodGet, "/", nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(strings.ToLower(string(r.Body)), "graphiql") {
		t.Fatalf("GraphiQL: HTTP %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	off := apitest.Start(t, func(c *config.Config) { c.GraphiQL = false })
	if r := off.HTTP(http.MethodGet, "/", nil); r.Status != http.StatusNotFound {
		t.Fatalf("GraphiQL disabled: HTTP %d, want 404", r.Status)
	}
}

func TestInternalErrorsAreMaskedAndLoggedWithTheRequestID(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	env.DB.Close() // every query now fails inside the database driver

	const id = "req-internal-1"
	r := env.PostJSON(map[string]any{"query": "{ viewer { isSuperAdmin } }"},
		"Authorization", "Bearer "+admin.Token, "X-Request-Id", id)
	if r.Status != http.StatusOK || r.Header.Get("X-Request-Id") != id {
		t.Fatalf("HTTP %d, X-Request-Id %q", r.Status, r.Header.Get("X-Request-Id"))
	}
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	json.Unmarshal(r.Body, &body)
	if len(body.Errors) != 1 || body.Errors[0].Message != "internal error" ||
		body.Errors[0].Extensions["code"] != "INTERNAL" || body.Errors[0].Extensions["requestId"] != id {
		t.Fatalf("response %s", r.Body)
	}
	for _, leak := range []string{"sql", "closed", "database", "authenticate"} {
		if strings.Contains(strings.ToLower(string(r.Body)), leak) {
			t.Errorf("response leaks %q: %s", leak, r.Body)
		}
	}
	if lines := env.Logs.Lines(`"msg":"internal error"`, `"requestId":"`+id+`"`, "database is closed"); len(lines) != 1 {
		t.Errorf("want one internal-error log line with the request id and the cause, got %q", lines)
	}
	if lines := env.Logs.Lines(`"msg":"request"`, `"requestId":"`+id+`"`, `"status":200`); len(lines) != 1 {
		t.Errorf("want one access log line with the request id, got %q", lines)
	}
}

func TestRequestIDsAreMadeWhenMissingOrUnsafe(t *testing.T) {
	env := apitest.Start(t)
	q := map[string]any{"query": "{ __typename }"}
	a := env.PostJSON(q).Header.Get("X-Request-Id")
	b := env.PostJSON(q).Header.Get("X-Request-Id")
	if a == "" || a == b {
		t.Fatalf("request ids %q and %q", a, b)
	}
	forged := "x\" level=ERROR msg=forged"
	if got := env.PostJSON(q, "X-Request-Id", forged).Header.Get("X-Request-Id"); got == forged || got == "" {
		t.Fatalf("unsafe request id kept: %q", got)
	}
}

func TestShutdownLetsRequestsInFlightFinishAndClosesStreams(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	addr := strings.TrimPrefix(env.BaseURL(), "http://")

	// A websocket stream, signed in.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws://"+addr+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	init, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": map[string]any{"authToken": admin.Token}})
	if err := ws.Write(ctx, websocket.MessageText, init); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := ws.Read(ctx); err != nil || !strings.Contains(string(msg), "connection_ack") {
		t.Fatalf("connection_init: %s, %v", msg, err)
	}

	// A request in flight: its handler is running, waiting for the body
	// (the server sends 100 Continue when the handler starts reading it).
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"query":"{ viewer { member { userid } } }"}`
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Authorization: Bearer %s\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", addr, admin.Token, len(body))
	br := bufio.NewReader(conn)
	if res, err := http.ReadResponse(br, nil); err != nil || res.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue, got %v %v", res, err)
	}

	stopped := make(chan error, 1)
	go func() { stopped <- env.Stop() }()

	// The listener closes: new connections are refused.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		select {
		case <-ctx.Done():
			t.Fatal("the server still accepts connections")
		case <-time.After(10 * time.Millisecond):
		}
	}
	// The stream is closed at once.
	if _, _, err := ws.Read(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("websocket after shutdown: err %v, ctx %v", err, ctx.Err())
	}
	// The request in flight holds the shutdown until it is answered...
	select {
	case err := <-stopped:
		t.Fatalf("shutdown finished before the request in flight: %v", err)
	default:
	}
	io.WriteString(conn, body)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(got), `"userid":"admin"`) {
		t.Fatalf("request in flight: HTTP %d %s", res.StatusCode, got)
	}
	// ...and then the server stops cleanly.
	if err := <-stopped; err != nil {
		t.Fatalf("Serve returned %v", err)
	}
}
