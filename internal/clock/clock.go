// Package clock is the time source of rules that depend on dates
// (certification expiry, trial reclaim, callback backoff), so that tests can
// move time instead of waiting for it.
//
// The server puts its clock in each request's context; background jobs are
// given it directly. Code that finds no clock uses the real time.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock returns the current time.
type Clock func() time.Time

type ctxKey struct{}

// NewContext returns ctx carrying c.
func NewContext(ctx context.Context, c Clock) context.Context {
	if c == nil {
		return ctx
	}
	return context.WithValue(ctx, ctxKey{}, c)
}

// Now is the time of ctx's clock, or the real time.
func Now(ctx context.Context) time.Time {
	if c, ok := ctx.Value(ctxKey{}).(Clock); ok {
		return c()
	}
	return time.Now()
}

// Fake is a clock that moves only when told, for tests.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a fake clock set at t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake time forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}
