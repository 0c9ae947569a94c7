package main

import (
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

// subscriber is one graphql-transport-ws client with one subscription; it
// timestamps every message as it arrives.
type subscriber struct {
	c      *websocket.Conn
	onNext func(at time.Time, payload json.RawMessage)
	done   chan struct{}
	err    error
}

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func dialSubscriber(ctx context.Context, httpURL, token, query string, vars map[string]any,
	onNext func(time.Time, json.RawMessage)) (*subscriber, error) {
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(httpURL, "http"), &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"},
	})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(4 << 20)
	s := &subscriber{c: c, onNext: onNext, done: make(chan struct{})}
	if err := s.send(ctx, wsMsg{Type: "connection_init", Payload: mustJSON(map[string]any{"authToken": token})}); err != nil {
		c.CloseNow()
		return nil, err
	}
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			c.CloseNow()
			return nil, fmt.Errorf("connection_init: %w", err)
		}
		var m wsMsg
		json.Unmarshal(b, &m)
		if m.Type == "connection_ack" {
			break
		}
	}
	payload := map[string]any{"query": query, "variables": vars}
	if err := s.send(ctx, wsMsg{ID: "1", Type: "subscribe", Payload: mustJSON(payload)}); err != nil {
		c.CloseNow()
		return nil, err
	}
	go s.read()
	return s, nil
}

func (s *subscriber) read() {
	defer close(s.done)
	for {
		_, b, err := s.c.Read(context.Background())
		if err != nil {
			s.err = err
			return
		}
		at := time.Now()
		var m wsMsg
		if err := json.Unmarshal(b, &m); err != nil {
			s.err = err
			return
		}
		switch m.Type {
		case "ping":
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s.send(ctx, wsMsg{Type: "pong"})
			cancel()
		case "next":
			s.onNext(at, m.Payload)
		case "error", "complete":
			s.err = fmt.Errorf("subscription ended: %s %s", m.Type, m.Payload)
			s.c.Close(websocket.StatusNormalClosure, "")
			return
		}
	}
}

func (s *subscriber) send(ctx context.Context, m wsMsg) error {
	return s.c.Write(ctx, websocket.MessageText, mustJSON(m))
}

func (s *subscriber) Close() {
	s.c.Close(websocket.StatusNormalClosure, "")
	<-s.done
}

// dialAll opens n subscribers, 64 at a time.
func dialAll(ctx context.Context, n int, dial func(ctx context.Context, i int) (*subscriber, error)) ([]*subscriber, error) {
	subs := make([]*subscriber, n)
	var mu sync.Mutex
	var first error
	work := make(chan int)
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				s, err := dial(ctx, i)
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("subscriber %d: %w", i, err)
				}
				subs[i] = s
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	if first != nil {
		closeAll(subs)
		return nil, first
	}
	return subs, nil
}

func closeAll(subs []*subscriber) {
	var wg sync.WaitGroup
	for _, s := range subs {
		if s != nil {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.Close()
			}()
		}
	}
	wg.Wait()
}

// gql sends one operation over HTTP and decodes data into out.
func gql(ctx context.Context, url, token, query string, vars map[string]any, out any) error {
	body := mustJSON(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return fmt.Errorf("HTTP %d: %w", res.StatusCode, err)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("%s (%v)", r.Errors[0].Message, r.Errors[0].Extensions["code"])
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
