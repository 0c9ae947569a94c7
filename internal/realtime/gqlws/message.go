//lint:file-ignore ST1005 close reasons are graphql-transport-ws wording, which clients display as sent

package gqlws

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Message types of graphql-transport-ws.
const (
	typeConnectionInit = "connection_init"
	typeConnectionAck  = "connection_ack"
	typePing           = "ping"
	typePong           = "pong"
	typeSubscribe      = "subscribe"
	typeNext           = "next"
	typeError          = "error"
	typeComplete       = "complete"
)

// message is a client message, checked against the protocol's shapes.
type message struct {
	Type    string
	ID      string
	Payload json.RawMessage // absent, null or (for every type that has one) an object
}

// subscribePayload is the payload of a subscribe message.
type subscribePayload struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

// parse decodes one client message. Its error text becomes the reason of
// the 4400 close, so it says what was wrong without echoing the input.
func parse(data []byte) (message, error) {
	var raw struct {
		Type    *string         `json:"type"`
		ID      json.RawMessage `json:"id"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return message{}, errors.New("Invalid message received: not a JSON object")
	}
	if raw.Type == nil {
		return message{}, errors.New("Invalid message received: no type")
	}
	m := message{Type: *raw.Type, Payload: raw.Payload}
	if isNull(m.Payload) {
		m.Payload = nil
	}
	switch m.Type {
	case typeConnectionInit, typePing, typePong:
		if m.Payload != nil && !isObject(m.Payload) {
			return m, fmt.Errorf("Invalid message received: %s payload must be an object", m.Type)
		}
	case typeSubscribe, typeComplete:
		if err := json.Unmarshal(raw.ID, &m.ID); err != nil || m.ID == "" {
			return m, fmt.Errorf("Invalid message received: %s needs a non-empty string id", m.Type)
		}
		if m.Type == typeSubscribe && !isObject(m.Payload) {
			return m, errors.New("Invalid message received: subscribe payload must be an object")
		}
	case typeConnectionAck, typeNext, typeError:
		return m, fmt.Errorf("Invalid message received: %s is sent by servers only", m.Type)
	default:
		return m, errors.New("Invalid message received: unknown type")
	}
	return m, nil
}

// subscription decodes and checks a subscribe payload.
func (m message) subscription() (*subscribePayload, error) {
	var p struct {
		Query         *string         `json:"query"`
		OperationName json.RawMessage `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || p.Query == nil {
		return nil, errors.New("Invalid message received: subscribe payload needs a string query")
	}
	out := &subscribePayload{Query: *p.Query}
	if !isNull(p.OperationName) {
		if err := json.Unmarshal(p.OperationName, &out.OperationName); err != nil {
			return nil, errors.New("Invalid message received: operationName must be a string")
		}
	}
	for _, f := range []struct {
		raw  json.RawMessage
		into *map[string]any
		name string
	}{{p.Variables, &out.Variables, "variables"}, {p.Extensions, &out.Extensions, "extensions"}} {
		if isNull(f.raw) {
			continue
		}
		if !isObject(f.raw) {
			return nil, fmt.Errorf("Invalid message received: %s must be an object", f.name)
		}
		dec := json.NewDecoder(bytes.NewReader(f.raw))
		dec.UseNumber() // as gqlgen's HTTP transports decode variables
		if err := dec.Decode(f.into); err != nil {
			return nil, fmt.Errorf("Invalid message received: %s must be an object", f.name)
		}
	}
	return out, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

func isObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

// outgoing is a server message.
type outgoing struct {
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	Payload any    `json:"payload,omitempty"`
}

// closeReason fits a reason into a close frame (at most 123 bytes), whole
// runes only.
func closeReason(s string) string {
	const limit = 123
	if len(s) <= limit {
		return s
	}
	s = s[:limit]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
