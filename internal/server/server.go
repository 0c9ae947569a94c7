// Package server is corpline's HTTP server: GraphQL over HTTP, websocket and
// SSE at /graphql, health checks, GraphiQL, CORS and TLS.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/viewer"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 10 * time.Second

// Authenticator turns a bearer token (or a websocket's authToken) into the
// viewer it stands for (auth.Service).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*viewer.Viewer, error)
}

// Deps is what the server serves, built by the composition root
// (cmd/corpline/wiring): the server itself builds no domain service.
type Deps struct {
	// Resolver holds the domain services the GraphQL schema resolves with;
	// its Client opens each mutation's transaction.
	Resolver *graph.Resolver
	// Auth authenticates every request and websocket connection.
	Auth Authenticator
	// Ready reports whether the database answers, for /readyz.
	Ready func(ctx context.Context) error
	// Logger receives the server's logs (slog.Default when nil).
	Logger *slog.Logger
}

// Server is corpline's HTTP server.
type Server struct {
	cfg      config.Config
	auth     Authenticator
	resolver *graph.Resolver
	readyz   func(ctx context.Context) error
	log      *slog.Logger
	origins  *origins
	handler  http.Handler
	http     *http.Server
	ln       net.Listener

	// streams is the parent of every long-lived request (websocket, SSE):
	// it is cancelled when shutdown begins, so that they end at once while
	// ordinary requests run to completion. stopping and stop are the same,
	// under the names the websocket transport and Close use.
	streams     context.Context
	stopStreams context.CancelFunc
	stopping    context.Context
	stop        context.CancelFunc

	// conns counts open websocket connections (see waitConns).
	conns sync.WaitGroup
}

// New builds the HTTP server over what d holds.
func New(cfg config.Config, d Deps) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, auth: d.Auth, resolver: d.Resolver, readyz: d.Ready, log: d.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.streams, s.stopStreams = context.WithCancel(context.Background())
	s.stopping, s.stop = s.streams, s.stopStreams
	s.origins = newOrigins(cfg.CORSOrigins)
	s.handler = s.routes()
	return s
}

// PublicURL is where clients reach the server, for invite links: the
// configured public URL, else the bound address.
func (s *Server) PublicURL() string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if s.cfg.TLSCert != "" {
		scheme = "https"
	}
	if s.ln != nil {
		return scheme + "://" + s.ln.Addr().String()
	}
	return scheme + "://" + s.cfg.Addr
}

// Handler is the server's HTTP handler, for in-process tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Listen binds the server's address (":0" picks a free port).
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	s.ln = ln
	return nil
}

// Addr is the bound address, after Listen.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve serves until ctx is done, then shuts down gracefully: it stops
// accepting, ends websocket (close 1001) and SSE streams, lets requests in
// flight finish (for up to shutdownGrace) and waits for websocket
// connections to close. Request contexts do not derive from ctx, or shutting
// down would cancel the very requests it waits for.
func (s *Server) Serve(ctx context.Context) error {
	defer s.Close()
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
	s.http.RegisterOnShutdown(s.stopStreams)
	errc := make(chan error, 1)
	go func() {
		var err error
		if s.cfg.TLSCert != "" {
			err = s.http.ServeTLS(s.ln, s.cfg.TLSCert, s.cfg.TLSKey)
		} else {
			err = s.http.Serve(s.ln)
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		s.stopStreams()
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	s.waitConns(shutdownGrace)
	s.log.Info("stopped")
	return err
}
