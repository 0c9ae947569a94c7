// Package wiring is corpline's composition root: Main builds the store (the
// ent client, with its data-layer hooks), the realtime bus, the domain
// services, the background jobs and the HTTP server, runs them and closes
// them. It is the only package that knows them all: the HTTP server
// (internal/server) knows HTTP and graph only, and the domain packages know
// no transport.
//
// The command (cmd/corpline) and the test harness (internal/apitest) start
// corpline through NewMain, so tests run what production runs. A second
// server on the same database is a second Main with its own store and bus,
// as a second `corpline serve` would be.
package wiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/apps"
	"github.com/corpline/corpline/internal/assignments"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/conversation"
	"github.com/corpline/corpline/internal/directory"
	"github.com/corpline/corpline/internal/invite"
	"github.com/corpline/corpline/internal/lifecycle"
	"github.com/corpline/corpline/internal/messaging"
	"github.com/corpline/corpline/internal/operator"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/server"
	"github.com/corpline/corpline/internal/store"
)

// Main is one corpline process. Its fields are set by Open.
type Main struct {
	Config config.Config
	Logger *slog.Logger

	DB     *store.DB
	Bus    bus.Bus
	Auth   *auth.Service
	Jobs   *Jobs
	Server *server.Server

	wrapDriver func(dialect.Driver) dialect.Driver
	closeBus   func() error
	closeOnce  sync.Once
	closeErr   error
}

// Option changes how NewMain builds a process.
type Option func(*Main)

// WithLogger sends the process's logs to l (slog.Default otherwise).
func WithLogger(l *slog.Logger) Option { return func(m *Main) { m.Logger = l } }

// WithDriver puts w around the database driver (tests count statements
// that way).
func WithDriver(w func(dialect.Driver) dialect.Driver) Option {
	return func(m *Main) { m.wrapDriver = w }
}

// NewMain returns a process for cfg; Open builds it, Run serves it, Close
// releases it.
func NewMain(cfg config.Config, opts ...Option) *Main {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Main{Config: cfg, Logger: slog.Default()}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Open opens and migrates the database at Config.DatabaseURL, builds
// everything over it, and binds Config.Addr. On error, what was opened is
// closed again.
func (m *Main) Open(ctx context.Context) error {
	if err := m.openStore(ctx); err != nil {
		return err
	}
	m.Bus, m.closeBus = newBus(m.DB)
	m.build()
	if err := m.Server.Listen(m.Config.Addr); err != nil {
		m.Close()
		return err
	}
	return nil
}

// openStore builds the ent client and registers its data-layer hooks, once
// per client: every transaction opened from it runs them.
func (m *Main) openStore(ctx context.Context) error {
	var opts []store.Option
	if m.wrapDriver != nil {
		opts = append(opts, store.WrapDriver(m.wrapDriver))
	}
	db, err := store.Open(m.Config.DatabaseURL, opts...)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	m.DB = db
	return nil
}

// build wires the domain services, the subscription runtime, the jobs and
// the HTTP server over the store and the bus.
func (m *Main) build() {
	cfg, client := m.Config, m.DB.Client
	lifecycle.Watch(client, m.Bus)
	m.Auth = auth.New(client, auth.Options{TokenTTL: cfg.TokenTTL, Now: cfg.Now, LoginFailures: cfg.LoginFailures})
	m.Auth.CacheViewers(m.Bus, auth.ViewerCacheTTL)
	hub := &live.Hub{
		Subscriber: m.Bus,
		Recheck:    m.Auth.Recheck,
		Options:    live.Options{Buffer: cfg.Realtime.Buffer, Stall: cfg.Messages.SlowSubscriber},
	}
	// Invite links name the server's public URL, known once it listens.
	invites := invite.New(client, func() string { return m.Server.PublicURL() })
	msgs := messaging.New(client, m.DB.Dialect, m.Bus, m.Auth, messaging.Options{
		SendRate:  cfg.Messages.SendRate,
		SendBurst: cfg.Messages.SendBurst,
		Live:      hub,
		Now:       cfg.Now,
	})
	resolver := &graph.Resolver{
		Client:        client,
		Auth:          m.Auth,
		Directory:     directory.New(client),
		Apps:          apps.New(client),
		Messaging:     msgs,
		Conversations: conversation.New(client, m.Auth, msgs),
		Assignments:   assignments.New(client, msgs),
		Publisher:     m.Bus,
		Invites:       invites,
		Lifecycle: lifecycle.New(client, m.Auth, invites, m.Bus, lifecycle.Options{
			Erasers: []lifecycle.Eraser{messaging.EraseMember},
		}),
		Operator: operator.New(client),
	}
	m.Jobs = newJobs(cfg, m.DB, m.Bus)
	m.Server = server.New(cfg, server.Deps{
		Resolver: resolver,
		Auth:     m.Auth,
		Ready:    m.DB.SQL.PingContext,
		Logger:   m.Logger,
	})
}

// newBus picks the realtime bus for the database: on PostgreSQL, any number
// of processes share it, so wake-ups travel through LISTEN/NOTIFY; SQLite
// is one process, and they stay in it.
func newBus(db *store.DB) (bus.Bus, func() error) {
	if db.Dialect == dialect.Postgres && db.URL != "" {
		pg := bus.NewPostgres(db.SQL, db.URL, bus.PostgresOptions{})
		return pg, pg.Close
	}
	return bus.NewLocal(), func() error { return nil }
}

// Run serves until ctx is done, with the background jobs, then shuts down
// gracefully (see server.Serve) and waits for the jobs to stop. Open must
// have succeeded.
func (m *Main) Run(ctx context.Context) error {
	jobs, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	m.Jobs.start(jobs)
	err := m.Server.Serve(ctx)
	stopJobs()
	m.Jobs.wait()
	return err
}

// Close releases the bus (and its database listener) and the database.
// It is safe to call more than once, and after a failed Open.
func (m *Main) Close() error {
	m.closeOnce.Do(func() {
		var errs []error
		if m.Server != nil {
			errs = append(errs, m.Server.Close())
		}
		if m.closeBus != nil {
			errs = append(errs, m.closeBus())
		}
		if m.DB != nil {
			errs = append(errs, m.DB.Close())
		}
		if err := errors.Join(errs...); err != nil {
			m.closeErr = fmt.Errorf("close: %w", err)
		}
	})
	return m.closeErr
}
