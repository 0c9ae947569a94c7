package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Client sends GraphQL operations over HTTP, with a bearer token once signed in.
type Client struct {
	env   *Env
	Token string
	// MemberID is the signed-in member, when Login made the client.
	MemberID string
}

// Anonymous returns a client without a token.
func (e *Env) Anonymous() *Client { return &Client{env: e} }

// LoginMutation is the sign-in every test sends (with LoginVars).
const LoginMutation = `mutation($in: LoginInput!) { login(input: $in) { token expiresAt viewer { member { id userid } } } }`

// LoginVars are LoginMutation's variables.
func LoginVars(code, login, password string) map[string]any {
	return map[string]any{"in": map[string]any{"enterprise": code, "login": login, "password": password}}
}

// TryLogin sends LoginMutation from c and returns the response as it is, for
// tests of refused sign-ins.
func (c *Client) TryLogin(code, login, password string) *Response {
	return c.Do(LoginMutation, LoginVars(code, login, password))
}

// Login signs in and returns a client carrying the token; it fails the test on error.
func (e *Env) Login(code, login, password string) *Client {
	e.T.Helper()
	c := e.Anonymous()
	var out struct {
		Login struct {
			Token  string
			Viewer struct{ Member struct{ ID string } }
		}
	}
	c.MustDo(LoginMutation, LoginVars(code, login, password), &out)
	c.Token, c.MemberID = out.Login.Token, out.Login.Viewer.Member.ID
	return c
}

// Admin signs in as the enterprise's super admin.
func (e *Env) Admin(ent *Enterprise) *Client {
	e.T.Helper()
	return e.Login(ent.Code, ent.AdminLogin, ent.AdminPassword)
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Response is a decoded GraphQL response with its HTTP status.
type Response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Codes lists the extensions.code of every error, in order.
func (r *Response) Codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Code())
	}
	return out
}

// HasCode reports whether some error has code.
func (r *Response) HasCode(code string) bool {
	for _, c := range r.Codes() {
		if c == code {
			return true
		}
	}
	return false
}

// HasReason reports whether some error has extensions.reason reason.
func (r *Response) HasReason(reason string) bool {
	for _, e := range r.Errors {
		if e.Extensions["reason"] == reason {
			return true
		}
	}
	return false
}

// Decode unmarshals data into out.
func (r *Response) Decode(t testing.TB, out any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatalf("decode data %s: %v", r.Data, err)
	}
}

// Do sends one operation and returns the response, errors included.
func (c *Client) Do(query string, vars map[string]any) *Response {
	c.env.T.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.env.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	return c.send(req)
}

func (c *Client) send(req *http.Request) *Response {
	c.env.T.Helper()
	res, err := c.env.HTTPClient.Do(req)
	if err != nil {
		c.env.T.Fatalf("graphql request: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &Response{Status: res.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		c.env.T.Fatalf("graphql response (HTTP %d) is not JSON: %s", res.StatusCode, raw)
	}
	return out
}

// MustDo sends one operation, fails the test on any error, and decodes data into out (if not nil).
func (c *Client) MustDo(query string, vars map[string]any, out any) {
	c.env.T.Helper()
	r := c.Do(query, vars)
	if len(r.Errors) > 0 {
		msgs := make([]string, 0, len(r.Errors))
		for _, e := range r.Errors {
			msgs = append(msgs, fmt.Sprintf("%s (%s)", e.Message, e.Code()))
		}
		c.env.T.Fatalf("graphql errors: %s\nquery: %s", strings.Join(msgs, "; "), query)
	}
	if out != nil {
		r.Decode(c.env.T, out)
	}
}

// MustFailBecause is MustFail that also wants extensions.reason to be reason.
func (c *Client) MustFailBecause(code, reason, query string, vars map[string]any) *Response {
	c.env.T.Helper()
	r := c.MustFail(code, query, vars)
	if !r.HasReason(reason) {
		c.env.T.Fatalf("want reason %s, got errors %v\nquery: %s", reason, r.Errors, query)
	}
	return r
}

// MustFail sends one operation and fails the test unless some error has code.
func (c *Client) MustFail(code, query string, vars map[string]any) *Response {
	c.env.T.Helper()
	r := c.Do(query, vars)
	if !r.HasCode(code) {
		c.env.T.Fatalf("want error %s, got errors %v, data %s\nquery: %s", code, r.Errors, r.Data, query)
	}
	return r
}
