// Package live runs GraphQL subscriptions over the realtime bus, the same
// way for every subscription:
//
//   - it follows the bus before it reads, so nothing committed between the
//     replay and the live part is missed (no gap), and reads by cursor, so
//     nothing is sent twice (no duplicate);
//   - every wake-up re-checks the viewer (session and member, see
//     auth.Recheck): a disabled member's subscription ends with
//     UNAUTHENTICATED at the next wake-up, and a transferred one reads with
//     its new departments;
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
	"time"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/realtime"
	"github.com/corpline/corpline/internal/viewer"
)

// Options bound subscriptions; zero values take the defaults.
type Options struct {
	// Buffer is how many events wait for a client that has not taken them
	// (default 64).
	Buffer int
	// Stall is how long a full buffer may stay full before the subscription
	// ends with SLOW_CONSUMER (default 5s).
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
	Bus realtime.Bus
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
	// Topics wake the stream, besides the viewer's member and enterprise
	// topics, which it always follows.
	Topics []string
	// Fetch reads at most limit events after the last one it returned (it
	// keeps its own position), as the viewer in ctx may see them. The stream
	// calls it until it returns fewer than limit.
	Fetch func(ctx context.Context, limit int) ([]T, error)
	// Cursor is the cursor of an event, to resume after it.
	Cursor func(T) string
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
	topics := []string{realtime.EnterpriseTopic(v.EnterpriseID)}
	if v.MemberID != "" {
		topics = append(topics, realtime.MemberTopic(v.MemberID))
	}
	topics = append(topics, src.Topics...)
	s := &stream[T]{h: h, src: src, ctx: ctx, v: v, cursor: src.After,
		out:  make(chan T, orDefault(h.Buffer, 64)),
		poke: make(chan struct{}, 1),
		// Until the replay starts, wake-ups only mark the stream stale.
		running: true,
	}
	// Follow first, read second: a commit between the two still wakes us.
	for _, t := range topics {
		s.stops = append(s.stops, h.Bus.SubscribeFunc(t, s.wake))
	}
	if !s.recheck(false) {
		s.unsubscribe()
		return nil, s.err
	}
	s.stale = true
	s.checked = true
	s.stopCtx = context.AfterFunc(ctx, s.cancelled)
	s.timer = time.AfterFunc(s.quiet(), s.tick)
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

	mu sync.Mutex
	// running says a worker goroutine is at work; stale that the database
	// may hold more than was read; done that the stream is over.
	running, stale, done bool
	checked              bool // the viewer was re-checked for this round
	stopCtx              func() bool
	timer                *time.Timer // the quiet wake-up (see Options.Quiet)
	finishing            sync.Once

	// cursor is that of the last event handed to the client's buffer.
	cursor string
	err    error
}

// wake is the bus's callback: it must not block.
func (s *stream[T]) wake() {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return
	}
	s.stale = true
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
	s.wake()
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
		checked := s.checked
		s.checked = false
		s.mu.Unlock()
		select {
		case <-s.poke: // covered by this round
		default:
		}
		if (!checked && !s.recheck(true)) || !s.drain() {
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
		if s.stopCtx != nil {
			s.stopCtx()
		}
		s.mu.Lock()
		if s.timer != nil {
			s.timer.Stop()
		}
		s.mu.Unlock()
		s.unsubscribe()
		close(s.out)
	})
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
		items, err := s.src.Fetch(s.read, page)
		if err != nil {
			if s.ctx.Err() == nil {
				s.end(err)
			}
			return false
		}
		for _, it := range items {
			if !s.send(it) {
				return false
			}
		}
		if len(items) < page {
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
		s.cursor = s.src.Cursor(it)
		return true
	default:
	}
	stall := time.NewTimer(orDefault(s.h.Stall, 5*time.Second))
	defer stall.Stop()
	for {
		select {
		case s.out <- it:
			s.cursor = s.src.Cursor(it)
			return true
		case <-s.ctx.Done():
			return false
		case <-stall.C:
			e := apperr.E(apperr.SlowConsumer,
				"the client fell too far behind; subscribe again after the cursor in extensions.cursor")
			e.Extra = map[string]any{"cursor": s.cursor}
			s.end(e)
			return false
		case <-s.poke:
			if !s.recheck(true) {
				return false
			}
		}
	}
}

// recheck reloads the viewer; false ends the subscription.
func (s *stream[T]) recheck(running bool) bool {
	v, err := s.h.Recheck(s.ctx, s.v)
	if err != nil {
		s.err = err
		if running && s.ctx.Err() == nil {
			fail(s.ctx, err, apperr.CodeOf(err) != "" && apperr.CodeOf(err) != apperr.Internal)
		}
		return false
	}
	s.v = v
	s.read = viewer.NewContext(s.ctx, v)
	return true
}

func (s *stream[T]) end(err error) {
	s.err = err
	fail(s.ctx, err, false)
}

func orDefault[N int | time.Duration](v, def N) N {
	if v > 0 {
		return v
	}
	return def
}
