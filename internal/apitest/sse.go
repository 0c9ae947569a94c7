package apitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

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
