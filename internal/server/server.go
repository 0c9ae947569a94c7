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
	"github.com/corpline/corpline/internal/apps"
	"github.com/corpline/corpline/internal/attendance"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/conversation"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/invite"
	"github.com/corpline/corpline/internal/leave"
	"github.com/corpline/corpline/internal/lifecycle"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/operator"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/store"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 10 * time.Second

// Server is one corpline server process.
type Server struct {
	cfg      config.Config
	db       *store.DB
	auth     *auth.Service
	bus      bus.Bus
	resolver *graph.Resolver
	jobs     *Jobs
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

	// closeBus stops the bus; conns counts open websocket connections
	// (see waitConns).
	closeBus  func() error
	conns     sync.WaitGroup
	closeOnce sync.Once
	hub       *live.Hub
}

// Option changes how New builds a server.
type Option func(*Server)

// WithLogger sends the server's logs to l (slog.Default otherwise).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// New wires a server over an open database.
func New(cfg config.Config, db *store.DB, opts ...Option) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, db: db, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	s.streams, s.stopStreams = context.WithCancel(context.Background())
	s.stopping, s.stop = s.streams, s.stopStreams
	s.auth = auth.New(db.Client, auth.Options{TokenTTL: cfg.TokenTTL, Now: cfg.Now, LoginFailures: cfg.LoginFailures})
	s.bus, s.closeBus = newBus(db)
	invites := invite.New(db.Client, s.publicURL)
	s.resolver = &graph.Resolver{
		Client:    db.Client,
		Auth:      s.auth,
		Directory: directory.New(db.Client),
		Apps:      apps.New(db.Client),
		Messaging: messaging.New(db.Client, db.Dialect, s.bus, s.auth, messaging.Options{
			SendRate:  cfg.Messages.SendRate,
			SendBurst: cfg.Messages.SendBurst,
			Live:      s.liveHub(),
			Now:       cfg.Now,
		}),
		Publisher: s.bus,
		Live:      s.liveHub(),
		Invites:   invites,
		Lifecycle: lifecycle.New(db.Client, s.auth, invites, s.bus, lifecycle.Options{
			Now:     cfg.Now,
			Erasers: []lifecycle.Eraser{messaging.EraseMember},
		}),
		Operator: operator.New(db.Client),
	}
	s.resolver.Conversations = conversation.New(db.Client, s.auth, s.resolver.Messaging)
	s.resolver.Attendance = attendance.New(db.Client)
	s.resolver.Leave = leave.New(db.Client, s.resolver.Attendance)
	lifecycle.Watch(db.Client, s.bus)
	s.jobs = newJobs(cfg, db, s.bus)
	s.origins = newOrigins(cfg.CORSOrigins)
	s.handler = s.routes()
	return s
}

// publicURL is where clients reach the server, for invite links.
func (s *Server) publicURL() string {
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

// Jobs are the server's background jobs, which tests run by hand.
func (s *Server) Jobs() *Jobs { return s.jobs }

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
// accepting, ends websocket (close 1001) and SSE streams, lets requests in
// flight finish (for up to shutdownGrace), stops the background jobs and the
// realtime bus. Request contexts do not derive from ctx, or shutting down
// would cancel the very requests it waits for.
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
	s.jobs.start(ctx)
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
	s.jobs.wait()
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	s.waitConns(shutdownGrace)
	s.log.Info("stopped")
	return err
}
