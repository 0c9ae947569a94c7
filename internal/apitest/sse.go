package apitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// SSE is a subscription over server-sent events, as gqlgen serves them: a
// POST with Accept: text/event-stream, answered by "next" events carrying a
// GraphQL response each, then one "complete".
type SSE struct {
	t      testing.TB
	events chan SSEEvent
	cancel context.CancelFunc
	done   chan struct{}
}

// SSEEvent is one event of the stream.
type SSEEvent struct {
	Event string
	Data  json.RawMessage
}

// SSE starts a subscription over server-sent events with the client's token.
func (c *Client) SSE(query string, vars map[string]any) *SSE {
	c.env.T.Helper()
	t := c.env.T
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.env.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("sse request: %v", err)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		res.Body.Close()
		cancel()
		t.Fatalf("sse answered HTTP %d with Content-Type %q", res.StatusCode, ct)
	}
	s := &SSE{t: t, events: make(chan SSEEvent, 1024), cancel: cancel, done: make(chan struct{})}
	go s.read(ctx, res)
	t.Cleanup(s.Close)
	return s
}

func (s *SSE) read(ctx context.Context, res *http.Response) {
	defer close(s.done)
	defer close(s.events)
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var ev SSEEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Event != "" || ev.Data != nil {
				select {
				case s.events <- ev:
				case <-ctx.Done():
					return
				}
			}
			ev = SSEEvent{}
		case strings.HasPrefix(line, ":"):
			// a comment: the stream's opening and its keepalive pings
		case strings.HasPrefix(line, "event:"):
			ev.Event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			ev.Data = append(ev.Data, strings.TrimSpace(strings.TrimPrefix(line, "data:"))...)
		}
	}
}

// Next returns the next event; Event is "" once the stream has ended.
func (s *SSE) Next() SSEEvent {
	s.t.Helper()
	select {
	case ev := <-s.events:
		return ev
	case <-time.After(wsWait):
		s.t.Fatal("no server-sent event within 10s")
		return SSEEvent{}
	}
}

// NextData reads the next event, which must be "next" without errors, and
// decodes its data into out.
func (s *SSE) NextData(out any) {
	s.t.Helper()
	ev := s.Next()
	if ev.Event != "next" {
		s.t.Fatalf("want a next event, got %q %s", ev.Event, ev.Data)
	}
	var r Response
	if err := json.Unmarshal(ev.Data, &r); err != nil {
		s.t.Fatalf("next event: %v", err)
	}
	if len(r.Errors) > 0 {
		s.t.Fatalf("next event has errors: %s", ev.Data)
	}
	if out != nil {
		r.Decode(s.t, out)
	}
}

// Close disconnects and waits for the reader to stop.
func (s *SSE) Close() {
	s.cancel()
	<-s.done
}
