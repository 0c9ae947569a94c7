package bus

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"github.com/corpline/corpline/internal/request"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
)

// PostgresChannel is the LISTEN/NOTIFY channel every corpline process of one
// database listens on.
const PostgresChannel = "corpline_wake"

// maxPayload keeps each NOTIFY under PostgreSQL's limit of 8,000 bytes.
const maxPayload = 7900

// PostgresOptions tune a Postgres bus; zero values take the defaults.
type PostgresOptions struct {
	// Window is how long topics published on this process are gathered into
	// one batch of NOTIFYs (default 2ms). Every commit carrying a NOTIFY takes
	// a database-wide lock, so a fan-out to 10,000 members must not become
	// 10,000 commits.
	Window time.Duration
	// MinReconnect and MaxReconnect bound the listener's reconnect backoff
	// (defaults 50ms and 2s).
	MinReconnect, MaxReconnect time.Duration
}

// Postgres is the Bus of processes sharing one PostgreSQL database.
//
// Subscribers on this process are woken at once, in process. Other processes
// are woken through LISTEN/NOTIFY, which is a wake-up only: delivery is at
// most once and a listener that reconnects has missed whatever was sent
// meanwhile, so after every (re)connect it wakes all its local subscribers,
// and they catch up from the database by cursor.
type Postgres struct {
	local    *Local
	db       *sql.DB
	listener *pq.Listener
	id       string // tells this process's own notifications apart
	opts     PostgresOptions

	mu      sync.Mutex
	pending []string
	queued  map[string]struct{}
	kick    chan struct{}
	stop    chan struct{}
	ready   chan struct{}
	wg      sync.WaitGroup
	closing sync.Once

	batches, notifies, reconnects atomic.Int64
}

// NewPostgres starts a bus that sends NOTIFYs through db and listens on its
// own connection to url. It never blocks on the database: the listener
// connects (and reconnects) in the background, and wakes every local
// subscriber once it is listening, so nothing published meanwhile is missed.
// Close stops it.
func NewPostgres(db *sql.DB, url string, o PostgresOptions) *Postgres {
	if o.Window <= 0 {
		o.Window = 2 * time.Millisecond
	}
	if o.MinReconnect <= 0 {
		o.MinReconnect = 50 * time.Millisecond
	}
	if o.MaxReconnect < o.MinReconnect {
		o.MaxReconnect = max(2*time.Second, o.MinReconnect)
	}
	b := make([]byte, 8)
	rand.Read(b)
	p := &Postgres{
		local:  NewLocal(),
		db:     db,
		id:     hex.EncodeToString(b),
		opts:   o,
		queued: map[string]struct{}{},
		kick:   make(chan struct{}, 1),
		stop:   make(chan struct{}),
		ready:  make(chan struct{}),
	}
	p.listener = pq.NewListener(url, o.MinReconnect, o.MaxReconnect, p.event)
	p.wg.Add(3)
	go p.listen()
	go p.receive()
	go p.flusher()
	return p
}

// Subscribe follows topic on this process; see Bus.
func (p *Postgres) Subscribe(topic string) (<-chan struct{}, func()) {
	return p.local.Subscribe(topic)
}

// SubscribeFunc follows topic on this process; see Bus.
func (p *Postgres) SubscribeFunc(topic string, wake func()) func() {
	return p.local.SubscribeFunc(topic, wake)
}

// Publish wakes the subscribers of topics on this process at once, and queues
// the topics for the next NOTIFY batch to the other processes. It never
// blocks on the database.
func (p *Postgres) Publish(ctx context.Context, topics ...string) error {
	p.local.Publish(ctx, topics...)
	p.mu.Lock()
	for _, t := range topics {
		if _, dup := p.queued[t]; dup {
			continue
		}
		if len(t) == 0 || len(t)+len(p.id)+1 > maxPayload || strings.ContainsRune(t, ' ') {
			request.Logger(ctx).ErrorContext(ctx, "realtime: topic cannot be sent to other processes", "topic", t)
			continue
		}
		p.queued[t] = struct{}{}
		p.pending = append(p.pending, t)
	}
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
	return nil
}

// Ready is closed once the listener first listens. Tests and benchmarks wait
// for it; the server need not, as the first connect wakes everyone anyway.
func (p *Postgres) Ready() <-chan struct{} { return p.ready }

// Subscribers counts the open subscriptions on this process.
func (p *Postgres) Subscribers() int { return p.local.Subscribers() }

// PostgresStats count what a Postgres bus did, for tests and benchmarks.
type PostgresStats struct {
	Batches    int64 // flushes that sent at least one NOTIFY
	Notifies   int64 // NOTIFYs sent
	Reconnects int64 // times the listener came back after losing its connection
}

// Stats returns the counters so far.
func (p *Postgres) Stats() PostgresStats {
	return PostgresStats{Batches: p.batches.Load(), Notifies: p.notifies.Load(), Reconnects: p.reconnects.Load()}
}

// Close sends what is still queued, stops listening and waits for the bus's
// goroutines to end.
func (p *Postgres) Close() error {
	p.closing.Do(func() {
		close(p.stop)
		_ = p.listener.Close()
	})
	p.wg.Wait()
	return nil
}

// listen issues the LISTEN; pq.Listener blocks until its first connection.
func (p *Postgres) listen() {
	defer p.wg.Done()
	err := p.listener.Listen(PostgresChannel)
	if errors.Is(err, net.ErrClosed) {
		return
	}
	if err != nil {
		slog.Error("realtime: LISTEN failed; other processes cannot wake this one", "err", err)
		return
	}
	close(p.ready)
	p.local.WakeAll()
}

// receive turns notifications of other processes into local wake-ups. pq
// sends nil after a reconnect: anything may have been missed, so everyone
// wakes. It runs until Close, which closes the channel; draining it to the
// end is also what lets pq's own goroutine exit.
func (p *Postgres) receive() {
	defer p.wg.Done()
	for n := range p.listener.Notify {
		if n == nil {
			p.local.WakeAll()
			continue
		}
		from, topics, _ := strings.Cut(n.Extra, " ")
		if from == p.id || topics == "" {
			continue // this process woke its own subscribers when it published
		}
		p.local.Publish(context.Background(), strings.Fields(topics)...)
	}
}

// event logs the listener's connection changes.
func (p *Postgres) event(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventReconnected:
		p.reconnects.Add(1)
		slog.Info("realtime: listener reconnected; waking every subscriber to catch up")
	case pq.ListenerEventDisconnected:
		slog.Warn("realtime: listener lost its connection; reconnecting", "err", err)
	case pq.ListenerEventConnectionAttemptFailed:
		slog.Warn("realtime: listener could not connect; retrying", "err", err)
	}
}

// flusher sends the queued topics: it waits for a first publish, gathers
// for one window, then sends everything queued as one batch.
func (p *Postgres) flusher() {
	defer p.wg.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-p.stop:
			p.flush()
			return
		case <-p.kick:
		}
		timer.Reset(p.opts.Window)
		select {
		case <-timer.C:
		case <-p.stop:
			timer.Stop()
			p.flush()
			return
		}
		p.flush()
	}
}

func (p *Postgres) flush() {
	p.mu.Lock()
	topics := p.pending
	p.pending = nil
	clear(p.queued)
	p.mu.Unlock()
	if len(topics) == 0 {
		return
	}
	payloads := chunk(p.id, topics)
	// One statement, so one transaction and one commit for the whole batch,
	// outside every request's transaction.
	const q = `SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`
	var err error
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = p.db.ExecContext(ctx, q, PostgresChannel, pq.StringArray(payloads))
		cancel()
		if err == nil {
			p.batches.Add(1)
			p.notifies.Add(int64(len(payloads)))
			return
		}
		if attempt == 2 || p.stopping() {
			break
		}
		time.Sleep(time.Duration(50<<attempt) * time.Millisecond)
	}
	slog.Error("realtime: NOTIFY failed; other processes catch up on their next wake-up",
		"err", err, "topics", len(topics))
}

func (p *Postgres) stopping() bool {
	select {
	case <-p.stop:
		return true
	default:
		return false
	}
}

// chunk packs topics into payloads "<sender> <topic> <topic> ..." under the
// NOTIFY size limit.
func chunk(sender string, topics []string) []string {
	var out []string
	var b strings.Builder
	for _, t := range topics {
		if b.Len() > 0 && b.Len()+1+len(t) > maxPayload {
			out = append(out, b.String())
			b.Reset()
		}
		if b.Len() == 0 {
			b.WriteString(sender)
		}
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}
