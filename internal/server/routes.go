package server

import (
	"context"
	"net/http"
	"time"

	"github.com/corpline/corpline/internal/graphiql"
	"github.com/corpline/corpline/internal/metrics"
)

// routes maps the server's paths:
//
//	/graphql  GraphQL over HTTP (GET, POST), websocket and SSE
//	/healthz  the process is up
//	/readyz   the process can reach its database
//	/         GraphiQL (its files under /graphiql/), unless disabled
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", s.graphQLEndpoint(s.newGraphQL(s.cfg)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.ready)
	if s.cfg.GraphiQL {
		page := graphiql.Handler()
		mux.Handle("GET /{$}", page)
		mux.Handle("GET /graphiql/", page)
	}
	return s.withRequest(s.origins.cors.Handler(mux))
}

// graphQLEndpoint admits to the GraphQL handler only the methods it serves
// (PUT and DELETE for graphql-sse's single connection mode),
// and only websocket upgrades from allowed origins.
func (s *Server) graphQLEndpoint(gql http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method != http.MethodGet && r.Method != http.MethodPost && !isSSE(r):
			w.Header().Set("Allow", "GET, POST, PUT, DELETE")
			writeRequestError(w, http.StatusMethodNotAllowed, mediaJSON, "use GET or POST")
		case r.Header.Get("Upgrade") != "" && !s.origins.allowUpgrade(r):
			writeRequestError(w, http.StatusForbidden, mediaJSON, "origin not allowed")
		default:
			s.authenticate(gql).ServeHTTP(w, r.WithContext(metrics.WithTransport(r.Context(), transportOf(r))))
		}
	})
}

// transportOf names the transport r is served by, for metrics.
func transportOf(r *http.Request) string {
	switch {
	case r.Header.Get("Upgrade") != "":
		return metrics.WebSocket
	case isSSE(r):
		return metrics.SSE
	}
	return metrics.HTTP
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
