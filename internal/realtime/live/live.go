// Package live runs GraphQL subscriptions over the realtime bus, the same
// way for every subscription:
//
//   - it follows the bus before it reads, so nothing committed between the
//     replay and the live part is missed (no gap), and reads by cursor, so
//     nothing is sent twice (no duplicate);
//   - every wake-up of the viewer's member or enterprise topic re-checks the
//     viewer (session and member, see auth.Recheck): a disabled member's
//     subscription ends at once, and a transferred one reads with its new
//     departments; wake-ups of the data's own topics (Source.Topics) only
//     read, so a message to 10,000 members does not reload 10,000 viewers;
//   - each subscriber has a bounded buffer, and its own goroutine reading
//     the database, so a slow client holds back nobody else; a client whose
//     buffer stays full ends with SLOW_CONSUMER and the cursor to resume
//     from;
//   - the end reason reaches the client as the last response (see Extension).
package live

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// Options bound subscriptions; zero values take the defaults.
type Options struct {
	// Buffer is how many events wait for a client that has not taken them
	// (default config.DefaultBuffer: it bounds a client that fell behind, the database holds
	// the rest, and an idle subscription holds it too).
	Buffer int
	// Stall is how long a full buffer may stay full before the subscription
	// ends with SLOW_CONSUMER (default config.DefaultSlowSubscriber).
	Stall time.Duration
	// Page is how many events one read of the database asks for (default 100).
	Page int
	// Quiet is how often a quiet subscription wakes by itself, to re-check
	// its viewer (a session expires without any event) and read what a lost
	// wake-up would have announced (default 5m, with jitter).
	Quiet time.Duration
}

// Hub holds what every subscription needs.
type Hub struct {
	Subscriber bus.Subscriber
	// Recheck returns the viewer as it is now, or UNAUTHENTICATED when it
	// may no longer read (auth.Service.Recheck).
	Recheck func(ctx context.Context, v *viewer.Viewer) (*viewer.Viewer, error)
	Options
}

// Source is one subscription's data.
type Source[T any] struct {
	// After is the cursor the subscription starts after, reported as the
	// resume point when the client falls behind before receiving anything.
	After string
	// Topics wake the stream to read (a data change), besides the viewer's
	// member and enterprise topics, which it always follows and which make
	// it re-check the viewer first (an access change).
	Topics []string
	// Fetch reads at most limit events after the last one it returned (it
	// keeps its own position), as the viewer in ctx may see them; more says
	// the database may hold more right away.
	Fetch func(ctx context.Context, limit int) (events []T, more bool, err error)
	// Cursor is the cursor of an event, to resume after it (optional: the
	// SLOW_CONSUMER error then carries none).
	Cursor func(T) string
	// Closed, when set, turns the end of the stream into a last event of
	// its own (in band) instead of an error response. Events still buffered
	// make way for it: the client resumes from the last one it got.
	Closed func(err error) T
}

// Run starts a subscription for the viewer of ctx and returns its channel,
// which closes when ctx ends or the subscription does (the reason, if any,
// goes to the client through Extension). It replays from Fetch first, then
// follows the bus.
//
// An idle subscription holds no goroutine: a wake-up starts one, which
// re-checks, reads and queues, then ends. Idle subscriptions are the common
// case, 10,000 of them on one process.
func Run[T any](ctx context.Context, h *Hub, src Source[T]) (<-chan T, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apperr.ErrUnauthenticated
	}
	access := []string{bus.EnterpriseTopic(v.EnterpriseID)}
	if v.MemberID != "" {
		access = append(access, bus.MemberTopic(v.MemberID))
	}
	s := &stream[T]{h: h, src: src, ctx: ctx, v: v, cursor: src.After,
		out:  make(chan T, orDefault(h.Buffer, config.DefaultBuffer)),
		poke: make(chan struct{}, 1),
		// Until the replay starts, wake-ups only mark the stream stale.
		running: true,
	}
	// Follow first, read second: a commit between the two still wakes us.
	for _, t := range access {
		s.stops = append(s.stops, h.Subscriber.SubscribeFunc(t, s.wakeAccess))
	}
	for _, t := range src.Topics {
		s.stops = append(s.stops, h.Subscriber.SubscribeFunc(t, s.wake))
	}
	if !s.recheck(false) {
		s.unsubscribe()
		return nil, s.err
	}
	if s.pump = pumpOf(ctx); s.pump != nil {
		s.pump.claim(s.ready)
	}
	s.mu.Lock()
	s.stale = true
	s.unchecked = false // (unless woken meanwhile)
	s.timer = time.AfterFunc(s.quiet(), s.tick)
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, s.cancelled)
	s.mu.Lock()
	s.stopCtx = stop
	s.mu.Unlock()
	go s.work()
	return s.out, nil
}

type stream[T any] struct {
	h     *Hub
	src   Source[T]
	ctx   context.Context // the subscription's: ends when the client leaves
	read  context.Context // ctx with the viewer as last re-checked
	v     *viewer.Viewer
	out   chan T
	poke  chan struct{} // a wake-up while the worker waits on the client
	stops []func()
	// pump, when the transport has one, delivers from out (see Pump);
	// closed says out is closed, for it.
	pump   *Pump
	closed atomic.Bool

	mu sync.Mutex
	// running says a worker goroutine is at work; stale that the database
	// may hold more than was read; done that the stream is over.
	running, stale, done bool
	unchecked            bool // woken by an access change since the last re-check
	stopCtx              func() bool
	timer                *time.Timer // the quiet wake-up (see Options.Quiet)
	finishing            sync.Once

	// cursor is that of the last event handed to the client's buffer.
	cursor string
	err    error
}

// wakeAccess is the bus's callback for the viewer's topics: re-check,
// then read. It must not block.
func (s *stream[T]) wakeAccess() { s.wakeUp(true) }

// wake is the bus's callback for the data's topics: read. It must not block.
func (s *stream[T]) wake() { s.wakeUp(false) }

func (s *stream[T]) wakeUp(access bool) {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return
	}
	s.stale = true
	if access {
		s.unchecked = true
	}
	if s.running {
		s.mu.Unlock()
		select {
		case s.poke <- struct{}{}:
		default:
		}
		return
	}
	s.running = true
	s.mu.Unlock()
	go s.work()
}

// tick is the quiet wake-up: a timer, not a goroutine.
func (s *stream[T]) tick() {
	s.wakeAccess()
	s.mu.Lock()
	if !s.done {
		s.timer.Reset(s.quiet())
	}
	s.mu.Unlock()
}

// quiet is the interval of the next quiet wake-up, jittered so that
// subscriptions opened together do not all wake together.
func (s *stream[T]) quiet() time.Duration {
	d := orDefault(s.h.Quiet, 5*time.Minute)
	return d/2 + rand.N(d)
}

// cancelled runs when the client leaves.
func (s *stream[T]) cancelled() {
	s.mu.Lock()
	s.done = true
	idle := !s.running
	s.mu.Unlock()
	if idle {
		s.finish()
	}
}

// work re-checks and reads until nothing is stale, then ends; the next
// wake-up starts another.
func (s *stream[T]) work() {
	for {
		s.mu.Lock()
		if s.done || !s.stale {
			s.running = false
			done := s.done
			s.mu.Unlock()
			if done {
				s.finish()
			}
			return
		}
		s.stale = false
		check := s.unchecked
		s.unchecked = false
		s.mu.Unlock()
		select {
		case <-s.poke: // covered by this round
		default:
		}
		if (check && !s.recheck(true)) || !s.drain() {
			s.mu.Lock()
			s.done, s.running = true, false
			s.mu.Unlock()
			s.finish()
			return
		}
	}
}

// finish closes the channel once no worker can send on it any more.
func (s *stream[T]) finish() {
	s.finishing.Do(func() {
		s.mu.Lock()
		stop, timer := s.stopCtx, s.timer
		s.mu.Unlock()
		if stop != nil {
			stop()
		}
		if timer != nil {
			timer.Stop()
		}
		s.unsubscribe()
		s.closed.Store(true)
		close(s.out)
		s.kick()
	})
}

// ready tells the pump there is something to deliver: an event, or the end.
func (s *stream[T]) ready() bool { return len(s.out) > 0 || s.closed.Load() }

// kick has the pump deliver what was just queued.
func (s *stream[T]) kick() {
	if s.pump != nil {
		s.pump.kick()
	}
}

func (s *stream[T]) unsubscribe() {
	for _, stop := range s.stops {
		stop()
	}
}

// drain reads and queues events until the database has no more.
func (s *stream[T]) drain() bool {
	page := orDefault(s.h.Page, 100)
	for {
		items, more, err := s.src.Fetch(s.read, page)
		if err != nil {
			if s.ctx.Err() == nil {
				s.end(err, false)
			}
			return false
		}
		for _, it := range items {
			if !s.send(it) {
				return false
			}
		}
		if !more {
			return true
		}
	}
}

// send queues one event. A full buffer is waited on for Stall at most,
// meanwhile still re-checking the viewer on every wake-up, so a slow client
// that is disabled is still cut off at once.
func (s *stream[T]) send(it T) bool {
	select {
	case s.out <- it:
		s.sent(it)
		s.kick()
		return true
	default:
	}
	stall := time.NewTimer(orDefault(s.h.Stall, config.DefaultSlowSubscriber))
	defer stall.Stop()
	for {
		select {
		case s.out <- it:
			s.sent(it)
			s.kick()
			return true
		case <-s.ctx.Done():
			return false
		case <-stall.C:
			e := apperr.Because(apperr.RateLimited, apperr.SlowConsumer,
				"the client fell too far behind; subscribe again after the cursor in extensions.cursor")
			if s.src.Cursor != nil {
				e.Extra = map[string]any{"cursor": s.cursor}
			}
			s.end(e, false)
			return false
		case <-s.poke:
			s.mu.Lock()
			check := s.unchecked
			s.unchecked = false
			s.mu.Unlock()
			if check && !s.recheck(true) {
				return false
			}
		}
	}
}

// sent notes the cursor of an event handed to the client's buffer.
func (s *stream[T]) sent(it T) {
	if s.src.Cursor != nil {
		s.cursor = s.src.Cursor(it)
	}
}

// recheck reloads the viewer; false ends the subscription. The connection
// adopts the fresh viewer too (when it keeps it in a slot, see
// viewer.WithSlot), so the fields of the events it sends are resolved as
// the member is now, not as they were when the connection opened.
func (s *stream[T]) recheck(running bool) bool {
	v, err := s.h.Recheck(s.ctx, s.v)
	if err != nil {
		s.err = err
		if running && s.ctx.Err() == nil {
			// A coded refusal (signed out, disabled) revokes the viewer; an
			// internal error only ends this stream.
			code := apperr.CodeOf(err)
			s.end(err, code != "" && code != apperr.Internal)
		}
		return false
	}
	s.v = v
	s.read = viewer.NewContext(s.ctx, v)
	viewer.Adopt(s.ctx, v)
	return true
}

// end records why the stream ends, and with Source.Closed queues the
// closing event, making room for it if the client's buffer is full.
func (s *stream[T]) end(err error, revoked bool) {
	s.err = err
	if revoked {
		// The connection reads nothing more as this member.
		viewer.Adopt(s.ctx, nil)
	}
	if s.src.Closed == nil {
		fail(s.ctx, err, revoked, true)
		return
	}
	fail(s.ctx, err, revoked, false)
	// Whatever the client has not taken yet is dropped, oldest first, so
	// that the closing event comes right after the last event it got: it
	// resumes from there. (The worker is the only sender.)
	for drained := false; !drained; {
		select {
		case <-s.out:
		default:
			drained = true
		}
	}
	s.out <- s.src.Closed(err)
	s.kick()
}

func orDefault[N int | time.Duration](v, def N) N {
	if v > 0 {
		return v
	}
	return def
}
