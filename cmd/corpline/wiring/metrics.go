package wiring

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/corpline/corpline/internal/metrics"
	"github.com/corpline/corpline/internal/outbox"
)

// listenMetrics binds Config.MetricsAddr, when set: /metrics is served on a
// listener of its own, off the API's address.
func (m *Main) listenMetrics() error {
	if m.Config.MetricsAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", m.Config.MetricsAddr)
	if err != nil {
		return fmt.Errorf("listen %s for metrics: %w", m.Config.MetricsAddr, err)
	}
	m.metricsLn = ln
	return nil
}

// MetricsAddr is the bound address of /metrics after Open ("" without
// Config.MetricsAddr).
func (m *Main) MetricsAddr() string {
	if m.metricsLn == nil {
		return ""
	}
	return m.metricsLn.Addr().String()
}

// serveMetrics serves /metrics, with this process's database pool and
// outbox backlog, until the returned function stops it.
func (m *Main) serveMetrics() func() {
	if m.metricsLn == nil {
		return func() {}
	}
	client := m.DB.Client
	reg := metrics.NewRegistry(metrics.Source{
		DB:            m.DB.SQL,
		OutboxBacklog: func(ctx context.Context) (int, error) { return outbox.Backlog(ctx, client) },
	})
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler(reg))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(m.metricsLn)
	return func() { srv.Close() }
}
