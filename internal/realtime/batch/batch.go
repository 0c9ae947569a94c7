// Package batch gathers single-key loads made at about the same time into
// one bulk load. A fan-out wakes thousands of subscriptions at once; each
// reading alone would be thousands of queries, gathered they are a few.
//
// Rounds form by themselves, without waiting on a timer: a key asked while
// the loads in flight are at their limit joins the next round, which goes
// as soon as one of them is done. A key asked when the loader is idle goes
// at once, alone: batching costs no latency when there is nothing to batch.
package batch

import (
	"context"
	"sync"
	"time"
)

// Loader gathers Get calls into calls of Load.
type Loader[K comparable, V any] struct {
	// Max is the most keys of one round (default 500), under the bound
	// parameters limits of SQLite and PostgreSQL.
	Max int
	// InFlight is how many rounds may load at once (default 4).
	InFlight int
	// Load loads keys; a key missing from the map is reported as not found.
	Load func(ctx context.Context, keys []K) (map[K]V, error)

	mu       sync.Mutex
	cur      *round[K, V]   // the round keys join
	queue    []*round[K, V] // rounds waiting to load, cur last
	inflight int
}

type round[K comparable, V any] struct {
	keys []K
	seen map[K]struct{}
	done chan struct{}
	vals map[K]V
	err  error
}

// Get returns the value of key, loaded together with the keys asked for at
// about the same time; ok is false when Load did not return it.
func (l *Loader[K, V]) Get(ctx context.Context, key K) (v V, ok bool, err error) {
	l.mu.Lock()
	if l.cur == nil || len(l.cur.keys) >= l.max() {
		l.cur = &round[K, V]{seen: map[K]struct{}{}, done: make(chan struct{})}
		l.queue = append(l.queue, l.cur)
	}
	r := l.cur
	if _, dup := r.seen[key]; !dup {
		r.seen[key] = struct{}{}
		r.keys = append(r.keys, key)
	}
	l.mu.Unlock()
	l.drive()
	select {
	case <-r.done:
	case <-ctx.Done():
		return v, false, ctx.Err()
	}
	if r.err != nil {
		return v, false, r.err
	}
	v, ok = r.vals[key]
	return v, ok, nil
}

// drive loads waiting rounds while there is room in flight, in the calling
// goroutine; whoever finishes a load takes the next waiting round.
func (l *Loader[K, V]) drive() {
	for {
		l.mu.Lock()
		if l.inflight >= l.limit() || len(l.queue) == 0 {
			l.mu.Unlock()
			return
		}
		r := l.queue[0]
		l.queue = l.queue[1:]
		if l.cur == r {
			l.cur = nil
		}
		l.inflight++
		l.mu.Unlock()
		// The round outlives any one caller's context.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		r.vals, r.err = l.Load(ctx, r.keys)
		cancel()
		close(r.done)
		l.mu.Lock()
		l.inflight--
		l.mu.Unlock()
	}
}

func (l *Loader[K, V]) max() int {
	if l.Max > 0 {
		return l.Max
	}
	return 500
}

func (l *Loader[K, V]) limit() int {
	if l.InFlight > 0 {
		return l.InFlight
	}
	return 4
}
