package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	contract "github.com/corpline/corpline/frontend-contract"
)

// A page is one screen the peers serve, and how each server is asked for it.
// Every server answers the same data; the check before the rounds compares
// what each returned, reduced to lines (canonical).

// postgraphileMembers is MembersPage as PostGraphile's amber preset names
// it: the enterprise is a condition where corpline takes it from the
// viewer, and the departments come through the memberships table.
const postgraphileMembers = `query MembersPage($enterprise: String!, $first: Int = 50) {
  allMembers(first: $first, orderBy: [NAME_ASC, PRIMARY_KEY_ASC], condition: {enterpriseId: $enterprise}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { rowId userid name position status
      membershipsByMemberId { nodes { departmentByDepartmentId { rowId name } } } } }
  }
}`

// postgraphileInbox is InboxPage: the member is a condition, the content is
// the stored body (JSON) and the sender's name comes through the sender.
const postgraphileInbox = `query InboxPage($member: String!, $first: Int = 30) {
  allInboxEntries(first: $first, orderBy: SEQ_DESC, condition: {memberId: $member}) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { rowId seq readAt confidential withheld
      messageByMessageId { rowId kind createdAt recalledAt body memberBySenderMemberId { name } } } }
  }
}`

// target is one server's way of serving one page.
type target struct {
	url   string
	token string // bearer token, if the server authenticates
	body  []byte
	lines func(data map[string]any) []string // the check's canonical form
}

func graphqlBody(query, operation string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "operationName": operation, "variables": vars})
	return b
}

func contractDocument(name string) string {
	op, err := contract.Find(name)
	if err != nil {
		panic(err)
	}
	return op.Document
}

// fetch sends the target's request once and returns its data.
func (t target) fetch(ctx context.Context, c *http.Client) (map[string]any, error) {
	b, err := t.send(ctx, c)
	if err != nil {
		return nil, err
	}
	var r struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if len(r.Errors) > 0 || r.Data == nil {
		return nil, fmt.Errorf("%.300s", b)
	}
	return r.Data, nil
}

func (t target) send(ctx context.Context, c *http.Client) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(t.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %.300s", res.StatusCode, b)
	}
	return b, nil
}

// probe is the target as a measured request: 200, data, no errors.
func (t target) probe(c *http.Client) probe {
	return func(ctx context.Context) error {
		b, err := t.send(ctx, c)
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(b, []byte(`{"data":`)) || bytes.Contains(b, []byte(`"errors"`)) {
			return fmt.Errorf("%.300s", b)
		}
		return nil
	}
}

// path walks data along keys ("a.b.c"); arrays are not walked.
func path(v any, keys string) any {
	for _, k := range strings.Split(keys, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func list(v any) []any { l, _ := v.([]any); return l }

// memberLines reduces a members page: the total, then one line per member
// with its departments sorted (their order is not part of the page).
func memberLines(conn, depts, deptName string) func(map[string]any) []string {
	return func(data map[string]any) []string {
		c := path(data, conn)
		out := []string{fmt.Sprint("total ", path(c, "totalCount"), " next ", path(c, "pageInfo.hasNextPage"))}
		for _, e := range list(path(c, "edges")) {
			n := path(e, "node")
			var ds []string
			for _, d := range list(path(n, depts)) {
				ds = append(ds, fmt.Sprint(path(d, deptName)))
			}
			slices.Sort(ds)
			out = append(out, fmt.Sprint(path(n, "userid"), "|", path(n, "name"), "|", path(n, "position"), "|",
				path(n, "status"), "|", strings.Join(ds, ",")))
		}
		return out
	}
}

// inboxLines reduces an inbox page to one line per entry.
func inboxLines(conn, message, text, sender string) func(map[string]any) []string {
	return func(data map[string]any) []string {
		c := path(data, conn)
		out := []string{fmt.Sprint("next ", path(c, "pageInfo.hasNextPage"))}
		for _, e := range list(path(c, "edges")) {
			n := path(e, "node")
			m := path(n, message)
			out = append(out, fmt.Sprint(path(n, "seq"), "|", path(m, "kind"), "|",
				path(m, text), "|", path(m, sender)))
		}
		return out
	}
}

// pageTargets are the three servers' targets for one page.
type pageTargets struct {
	name, what string
	servers    [3]target // corpline, PostGraphile, floor
}

func peerPages(corpline, postgraphile, floor string, s seeded, readerID string) []pageTargets {
	return []pageTargets{
		{name: "members", what: "MembersPage: first 50 of 2,000 by name, with totalCount and each member's departments", servers: [3]target{
			{url: corpline, token: s.reader, body: graphqlBody(contractDocument("MembersPage"), "MembersPage", nil),
				lines: memberLines("members", "departments", "name")},
			{url: postgraphile, body: graphqlBody(postgraphileMembers, "MembersPage", map[string]any{"enterprise": s.enterpriseID}),
				lines: memberLines("allMembers", "membershipsByMemberId.nodes", "departmentByDepartmentId.name")},
			{url: floor + "/members", token: s.reader,
				lines: memberLines("members", "departments", "name")},
		}},
		{name: "inbox", what: "InboxPage: the newest 30 entries with content and sender", servers: [3]target{
			{url: corpline, token: s.reader, body: graphqlBody(contractDocument("InboxPage"), "InboxPage", nil),
				lines: inboxLines("inbox", "message", "content.text", "sender.name")},
			{url: postgraphile, body: graphqlBody(postgraphileInbox, "InboxPage", map[string]any{"member": readerID}),
				lines: inboxLines("allInboxEntries", "messageByMessageId", "body.text", "memberBySenderMemberId.name")},
			{url: floor + "/inbox", token: s.reader,
				lines: inboxLines("inbox", "message", "content.text", "sender.name")},
		}},
	}
}
