package server

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/realtime/gqlws"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/store"
)

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

// Bus is the server's realtime bus.
func (s *Server) Bus() bus.Bus { return s.bus }

// liveHub is what subscriptions run on: the bus, and the re-check of their
// viewer at every wake-up. There is one per server.
func (s *Server) liveHub() *live.Hub {
	if s.hub == nil {
		s.hub = &live.Hub{
			Subscriber: s.bus,
			Recheck:    s.auth.Recheck,
			Options:    live.Options{Buffer: s.cfg.Realtime.Buffer, Stall: s.cfg.Messages.SlowSubscriber},
		}
	}
	return s.hub
}

// websocketTransport serves subscriptions (and any operation) over
// graphql-transport-ws, authenticated by connection_init's authToken.
func (s *Server) websocketTransport() gqlws.Transport {
	return gqlws.Transport{
		Init:         s.websocketInit,
		InitTimeout:  s.cfg.Realtime.InitTimeout,
		KeepAlive:    s.cfg.Realtime.KeepAlive,
		WriteTimeout: s.cfg.Realtime.WriteTimeout,
		ReadLimit:    s.cfg.Limits.BodyBytes,
		Revoked:      live.Revoked,
		Pusher: func(ctx context.Context) (context.Context, gqlws.Pusher) {
			return live.NewPump(ctx)
		},
		Conns:    &s.conns,
		Shutdown: s.stopping,
	}
}

// websocketInit authenticates a subscription connection from the authToken
// of its connection_init payload, through the same function as HTTP. Its
// error text becomes the 4403 close reason, so only safe messages pass.
func (s *Server) websocketInit(ctx context.Context, p map[string]any) (context.Context, error) {
	token, _ := p["authToken"].(string)
	ctx = clock.NewContext(ctx, s.cfg.Now)
	v, err := s.auth.Authenticate(ctx, token)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return ctx, errors.New(ae.Message)
		}
		slog.ErrorContext(ctx, "websocket init", "err", err)
		return ctx, errors.New("internal error")
	}
	return withViewer(ctx, v), nil
}

// Close releases what the server holds besides its listener: the realtime
// bus and its database listener. Serve calls it on the way out.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.stop()
		err = s.closeBus()
	})
	return err
}

// waitConns waits for websocket connections to finish closing after a
// shutdown (http.Server.Shutdown does not track hijacked connections).
func (s *Server) waitConns(limit time.Duration) {
	done := make(chan struct{})
	go func() {
		s.conns.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(limit):
		slog.Warn("websocket connections still open after shutdown")
	}
}

func keepAlive(cfg config.Config) time.Duration {
	if cfg.Realtime.KeepAlive > 0 {
		return cfg.Realtime.KeepAlive
	}
	return 15 * time.Second
}

func writeTimeout(cfg config.Config) time.Duration {
	if cfg.Realtime.WriteTimeout > 0 {
		return cfg.Realtime.WriteTimeout
	}
	return 10 * time.Second
}
