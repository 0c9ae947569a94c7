// Package batch gathers single-key loads made at about the same time into
// one bulk load. A fan-out wakes thousands of subscriptions at once; each
// re-checking its viewer alone would be thousands of queries, gathered they
// are a few.
package batch

import (
	"context"
	"sync"
	"time"
)

// Loader gathers Get calls into calls of Load.
type Loader[K comparable, V any] struct {
	// Wait is how long the first key of a round waits for others (default
	// 1ms); a full round goes at once.
	Wait time.Duration
	// Max is the most keys of one round (default 500), under the bound
	// parameters limits of SQLite and PostgreSQL.
	Max int
	// Load loads keys; a key missing from the map is reported as not found.
	Load func(ctx context.Context, keys []K) (map[K]V, error)

	mu  sync.Mutex
	cur *round[K, V]
}

type round[K comparable, V any] struct {
	keys []K
	seen map[K]struct{}
	once sync.Once
	done chan struct{}
	vals map[K]V
	err  error
}

// Get returns the value of key, loaded together with the keys asked for at
// about the same time; ok is false when Load did not return it.
func (l *Loader[K, V]) Get(ctx context.Context, key K) (v V, ok bool, err error) {
	l.mu.Lock()
	r := l.cur
	if r == nil {
		r = &round[K, V]{seen: map[K]struct{}{}, done: make(chan struct{})}
		l.cur = r
		wait := l.Wait
		if wait <= 0 {
			wait = time.Millisecond
		}
		time.AfterFunc(wait, func() { l.fire(r) })
	}
	if _, dup := r.seen[key]; !dup {
		r.seen[key] = struct{}{}
		r.keys = append(r.keys, key)
	}
	full := len(r.keys) >= l.max()
	if full {
		l.cur = nil
	}
	l.mu.Unlock()
	if full {
		l.fire(r)
	}
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

func (l *Loader[K, V]) max() int {
	if l.Max > 0 {
		return l.Max
	}
	return 500
}

// fire loads a round once, whether its timer or its last key comes first.
func (l *Loader[K, V]) fire(r *round[K, V]) {
	r.once.Do(func() {
		l.mu.Lock()
		if l.cur == r {
			l.cur = nil
		}
		l.mu.Unlock()
		// The round outlives any one caller's context.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		r.vals, r.err = l.Load(ctx, r.keys)
		close(r.done)
	})
}
