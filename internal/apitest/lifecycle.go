package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/corpline/corpline/internal/provision"
)

// Lifecycle fixtures: clocks, background jobs, operators, imports, follows.

// Now is the server's time.
func (e *Env) Now() time.Time { return e.Config.Now() }

// OperatorPassword is the password of the operators tests create.
const OperatorPassword = "operator-password-1"

// NewOperator creates a platform operator and returns a client signed in as it.
func (e *Env) NewOperator(login string) *Client {
	e.T.Helper()
	if _, err := provision.CreateOperator(context.Background(), e.DB.Client, login, "", OperatorPassword); err != nil {
		e.T.Fatalf("create operator: %v", err)
	}
	return e.OperatorLogin(login)
}

// OperatorLogin signs an existing operator in again (after the clock moved
// past their token's life, say).
func (e *Env) OperatorLogin(login string) *Client {
	e.T.Helper()
	c := e.Anonymous()
	var out struct{ OperatorLogin struct{ Token string } }
	c.MustDo(`mutation($in: OperatorLoginInput!) { operatorLogin(input: $in) { token } }`,
		map[string]any{"in": map[string]any{"login": login, "password": OperatorPassword}}, &out)
	c.Token = out.OperatorLogin.Token
	return c
}

// Person is someone in the directory who has not followed yet.
type Person struct {
	Userid, Name, Mobile, Email string
}

// People returns n people not yet following, numbered from 0.
func People(n int) []Person {
	out := make([]Person, n)
	for i := range out {
		out[i] = Person{
			Userid: fmt.Sprintf("p%04d", i),
			Name:   fmt.Sprintf("Person %04d", i),
			Mobile: fmt.Sprintf("+86138%08d", i),
			Email:  fmt.Sprintf("p%04d@example.com", i),
		}
	}
	return out
}

// ImportStaff creates the department "Staff" under e's root and imports n
// People into it: the directory most following and verification tests
// start from. It returns the department and the people.
func (c *Client) ImportStaff(e *Enterprise, n int) (dept string, ps []Person) {
	c.env.T.Helper()
	dept = c.CreateDepartment("Staff", e.RootID)
	ps = People(n)
	c.Import(dept, ps)
	return dept, ps
}

// Import imports people into dept as INVITED members, failing on any bad row.
func (c *Client) Import(dept string, people []Person) {
	c.env.T.Helper()
	rows := make([]map[string]any, 0, len(people))
	for _, p := range people {
		row := map[string]any{"userid": p.Userid, "name": p.Name, "departments": []map[string]any{{"departmentId": dept}}}
		if p.Mobile != "" {
			row["mobile"] = p.Mobile
		}
		if p.Email != "" {
			row["email"] = p.Email
		}
		rows = append(rows, row)
	}
	var out struct {
		ImportMembers struct {
			Created int
			Errors  []struct{ Message string }
		}
	}
	c.MustDo(`mutation($in: ImportMembersInput!) { importMembers(input: $in) { created errors { message } } }`,
		map[string]any{"in": map[string]any{"rows": rows}}, &out)
	if len(out.ImportMembers.Errors) > 0 || out.ImportMembers.Created != len(people) {
		c.env.T.Fatalf("import: created %d of %d, errors %v", out.ImportMembers.Created, len(people), out.ImportMembers.Errors)
	}
}

// InviteURL returns the enterprise's invite link (the client is an admin).
func (c *Client) InviteURL() string {
	c.env.T.Helper()
	var out struct{ Invite struct{ URL string } }
	c.MustDo(`{ invite { url } }`, nil, &out)
	return out.Invite.URL
}

// ActivateMutation is the follow operation, as clients send it.
const ActivateMutation = `mutation($in: ActivateInput!) { activate(input: $in) { status token viewer { member { id userid } } } }`

// Activate tries to follow with invite, as p (by mobile), and returns the
// response, errors included.
func (e *Env) Activate(invite string, p Person) *Response {
	e.T.Helper()
	in := map[string]any{"invite": invite, "name": p.Name, "password": TestPassword}
	if p.Mobile != "" {
		in["mobile"] = p.Mobile
	} else {
		in["email"] = p.Email
	}
	return e.Anonymous().Do(ActivateMutation, map[string]any{"in": in})
}

// Try sends one operation without failing the test on a transport error, so
// that goroutines may call it (t.Fatal must stay on the test's goroutine).
func (c *Client) Try(query string, vars map[string]any) (*Response, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.env.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out := &Response{Status: res.StatusCode}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return nil, fmt.Errorf("HTTP %d: %w", res.StatusCode, err)
	}
	return out, nil
}

// ActivateVars are the variables of ActivateMutation for p (by mobile).
func ActivateVars(invite string, p Person) map[string]any {
	return map[string]any{"in": map[string]any{"invite": invite, "name": p.Name, "mobile": p.Mobile, "password": TestPassword}}
}
