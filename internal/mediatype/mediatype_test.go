package mediatype

import "testing"

func TestNegotiatePrefersTheHighestQThenTheFirstListed(t *testing.T) {
	offers := []string{JSON, GraphQLResponse, EventStream}
	for _, c := range []struct {
		accept []string
		want   string
	}{
		{nil, JSON},
		{[]string{""}, JSON},
		{[]string{"*/*"}, JSON},
		{[]string{"application/*"}, JSON},
		{[]string{"text/*"}, EventStream},
		{[]string{"text/event-stream"}, EventStream},
		// urql lists the event stream after three JSON types.
		{[]string{"application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed"}, GraphQLResponse},
		{[]string{"text/event-stream, application/json"}, EventStream},
		{[]string{"application/json, text/event-stream"}, JSON},
		{[]string{"application/json;q=0.5, text/event-stream"}, EventStream},
		{[]string{"text/event-stream;q=0.2", "application/graphql-response+json;q=0.9"}, GraphQLResponse},
		{[]string{"application/json; charset=latin1, text/event-stream;q=0.1"}, EventStream},
		{[]string{"image/png"}, ""},
		{[]string{"application/json;q=nope"}, ""},
	} {
		got, ok := Negotiate(c.accept, offers...)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Accept %q: got %q (%v), want %q", c.accept, got, ok, c.want)
		}
	}
}
