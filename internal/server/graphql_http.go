package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/mediatype"
)

// Media types of the GraphQL over HTTP spec.
const (
	mediaJSON            = mediatype.JSON
	mediaGraphQLResponse = mediatype.GraphQLResponse
)

// graphqlHTTP serves queries (GET and POST) and mutations (POST) as the
// GraphQL over HTTP spec says (https://graphql.github.io/graphql-over-http/draft/).
// It replaces gqlgen's GET and POST transports, which answer 422 to a
// well-formed request whose document fails to parse or validate under
// application/json (the spec wants 200), keep a `data` key on request errors
// under application/graphql-response+json (the spec wants none), answer 200
// to a body cut off by the size limit, and refuse a mutation over GET with
// 406 (the spec wants 405).
//
// The status codes, in one place:
//
//	406  no acceptable media type in Accept
//	415  a POST whose body is not application/json
//	413  a body past the size limit, with or without Content-Length
//	400  a body or query string that is not a GraphQL request (bad JSON, no query, variables not an object)
//	405  a mutation over GET, with Allow: POST
//	200/400  a subscription (it needs the websocket or SSE): a request error
//	200  application/json: every well-formed request, whatever its GraphQL errors
//	400  application/graphql-response+json: parse, validation, variable and limit errors (no `data` key)
//	200  application/graphql-response+json: an executed operation (`data` present, maybe null)
type graphqlHTTP struct{}

var _ graphql.Transport = graphqlHTTP{}

func (graphqlHTTP) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && (r.Method == http.MethodGet || r.Method == http.MethodPost)
}

func (graphqlHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		writeRequestError(w, http.StatusNotAcceptable, mediaJSON,
			"accept application/graphql-response+json or application/json")
		return
	}
	params, status, msg := readParams(r)
	if msg != "" {
		writeRequestError(w, status, media, msg)
		return
	}

	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		// A request error: nothing ran, so the answer has no data key.
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		writeResponse(w, requestErrorStatus(media), media, &graphql.Response{Errors: resp.Errors, Extensions: resp.Extensions})
		return
	}
	if oc.Operation.Operation == ast.Subscription {
		// A single JSON response cannot carry a stream of events.
		writeRequestError(w, requestErrorStatus(media), media, subscriptionTransports)
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		writeRequestError(w, http.StatusMethodNotAllowed, media,
			fmt.Sprintf("a %s must be sent with POST", oc.Operation.Operation))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if resp == nil { // the request's context ended before execution
		writeResponse(w, http.StatusServiceUnavailable, media, &graphql.Response{Errors: gqlerror.List{{
			Message: "the request was cancelled", Extensions: map[string]any{"code": string(apperr.Internal)},
		}}})
		return
	}
	status = http.StatusOK
	if resp.Data == nil && media == mediaGraphQLResponse {
		// Errors raised around execution (no data entry): 4xx or 5xx.
		status = http.StatusBadRequest
		for _, e := range resp.Errors {
			if e.Extensions["code"] == string(apperr.Internal) {
				status = http.StatusInternalServerError
			}
		}
	}
	writeResponse(w, status, media, resp)
}

// subscriptionTransports tells a client that sent a subscription as a
// plain request where subscriptions are served.
const subscriptionTransports = "subscriptions are served over a websocket (graphql-transport-ws) or server-sent events " +
	"(Accept: text/event-stream, the graphql-sse protocol) at /graphql, not as a single JSON response"

// requestErrorStatus is the status of a well-formed request that failed to
// parse, validate, coerce its variables or pass a limit.
func requestErrorStatus(media string) int {
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// negotiate picks the response media type from the Accept headers (see
// package mediatype): application/json when there is no Accept header or
// for */* and application/*.
func negotiate(accept []string) (string, bool) {
	return mediatype.Negotiate(accept, mediaJSON, mediaGraphQLResponse)
}

// wireParams are the request parameters as sent, checked one by one.
type wireParams struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// readParams reads a GraphQL request from the query string (GET) or a JSON
// body (POST). On failure it returns the status and a message for the client.
func readParams(r *http.Request) (*graphql.RawParams, int, string) {
	p := &graphql.RawParams{}
	p.ReadTime.Start = graphql.Now()
	var wire wireParams
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		if !q.Has("query") {
			return nil, http.StatusBadRequest, "the query parameter is required"
		}
		wire.Query, _ = json.Marshal(q.Get("query"))
		if q.Get("operationName") != "" {
			wire.OperationName, _ = json.Marshal(q.Get("operationName"))
		}
		wire.Variables = json.RawMessage(q.Get("variables"))
		wire.Extensions = json.RawMessage(q.Get("extensions"))
	} else {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mediaJSON {
			return nil, http.StatusUnsupportedMediaType, "send the request as application/json"
		}
		body, err := io.ReadAll(r.Body)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return nil, http.StatusRequestEntityTooLarge, tooLargeMessage(tooLarge.Limit)
		case err != nil:
			return nil, http.StatusBadRequest, "could not read the request body"
		}
		if err := json.Unmarshal(body, &wire); err != nil {
			return nil, http.StatusBadRequest, "the body is not a JSON object with a query"
		}
	}
	if err := decodeString(wire.Query, &p.Query); err != nil || p.Query == "" {
		return nil, http.StatusBadRequest, "query must be a non-empty string"
	}
	if err := decodeString(wire.OperationName, &p.OperationName); err != nil {
		return nil, http.StatusBadRequest, "operationName must be a string"
	}
	if err := decodeObject(wire.Variables, &p.Variables); err != nil {
		return nil, http.StatusBadRequest, "variables must be a JSON object"
	}
	if err := decodeObject(wire.Extensions, &p.Extensions); err != nil {
		return nil, http.StatusBadRequest, "extensions must be a JSON object"
	}
	p.Headers = r.Header
	p.ReadTime.End = graphql.Now()
	return p, 0, ""
}

func isNull(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) == 0 || string(s) == "null"
}

func decodeString(raw json.RawMessage, out *string) error {
	if isNull(raw) {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// decodeObject decodes a JSON object keeping numbers exact (json.Number), as
// gqlgen's variable coercion expects.
func decodeObject(raw json.RawMessage, out *map[string]any) error {
	if isNull(raw) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// writeRequestError answers a request that never reached GraphQL.
func writeRequestError(w http.ResponseWriter, status int, media, msg string) {
	writeResponse(w, status, media, &graphql.Response{Errors: gqlerror.List{{
		Message:    msg,
		Extensions: map[string]any{"code": string(apperr.BadUserInput)},
	}}})
}

// body is a response with `data` only when the operation ran.
type body struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func writeResponse(w http.ResponseWriter, status int, media string, resp *graphql.Response) {
	b, err := json.Marshal(body{Errors: resp.Errors, Data: resp.Data, Extensions: resp.Extensions})
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}
