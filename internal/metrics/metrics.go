// Package metrics is what a corpline process tells Prometheus: GraphQL
// requests by operation and outcome with their latency, open subscriptions,
// subscription events delivered and dropped, realtime fan-out latency, the
// callback outbox's backlog and attempts, the database pool, and background
// job runs. The README lists every metric.
//
// The collectors are package variables, as Prometheus instrumentation
// usually is, so that the packages that count (live, outbox, the jobs) need
// no wiring; each server exposes them with its own database's collectors on
// its own registry (NewRegistry). Several servers in one process (tests)
// share the counters, which is why tests read differences.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "corpline"

// Buckets for request and delivery latencies: 1 ms to 10 s.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

var (
	// Requests is every GraphQL operation other than a subscription's
	// events: its latency from the request's read to its response, by
	// operation name, type and outcome ("ok" or the first error's code).
	Requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "graphql_request_duration_seconds",
		Help:    "GraphQL operations (queries, mutations, the start of subscriptions) by operation name, type and outcome (ok or the first error's code), and their latency.",
		Buckets: latencyBuckets,
	}, []string{"operation", "type", "outcome"})

	// SubscriptionsOpen counts running subscriptions by transport.
	SubscriptionsOpen = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "subscriptions_open",
		Help: "Subscriptions running now, by transport (websocket, sse).",
	}, []string{"transport"})

	// EventsDelivered counts subscription events handed to a transport.
	EventsDelivered = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "subscription_events_delivered_total",
		Help: "Subscription events sent to clients, by transport.",
	}, []string{"transport"})

	// EventsDropped counts events a subscription never delivered because
	// its client fell too far behind (it resumes by cursor).
	EventsDropped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "subscription_events_dropped_total",
		Help: "Subscription events dropped, by reason (slow_consumer: the client's buffer stayed full; it resumes by cursor).",
	}, []string{"reason"})

	// SlowSubscribers counts subscriptions closed for falling behind.
	SlowSubscribers = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "subscriptions_slow_closed_total",
		Help: "Subscriptions closed with SLOW_CONSUMER because their client fell too far behind.",
	})

	// Fanout is the time from a realtime wake-up reaching a subscription to
	// its event being queued for the client.
	Fanout = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "realtime_fanout_seconds",
		Help:    "Time from a wake-up reaching a subscription to the event it caused being queued for the client.",
		Buckets: latencyBuckets,
	})

	// Callbacks counts attempts to deliver callbacks to enterprises'
	// systems, by outcome (delivered, failed: retried later, expired).
	Callbacks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "outbox_attempts_total",
		Help: "Callback deliveries attempted, by outcome (delivered; failed, to be retried; expired, given up).",
	}, []string{"outcome"})

	// Jobs counts background job runs by job and outcome (ok, error).
	Jobs = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "job_duration_seconds",
		Help:    "Background job runs (outbox, trial_reclaim) by outcome (ok, error), and how long each took.",
		Buckets: latencyBuckets,
	}, []string{"job", "outcome"})
)

var shared = []prometheus.Collector{Requests, SubscriptionsOpen, EventsDelivered, EventsDropped, SlowSubscribers, Fanout, Callbacks, Jobs}

// Source is what one server adds to the shared collectors.
type Source struct {
	DB *sql.DB
	// OutboxBacklog counts the callbacks waiting to be delivered; it runs
	// at each scrape.
	OutboxBacklog func(context.Context) (int, error)
}

// NewRegistry gathers the shared collectors, the Go runtime's and src's.
func NewRegistry(src Source) *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(shared...)
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.DB != nil {
		r.MustRegister(collectors.NewDBStatsCollector(src.DB, "corpline"))
	}
	if src.OutboxBacklog != nil {
		r.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "outbox_backlog",
			Help: "Callbacks waiting to be delivered (counted at each scrape; -1 when the count failed).",
		}, func() float64 {
			n, err := src.OutboxBacklog(context.Background())
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
	return r
}

// Handler serves r in Prometheus's text format.
func Handler(r *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(r, promhttp.HandlerOpts{Registry: r})
}

// Transports a request can arrive by.
const (
	HTTP      = "http"
	WebSocket = "websocket"
	SSE       = "sse"
)

type transportKey struct{}

// WithTransport records in ctx the transport its request came by.
func WithTransport(ctx context.Context, transport string) context.Context {
	return context.WithValue(ctx, transportKey{}, transport)
}

// TransportOf is the transport recorded by WithTransport ("http" if none).
func TransportOf(ctx context.Context) string {
	if t, ok := ctx.Value(transportKey{}).(string); ok {
		return t
	}
	return HTTP
}

// maxOperations bounds how many operation names get series of their own:
// clients choose the names, and each name costs memory for the process's
// life. Past the bound, operations count as "other".
const maxOperations = 500

var operations = struct {
	sync.Mutex
	seen map[string]bool
}{seen: map[string]bool{}}

// operationLabel is the label of an operation name: "anonymous", the name
// itself, or "other" past maxOperations names or for a name that is no
// GraphQL name.
func operationLabel(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !validName(name) {
		return "other"
	}
	operations.Lock()
	defer operations.Unlock()
	if operations.seen[name] {
		return name
	}
	if len(operations.seen) >= maxOperations {
		return "other"
	}
	operations.seen[name] = true
	return name
}

// validName reports whether s is a GraphQL name of at most 100 bytes.
func validName(s string) bool {
	if len(s) > 100 {
		return false
	}
	for i, c := range s {
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// ObserveJob records one run of job that started at start and ended with
// *err: call it deferred, with the address of the run's named error.
func ObserveJob(job string, start time.Time, err *error) {
	outcome := "ok"
	if *err != nil {
		outcome = "error"
	}
	Jobs.WithLabelValues(job, outcome).Observe(time.Since(start).Seconds())
}
