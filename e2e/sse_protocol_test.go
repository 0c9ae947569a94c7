package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

// rawEvent is one server-sent event as it came on the wire.
type rawEvent struct {
	Event   string
	Data    string
	HasData bool // a data: line came, which EventSource needs to dispatch it
}

// eventStream is an open text/event-stream response, read line by line.
type eventStream struct {
	t      *testing.T
	res    *http.Response
	events chan rawEvent
	cancel context.CancelFunc
}

// openStream sends req and expects an event stream back.
func openStream(t *testing.T, req *http.Request) *eventStream {
	t.Helper()
	ctx, cancel := context.WithCancel(req.Context())
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		cancel()
		t.Fatalf("want an event stream, got HTTP %d %q: %s", res.StatusCode, ct, b)
	}
	s := &eventStream{t: t, res: res, events: make(chan rawEvent, 64), cancel: cancel}
	go func() {
		defer close(s.events)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var ev rawEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Event != "" || ev.HasData {
					s.events <- ev
				}
				ev = rawEvent{}
			case strings.HasPrefix(line, "event:"):
				ev.Event = strings.TrimSpace(line[len("event:"):])
			case strings.HasPrefix(line, "data:"):
				ev.Data += strings.TrimSpace(line[len("data:"):])
				ev.HasData = true
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

func (s *eventStream) next() rawEvent {
	s.t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			s.t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		s.t.Fatal("no event within 10s")
		return rawEvent{}
	}
}

// ended waits for the server to end the stream.
func (s *eventStream) ended() {
	s.t.Helper()
	select {
	case ev, ok := <-s.events:
		if ok {
			s.t.Fatalf("want the end of the stream, got %+v", ev)
		}
	case <-time.After(10 * time.Second):
		s.t.Fatal("the stream did not end within 10s")
	}
}

func graphQLRequest(t *testing.T, method, target, token string, body any, headers ...string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, target, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

func TestMutationOverSSEIsOneNextEventThenCompleteWithData(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t)
	ent := env.NewEnterprise("ssemut")
	admin := env.Admin(ent)
	st := openStream(t, graphQLRequest(t, http.MethodPost, env.URL, admin.Token, map[string]any{
		"query":     `mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id name } }`,
		"variables": map[string]any{"in": map[string]any{"name": "Over SSE", "parentId": ent.RootID}},
	}, "Accept", "text/event-stream"))
	ev := st.next()
	if ev.Event != "next" || !strings.Contains(ev.Data, `"name":"Over SSE"`) || strings.Contains(ev.Data, `"errors"`) {
		t.Fatalf("first event %+v", ev)
	}
	if ev := st.next(); ev.Event != "complete" || !ev.HasData {
		t.Fatalf("want complete with a data line, got %+v", ev)
	}
	st.ended()
	// It committed: the department is there for the next request.
	var out struct{ Departments struct{ TotalCount int } }
	admin.MustDo(`query { departments(first: 10, where: {name: "Over SSE"}) { totalCount } }`, nil, &out)
	if out.Departments.TotalCount != 1 {
		t.Fatalf("departments named Over SSE: %d", out.Departments.TotalCount)
	}
	if lines := env.Logs.Lines("panic"); len(lines) > 0 {
		t.Fatalf("the server panicked: %v", lines)
	}
}

func TestSSEOnlyWhenTheEventStreamIsThePreferredType(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t)
	query := map[string]any{"query": `{ __typename }`}
	for _, c := range []struct {
		accept string
		stream bool
	}{
		// urql's and gql.tada's default: JSON types first.
		{"application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed", false},
		{"application/json, text/event-stream", false},
		{"text/event-stream;q=0.5, application/json", false},
		{"text/event-stream", true},
		{"text/event-stream, application/json", true},
		{"application/json;q=0.4, text/event-stream;q=0.9", true},
	} {
		res := env.Send(graphQLRequest(t, http.MethodPost, env.URL, "", query, "Accept", c.accept))
		got := strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream")
		if got != c.stream {
			t.Errorf("Accept %q: event stream %v, want %v (HTTP %d %s)", c.accept, got, c.stream, res.Status, res.Header.Get("Content-Type"))
		}
	}
}

func TestEventSourceGetStreamsTheInbox(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t)
	ent := env.NewEnterprise("evsource")
	admin := env.Admin(ent)
	q := url.Values{"query": {`subscription { inbox { kind messageId } }`}}
	st := openStream(t, graphQLRequest(t, http.MethodGet, env.URL+"?"+q.Encode(), admin.Token, nil, "Accept", "text/event-stream"))
	if ev := st.next(); ev.Event != "next" || !strings.Contains(ev.Data, `"SYNC"`) {
		t.Fatalf("first event %+v", ev)
	}
	sent := admin.Send(apitest.Text("to EventSource", apitest.Range{Members: []string{admin.MemberID}}))
	if ev := st.next(); ev.Event != "next" || !strings.Contains(ev.Data, sent.Message.ID) {
		t.Fatalf("want the new message, got %+v", ev)
	}
	// A mutation is not sent with GET, stream or not.
	res := env.Send(graphQLRequest(t, http.MethodGet, env.URL+"?"+url.Values{"query": {`mutation { logout { ok } }`}}.Encode(), admin.Token, nil, "Accept", "text/event-stream"))
	if res.Status != http.StatusMethodNotAllowed {
		t.Fatalf("mutation over GET: HTTP %d", res.Status)
	}
}

func TestSSESingleConnectionModeReservesStreamsAndRunsOperationsByID(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t)
	ent := env.NewEnterprise("ssesingle")
	admin := env.Admin(ent)
	other := env.Login(ent.Code, ent.AdminLogin, ent.AdminPassword) // another session

	res := env.Send(graphQLRequest(t, http.MethodPut, env.URL, admin.Token, nil))
	token := string(res.Body)
	if res.Status != http.StatusCreated || token == "" {
		t.Fatalf("PUT: HTTP %d %q", res.Status, token)
	}
	withToken := []string{"X-GraphQL-Event-Stream-Token", token}

	// Another session's credentials do not open or use the reservation.
	if res := env.Send(graphQLRequest(t, http.MethodGet, env.URL, other.Token, nil, append(withToken, "Accept", "text/event-stream")...)); res.Status != http.StatusNotFound {
		t.Fatalf("stream with another session: HTTP %d", res.Status)
	}
	st := openStream(t, graphQLRequest(t, http.MethodGet, env.URL, admin.Token, nil, append(withToken, "Accept", "text/event-stream")...))
	if res := env.Send(graphQLRequest(t, http.MethodGet, env.URL, admin.Token, nil, append(withToken, "Accept", "text/event-stream")...)); res.Status != http.StatusConflict {
		t.Fatalf("a second stream for one reservation: HTTP %d", res.Status)
	}

	run := func(id, query string) *apitest.RawResponse {
		return env.Send(graphQLRequest(t, http.MethodPost, env.URL, admin.Token, map[string]any{
			"query": query, "extensions": map[string]any{"operationId": id},
		}, withToken...))
	}
	if res := run("sub", `subscription { inbox { kind messageId } }`); res.Status != http.StatusAccepted {
		t.Fatalf("subscription: HTTP %d %s", res.Status, res.Body)
	}
	type tagged struct {
		ID      string          `json:"id"`
		Payload json.RawMessage `json:"payload"`
	}
	read := func(want string) tagged {
		t.Helper()
		ev := st.next()
		var m tagged
		if err := json.Unmarshal([]byte(ev.Data), &m); err != nil || ev.Event != want {
			t.Fatalf("want %s, got %+v (%v)", want, ev, err)
		}
		return m
	}
	if m := read("next"); m.ID != "sub" || !strings.Contains(string(m.Payload), `"SYNC"`) {
		t.Fatalf("subscription's first event %+v", m)
	}
	if res := run("sub", `{ __typename }`); res.Status != http.StatusConflict {
		t.Fatalf("a running operation id again: HTTP %d", res.Status)
	}
	// A request that fails validation is answered as GraphQL over HTTP
	// answers it, and nothing goes to the stream.
	if res := run("bad", `{ nope }`); res.Status == http.StatusAccepted || !strings.Contains(string(res.Body), "nope") {
		t.Fatalf("an invalid operation: HTTP %d %s", res.Status, res.Body)
	}
	// A mutation: its result, then its completion, on the stream.
	res = env.Send(graphQLRequest(t, http.MethodPost, env.URL, admin.Token, map[string]any{
		"query":      `mutation($in: SendMessageInput!) { sendMessage(input: $in) { message { id } } }`,
		"variables":  map[string]any{"in": apitest.Text("single", apitest.Range{Members: []string{admin.MemberID}})},
		"extensions": map[string]any{"operationId": "send2"},
	}, withToken...))
	if res.Status != http.StatusAccepted {
		t.Fatalf("mutation: HTTP %d %s", res.Status, res.Body)
	}
	got := map[string][]string{}
	for len(got["send2"]) < 2 || len(got["sub"]) < 1 {
		ev := st.next()
		var m tagged
		if err := json.Unmarshal([]byte(ev.Data), &m); err != nil {
			t.Fatalf("event %+v: %v", ev, err)
		}
		got[m.ID] = append(got[m.ID], ev.Event+" "+string(m.Payload))
	}
	if !strings.HasPrefix(got["send2"][0], "next ") || !strings.Contains(got["send2"][0], "msg_") || got["send2"][1] != "complete " {
		t.Fatalf("mutation's events %q", got["send2"])
	}
	if !strings.Contains(got["sub"][0], `"NEW"`) {
		t.Fatalf("subscription's event %q", got["sub"])
	}
	// DELETE stops the subscription; an unknown operation is 404.
	del := func(id string) int {
		return env.Send(graphQLRequest(t, http.MethodDelete, env.URL+"?operationId="+id, admin.Token, nil, withToken...)).Status
	}
	if s := del("sub"); s != http.StatusOK {
		t.Fatalf("DELETE: HTTP %d", s)
	}
	if s := del("sub"); s != http.StatusNotFound {
		t.Fatalf("DELETE again: HTTP %d", s)
	}
	// Once the stream is gone, so is the reservation.
	st.cancel()
	deadline := time.Now().Add(10 * time.Second)
	for run("late", `{ __typename }`).Status != http.StatusNotFound {
		if time.Now().After(deadline) {
			t.Fatal("the reservation outlived its stream")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSubscriptionAsAPlainRequestIsRefusedNamingTheStreamingTransports(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t)
	ent := env.NewEnterprise("plainsub")
	admin := env.Admin(ent)
	r := admin.Do(`subscription { inbox { kind } }`, nil)
	if !r.HasCode("BAD_USER_INPUT") || len(r.Errors) != 1 ||
		!strings.Contains(r.Errors[0].Message, "websocket") || !strings.Contains(r.Errors[0].Message, "text/event-stream") {
		t.Fatalf("subscription over POST answered %+v", r)
	}
}

func TestViewerHasTheSignedInMembersID(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t)
	ent := env.NewEnterprise("viewerid")
	admin := env.Admin(ent)
	var out struct{ Viewer struct{ ID string } }
	admin.MustDo(`{ viewer { id } }`, nil, &out)
	if out.Viewer.ID == "" || out.Viewer.ID != admin.MemberID {
		t.Fatalf("viewer id %q, member %q", out.Viewer.ID, admin.MemberID)
	}
}
