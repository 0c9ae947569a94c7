// Package server is corpline's HTTP server: GraphQL over HTTP, websocket and
// SSE at /graphql, health checks, GraphiQL, CORS and TLS.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"

	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/apps"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/conversation"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/realtime"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/viewer"
)

// Server is one corpline server process.
type Server struct {
	cfg      config.Config
	db       *store.DB
	auth     *auth.Service
	bus      realtime.Bus
	resolver *graph.Resolver
	handler  http.Handler
	http     *http.Server
	ln       net.Listener
}

// New wires a server over an open database.
func New(cfg config.Config, db *store.DB) *Server {
	s := &Server{cfg: cfg, db: db}
	s.auth = auth.New(db.Client, auth.Options{TokenTTL: cfg.TokenTTL})
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
		}),
		Bus: s.bus,
	}
	s.resolver.Conversations = conversation.New(db.Client, s.auth, s.resolver.Messaging)
	s.handler = s.routes()
	return s
}

// Handler is the server's HTTP handler, for in-process tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Auth is the server's authentication service.
func (s *Server) Auth() *auth.Service { return s.auth }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	gql := s.newGraphQL(s.cfg)
	mux.Handle("/graphql", s.withRequest(gql))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.db.SQL.PingContext(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	if s.cfg.GraphiQL {
		mux.Handle("GET /{$}", playground.Handler("corpline", "/graphql"))
	}
	c := cors.New(cors.Options{
		AllowedOrigins:   s.cfg.CORSOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "Accept", "X-Request-Id"},
		AllowCredentials: false,
		MaxAge:           600,
	})
	return c.Handler(mux)
}

// withRequest gives each request an id, its client address, a body limit
// and its viewer (from the bearer token).
func (s *Server) withRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		ctx := graph.WithRequestID(r.Context(), id)
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		ctx = graph.WithClientAddr(ctx, host)
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.BodyBytes)
		}
		if r.ContentLength > s.cfg.Limits.BodyBytes {
			writeTooLarge(w, s.cfg.Limits.BodyBytes)
			return
		}
		ctx = viewer.WithSlot(ctx)
		if token, ok := bearer(r); ok {
			v, err := s.auth.Authenticate(ctx, token)
			if err != nil {
				ctx = graph.WithAuthError(ctx, err)
			} else {
				ctx = withViewer(ctx, v)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func withViewer(ctx context.Context, v *viewer.Viewer) context.Context {
	return viewer.NewContext(ctx, v)
}

func writeTooLarge(w http.ResponseWriter, limit int64) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	fmt.Fprintf(w, `{"errors":[{"message":"request body is larger than %d bytes","extensions":{"code":"BAD_USER_INPUT"}}]}`, limit)
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

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

// Serve serves until ctx is done, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context) error {
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
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
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}
