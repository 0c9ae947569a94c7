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
	"time"

	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/apps"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/conversation"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/realtime"
	"github.com/corpline/corpline/internal/store"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 10 * time.Second

// Server is one corpline server process.
type Server struct {
	cfg      config.Config
	db       *store.DB
	auth     *auth.Service
	bus      realtime.Bus
	resolver *graph.Resolver
	log      *slog.Logger
	origins  *origins
	handler  http.Handler
	http     *http.Server
	ln       net.Listener

	// streams is the parent of every long-lived request (websocket, SSE):
	// it is cancelled when shutdown begins, so that they end at once while
	// ordinary requests run to completion.
	streams     context.Context
	stopStreams context.CancelFunc
}

// Option changes how New builds a server.
type Option func(*Server)

// WithLogger sends the server's logs to l (slog.Default otherwise).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// New wires a server over an open database.
func New(cfg config.Config, db *store.DB, opts ...Option) *Server {
	s := &Server{cfg: cfg, db: db, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	s.streams, s.stopStreams = context.WithCancel(context.Background())
	s.auth = auth.New(db.Client, auth.Options{TokenTTL: cfg.TokenTTL, Now: cfg.Now, LoginFailures: cfg.LoginFailures})
	// One process on SQLite: wake-ups stay in the process. The PostgreSQL
	// bus (LISTEN/NOTIFY between processes) replaces it in production.
	s.bus = realtime.NewLocal()
	s.resolver = &graph.Resolver{
		Client:    db.Client,
		Auth:      s.auth,
		Directory: directory.New(db.Client),
		Apps:      apps.New(db.Client),
		Messaging: messaging.New(db.Client, db.Dialect, s.bus, s.auth, messaging.Options{
			SendRate:       cfg.Messages.SendRate,
			SendBurst:      cfg.Messages.SendBurst,
			SlowSubscriber: cfg.Messages.SlowSubscriber,
			Now:            cfg.Now,
		}),
		Bus: s.bus,
	}
	s.resolver.Conversations = conversation.New(db.Client, s.auth, s.resolver.Messaging)
	s.origins = newOrigins(cfg.CORSOrigins)
	s.handler = s.routes()
	return s
}

// Handler is the server's HTTP handler, for in-process tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Auth is the server's authentication service.
func (s *Server) Auth() *auth.Service { return s.auth }

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
// accepting, ends websocket and SSE streams, and lets requests in flight
// finish (for up to shutdownGrace). Request contexts do not derive from ctx,
// or shutting down would cancel the very requests it waits for.
func (s *Server) Serve(ctx context.Context) error {
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
	s.log.Info("stopped")
	return err
}
