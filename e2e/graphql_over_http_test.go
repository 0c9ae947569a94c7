package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// Tests of the GraphQL over HTTP spec
// (https://graphql.github.io/graphql-over-http/draft/), as a generic client
// or graphql-http's audit would send requests.

const (
	gqlResponseJSON = "application/graphql-response+json"
	plainJSON       = "application/json"
)

func mediaOf(r *apitest.RawResponse) string {
	ct := r.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

func TestResponseMediaTypeFollowsAccept(t *testing.T) {
	env := apitest.Start(t)
	q := map[string]any{"query": "{ __typename }"}
	for _, tc := range []struct {
		accept string // "" sends no Accept header
		want   string
	}{
		{"", plainJSON},
		{plainJSON, plainJSON},
		{gqlResponseJSON, gqlResponseJSON},
		{"*/*", plainJSON},
		{"application/*", plainJSON},
		{gqlResponseJSON + ", application/json;q=0.9", gqlResponseJSON},
		{"application/json;q=0.5, " + gqlResponseJSON, gqlResponseJSON},
		{gqlResponseJSON + ";charset=utf-8", gqlResponseJSON},
	} {
		var h []string
		if tc.accept != "" {
			h = []string{"Accept", tc.accept}
		}
		r := env.PostJSON(q, h...)
		if r.Status != http.StatusOK || mediaOf(r) != tc.want {
			t.Errorf("Accept %q: HTTP %d %q, want 200 %q", tc.accept, r.Status, r.Header.Get("Content-Type"), tc.want)
		}
		if !strings.Contains(strings.ToLower(r.Header.Get("Content-Type")), "charset=utf-8") {
			t.Errorf("Accept %q: Content-Type %q does not say utf-8", tc.accept, r.Header.Get("Content-Type"))
		}
		if data, _ := r.JSON()["data"].(map[string]any); data["__typename"] != "Query" {
			t.Errorf("Accept %q: body %s", tc.accept, r.Body)
		}
	}
	for _, accept := range []string{"text/html", gqlResponseJSON + ";charset=iso-8859-1"} {
		if r := env.PostJSON(q, "Accept", accept); r.Status != http.StatusNotAcceptable {
			t.Errorf("Accept %q: HTTP %d, want 406", accept, r.Status)
		}
	}
}

func TestGetServesQueriesWithVariables(t *testing.T) {
	env := apitest.Start(t)
	v := url.Values{
		"query":         {`query Kind($name: String!) { __type(name: $name) { kind } }`},
		"variables":     {`{"name": "Member"}`},
		"operationName": {"Kind"},
	}
	r := env.HTTP(http.MethodGet, "/graphql?"+v.Encode(), nil, "Accept", gqlResponseJSON)
	if r.Status != http.StatusOK || mediaOf(r) != gqlResponseJSON {
		t.Fatalf("GET: HTTP %d %s: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if !strings.Contains(string(r.Body), `"kind":"OBJECT"`) {
		t.Fatalf("GET body %s", r.Body)
	}
}

func TestMutationOverGetIsRefusedWith405AndNotRun(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	for _, accept := range []string{plainJSON, gqlResponseJSON} {
		r := env.HTTP(http.MethodGet, "/graphql?query="+url.QueryEscape("mutation { logout { ok } }"), nil,
			"Accept", accept, "Authorization", "Bearer "+admin.Token)
		if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != http.MethodPost {
			t.Fatalf("Accept %s: HTTP %d Allow %q, want 405 Allow POST", accept, r.Status, r.Header.Get("Allow"))
		}
		if _, ok := r.JSON()["data"]; ok {
			t.Errorf("405 body has a data key: %s", r.Body)
		}
	}
	// The logout did not happen: the token still works.
	admin.MustDo(`{ viewer { isSuperAdmin } }`, nil, nil)
}

// requestErrorDocuments are well-formed HTTP requests whose GraphQL fails
// before execution: a parse error, a validation error, a variable error.
var requestErrorDocuments = []struct {
	name string
	body map[string]any
}{
	{"parse", map[string]any{"query": "{ viewer { "}},
	{"validation", map[string]any{"query": "{ noSuchField }"}},
	{"variables", map[string]any{
		"query":     "query($n: String!) { __type(name: $n) { kind } }",
		"variables": map[string]any{"n": true},
	}},
	{"missing variable", map[string]any{"query": "query($n: String!) { __type(name: $n) { kind } }"}},
	{"unknown operation", map[string]any{"query": "query A { __typename }", "operationName": "B"}},
}

func TestRequestErrorsAre400WithoutDataForGraphQLResponseJSON(t *testing.T) {
	env := apitest.Start(t)
	for _, tc := range requestErrorDocuments {
		r := env.PostJSON(tc.body, "Accept", gqlResponseJSON)
		body := r.JSON()
		if r.Status != http.StatusBadRequest || mediaOf(r) != gqlResponseJSON {
			t.Errorf("%s: HTTP %d %s, want 400 %s", tc.name, r.Status, mediaOf(r), gqlResponseJSON)
		}
		if _, ok := body["data"]; ok {
			t.Errorf("%s: body has a data key: %s", tc.name, r.Body)
		}
		assertCoded(t, tc.name, body, "BAD_USER_INPUT")
	}
}

func TestRequestErrorsAre200WithoutDataForJSON(t *testing.T) {
	env := apitest.Start(t)
	for _, tc := range requestErrorDocuments {
		r := env.PostJSON(tc.body, "Accept", plainJSON)
		body := r.JSON()
		if r.Status != http.StatusOK || mediaOf(r) != plainJSON {
			t.Errorf("%s: HTTP %d %s, want 200 %s", tc.name, r.Status, mediaOf(r), plainJSON)
		}
		if _, ok := body["data"]; ok {
			t.Errorf("%s: body has a data key: %s", tc.name, r.Body)
		}
		assertCoded(t, tc.name, body, "BAD_USER_INPUT")
	}
}

func TestFieldErrorsKeepDataAndAnswer200(t *testing.T) {
	env := apitest.Start(t)
	env.NewEnterprise("acme")
	for _, accept := range []string{plainJSON, gqlResponseJSON} {
		r := env.PostJSON(map[string]any{"query": "{ viewer { isSuperAdmin } }"}, "Accept", accept)
		body := r.JSON()
		data, ok := body["data"]
		if r.Status != http.StatusOK || !ok || data != nil {
			t.Errorf("Accept %s: HTTP %d, data %v (present %v); want 200 with data null", accept, r.Status, data, ok)
		}
		assertCoded(t, accept, body, "UNAUTHENTICATED")
	}
}

func TestMalformedRequestsAre4xx(t *testing.T) {
	env := apitest.Start(t)
	post := func(body, contentType string) *apitest.RawResponse {
		return env.HTTP(http.MethodPost, "/graphql", strings.NewReader(body), "Content-Type", contentType, "Accept", gqlResponseJSON)
	}
	for _, tc := range []struct {
		name string
		r    *apitest.RawResponse
		want int
	}{
		{"not JSON", post(`{"query": `, plainJSON), http.StatusBadRequest},
		{"empty body", post(``, plainJSON), http.StatusBadRequest},
		{"JSON array (batch)", post(`[{"query":"{ __typename }"}]`, plainJSON), http.StatusBadRequest},
		{"no query", post(`{"variables":{}}`, plainJSON), http.StatusBadRequest},
		{"query is a number", post(`{"query": 1}`, plainJSON), http.StatusBadRequest},
		{"query is an object", post(`{"query": {"a": 1}}`, plainJSON), http.StatusBadRequest},
		{"operationName is a number", post(`{"query":"{ __typename }","operationName":1}`, plainJSON), http.StatusBadRequest},
		{"variables is a string", post(`{"query":"{ __typename }","variables":"{}"}`, plainJSON), http.StatusBadRequest},
		{"variables is an array", post(`{"query":"{ __typename }","variables":[]}`, plainJSON), http.StatusBadRequest},
		{"extensions is a number", post(`{"query":"{ __typename }","extensions":1}`, plainJSON), http.StatusBadRequest},
		{"text/plain body", post(`{"query":"{ __typename }"}`, "text/plain"), http.StatusUnsupportedMediaType},
		{"no content type", post(`{"query":"{ __typename }"}`, ""), http.StatusUnsupportedMediaType},
		{"GET without query", env.HTTP(http.MethodGet, "/graphql", nil, "Accept", gqlResponseJSON), http.StatusBadRequest},
		{"GET with bad variables", env.HTTP(http.MethodGet, "/graphql?query=%7B__typename%7D&variables=%5B%5D", nil), http.StatusBadRequest},
		// (PUT reserves a graphql-sse stream: sse_protocol_test.go.)
		{"PATCH", env.HTTP(http.MethodPatch, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`), "Content-Type", plainJSON), http.StatusMethodNotAllowed},
	} {
		if tc.r.Status != tc.want {
			t.Errorf("%s: HTTP %d, want %d: %s", tc.name, tc.r.Status, tc.want, tc.r.Body)
			continue
		}
		body := tc.r.JSON()
		if _, ok := body["data"]; ok {
			t.Errorf("%s: body has a data key: %s", tc.name, tc.r.Body)
		}
		assertCoded(t, tc.name, body, "BAD_USER_INPUT")
	}
	// null parameters mean "absent" and are fine.
	r := post(`{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}`, plainJSON)
	if r.Status != http.StatusOK {
		t.Fatalf("null parameters: HTTP %d: %s", r.Status, r.Body)
	}
}

// assertCoded checks that body has errors and each carries code.
func assertCoded(t *testing.T, name string, body map[string]any, code string) {
	t.Helper()
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		t.Errorf("%s: no errors in %v", name, body)
		return
	}
	for _, e := range errs {
		ext, _ := e.(map[string]any)["extensions"].(map[string]any)
		if ext["code"] != code {
			t.Errorf("%s: error %v, want code %s", name, e, code)
		}
	}
}
