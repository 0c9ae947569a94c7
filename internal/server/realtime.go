package server

import (
	"context"
	"errors"
	"time"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/realtime/gqlws"
	"github.com/corpline/corpline/internal/realtime/live"
	"github.com/corpline/corpline/internal/request"
)

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
	v, err := s.auth.Authenticate(auth.Uncached(ctx), token)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return ctx, errors.New(ae.Message)
		}
		request.Logger(ctx).ErrorContext(ctx, "websocket init", "err", err)
		return ctx, errors.New("internal error")
	}
	return withViewer(ctx, v), nil
}

// Close ends the server's streams. Serve calls it on the way out.
func (s *Server) Close() error {
	s.stop()
	return nil
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
		s.log.Warn("websocket connections still open after shutdown")
	}
}

func keepAlive(cfg config.Config) time.Duration {
	if cfg.Realtime.KeepAlive > 0 {
		return cfg.Realtime.KeepAlive
	}
	return config.DefaultKeepAlive
}

func writeTimeout(cfg config.Config) time.Duration {
	if cfg.Realtime.WriteTimeout > 0 {
		return cfg.Realtime.WriteTimeout
	}
	return config.DefaultWriteTimeout
}
