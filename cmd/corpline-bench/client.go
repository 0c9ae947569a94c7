package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// client sends GraphQL over HTTP with connections kept alive.
type client struct {
	url  string
	http *http.Client
}

func newClient(url string, conns int) *client {
	return &client{url: url, http: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2},
	}}
}

// do sends one operation and decodes data into out; GraphQL errors fail it.
func (c *client) do(ctx context.Context, token, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := c.request(ctx, token, body)
	if err != nil {
		return err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return fmt.Errorf("HTTP %d: %w", res.StatusCode, err)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("graphql: %s", r.Errors[0].Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(r.Data, out)
}

func (c *client) request(ctx context.Context, token string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

// probe is one measured request: it must answer 200 with data and no errors.
type probe func(ctx context.Context) error

// membersPage is the measured request: frontend-contract's MembersPage.
func membersPage(c *client, token string, first int) probe {
	body, _ := json.Marshal(map[string]any{
		"query": membersPageDocument, "operationName": "MembersPage", "variables": map[string]any{"first": first},
	})
	return func(ctx context.Context) error {
		req, err := c.request(ctx, token, body)
		if err != nil {
			return err
		}
		res, err := c.http.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK || bytes.Contains(b, []byte(`"errors"`)) || !bytes.Contains(b, []byte(`"edges"`)) {
			return fmt.Errorf("HTTP %d: %.200s", res.StatusCode, b)
		}
		return nil
	}
}
