// Package mediatype picks the media type of a response from the Accept
// headers of its request, as GraphQL over HTTP, server-sent events and
// multipart responses share one endpoint: the type the client prefers
// wins, by q-value and then by the order the client listed its types in.
package mediatype

import (
	"mime"
	"strconv"
	"strings"
)

// Media types of the GraphQL endpoint.
const (
	JSON            = "application/json"
	GraphQLResponse = "application/graphql-response+json"
	EventStream     = "text/event-stream"
)

// Negotiate returns the offer that the Accept headers prefer: the one with
// the highest q, the first listed on a tie. A wildcard (*/* or type/*)
// stands for the first offer it matches; a type with a charset other than
// UTF-8 matches nothing; no Accept header at all means the first offer.
// It reports false when no offer is acceptable.
func Negotiate(accept []string, offers ...string) (string, bool) {
	if len(accept) == 0 || strings.TrimSpace(strings.Join(accept, "")) == "" {
		return offers[0], len(offers) > 0
	}
	best, bestQ := "", 0.0
	for _, h := range accept {
		for part := range strings.SplitSeq(h, ",") {
			mt, p, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			if cs, ok := p["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
				continue
			}
			q := 1.0
			if s, ok := p["q"]; ok {
				if q, err = strconv.ParseFloat(s, 64); err != nil || q < 0 || q > 1 {
					continue
				}
			}
			if m := match(mt, offers); m != "" && q > bestQ {
				best, bestQ = m, q
			}
		}
	}
	return best, best != ""
}

// match is the first offer that media type mt (maybe a wildcard) covers.
func match(mt string, offers []string) string {
	for _, o := range offers {
		if mt == o || mt == "*/*" || (strings.HasSuffix(mt, "/*") && strings.HasPrefix(o, strings.TrimSuffix(mt, "*"))) {
			return o
		}
	}
	return ""
}
