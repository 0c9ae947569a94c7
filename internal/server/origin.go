package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rs/cors"
)

// origins decides which browser origins may use the API, from the
// --cors-origins allow-list, for CORS requests and websocket upgrades alike:
//
//   - empty: the server's own origin only (GraphiQL at / works, other sites do not);
//   - "https://app.example.com": that origin (scheme, host and port);
//   - "https://*.example.com": its subdomains (rs/cors's syntax);
//   - "*": every origin.
//
// Requests without an Origin header (servers, mobile apps, curl) are not
// browsers and pass.
type origins struct {
	cors *cors.Cors
}

func newOrigins(list []string) *origins {
	opts := cors.Options{
		AllowedOrigins: list,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id"},
		MaxAge:         600,
	}
	if len(list) == 0 {
		// rs/cors reads an empty list as "every origin"; ours means none.
		opts.AllowOriginFunc = func(string) bool { return false }
	}
	return &origins{cors: cors.New(opts)}
}

// allowUpgrade reports whether a websocket upgrade may proceed. Browsers do
// not apply CORS to websockets, so the server must: otherwise any site a
// signed-in user visits could open a subscription with their token.
func (o *origins) allowUpgrade(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if u, err := url.Parse(origin); err == nil && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return o.cors.OriginAllowed(r)
}
