// Package ratelimit counts failures per key in a sliding window, to slow
// down password guessing.
//
// The counts live in the process: with several server processes each keeps
// its own, so the effective limit is the per-process limit times the number
// of processes. That is stated in the README.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/corpline/corpline/internal/clock"
)

// Limiter allows at most Max failures per key within Window. It reads the
// time from the request's clock (clock.Now).
type Limiter struct {
	Max    int
	Window time.Duration

	mu   sync.Mutex
	hits map[string][]time.Time
}

// New returns a limiter of max failures per window.
func New(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, hits: map[string][]time.Time{}}
}

// Blocked reports whether key has used up its failures, and when it may try again.
func (l *Limiter) Blocked(ctx context.Context, key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := clock.Now(ctx)
	h := l.prune(key, now)
	if len(h) < l.Max {
		return false, 0
	}
	return true, h[0].Add(l.Window).Sub(now)
}

// Fail records a failure for key.
func (l *Limiter) Fail(ctx context.Context, key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := clock.Now(ctx)
	l.hits[key] = append(l.prune(key, now), now)
	if len(l.hits) > 100_000 { // bound memory under a spray of distinct keys
		for k := range l.hits {
			if len(l.prune(k, now)) == 0 {
				delete(l.hits, k)
			}
		}
	}
}

// Reset forgets key's failures, after a success.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

func (l *Limiter) prune(key string, now time.Time) []time.Time {
	h := l.hits[key]
	i := 0
	for i < len(h) && now.Sub(h[i]) >= l.Window {
		i++
	}
	h = h[i:]
	if len(h) == 0 {
		delete(l.hits, key)
		return nil
	}
	l.hits[key] = h
	return h
}
