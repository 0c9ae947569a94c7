package server

import (
	"context"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
)

// routes maps the server's paths:
//
//	/graphql  GraphQL over HTTP (GET, POST), websocket and SSE
//	/healthz  the process is up
//	/readyz   the process can reach its database
//	/         GraphiQL, unless disabled
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", s.graphQLEndpoint(sseDeadlines(writeTimeout(s.cfg), s.newGraphQL(s.cfg))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.ready)
	if s.cfg.GraphiQL {
		mux.Handle("GET /{$}", playground.Handler("corpline", "/graphql"))
	}
	return s.withRequest(s.origins.cors.Handler(mux))
}

// graphQLEndpoint admits to the GraphQL handler only the methods it serves,
// and only websocket upgrades from allowed origins.
func (s *Server) graphQLEndpoint(gql http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method != http.MethodGet && r.Method != http.MethodPost:
			w.Header().Set("Allow", "GET, POST")
			writeRequestError(w, http.StatusMethodNotAllowed, mediaJSON, "use GET or POST")
		case r.Header.Get("Upgrade") != "" && !s.origins.allowUpgrade(r):
			writeRequestError(w, http.StatusForbidden, mediaJSON, "origin not allowed")
		default:
			s.authenticate(gql).ServeHTTP(w, r)
		}
	})
}

// ready answers 503 when the database does not answer within 2 seconds.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.readyz(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}
