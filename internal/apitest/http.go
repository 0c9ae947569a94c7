package apitest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// RawResponse is an HTTP answer as received, for tests of the HTTP layer
// itself (status codes, headers, the exact JSON keys).
type RawResponse struct {
	Status int
	Header http.Header
	Body   []byte

	t testing.TB
}

// JSON decodes the body as a JSON object; it fails the test if it is not one.
func (r *RawResponse) JSON() map[string]any {
	r.t.Helper()
	var out map[string]any
	if err := json.Unmarshal(r.Body, &out); err != nil {
		r.t.Fatalf("response (HTTP %d) is not a JSON object: %s", r.Status, r.Body)
	}
	return out
}

// BaseURL is the server's root, without /graphql.
func (e *Env) BaseURL() string { return strings.TrimSuffix(e.URL, "/graphql") }

// HTTP sends one request to the server (path relative to its root) with
// headers given as name, value pairs, and returns the answer as received.
func (e *Env) HTTP(method, path string, body io.Reader, headers ...string) *RawResponse {
	e.T.Helper()
	req, err := http.NewRequest(method, e.BaseURL()+path, body)
	if err != nil {
		e.T.Fatalf("new request: %v", err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return e.Send(req)
}

// Send sends a prepared request and returns the answer as received.
func (e *Env) Send(req *http.Request) *RawResponse {
	e.T.Helper()
	res, err := e.HTTPClient.Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.T.Fatalf("read response: %v", err)
	}
	return &RawResponse{Status: res.StatusCode, Header: res.Header, Body: b, t: e.T}
}

// PostJSON posts a GraphQL request body (any JSON value) to /graphql.
func (e *Env) PostJSON(body any, headers ...string) *RawResponse {
	e.T.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		e.T.Fatalf("marshal: %v", err)
	}
	return e.HTTP(http.MethodPost, "/graphql", strings.NewReader(string(b)),
		append([]string{"Content-Type", "application/json"}, headers...)...)
}

// Connect returns an Env for a server started some other way (by a CLI
// test, say) at url: clients work, there is no database.
func Connect(t testing.TB, url string) *Env {
	return &Env{T: t, URL: url, HTTPClient: http.DefaultClient, Logs: newLogs(t)}
}
