package apitest

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// DoOperation sends operationName of a document holding several operations
// (a frontend-contract file, say), as Relay and Apollo clients do.
func (c *Client) DoOperation(document, operationName string, vars map[string]any) *Response {
	c.env.T.Helper()
	body, _ := json.Marshal(map[string]any{"query": document, "operationName": operationName, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.env.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json;q=0.9")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	return c.send(req)
}
