package apitest

import (
	"sync"
	"time"

	"github.com/corpline/corpline/internal/config"
)

// Clock is a clock a test moves by hand, so that token expiry and login
// limit windows are tested without waiting.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at the real current time.
func NewClock() *Clock { return &Clock{now: time.Now()} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// WithClock makes the server read the time from c (a *Clock, or a
// *clock.Fake that starts at a chosen date).
func WithClock(c interface{ Now() time.Time }) Option {
	return func(cfg *config.Config) { cfg.Now = c.Now }
}

// WithTokenTTL sets the lifetime of session tokens.
func WithTokenTTL(d time.Duration) Option { return func(cfg *config.Config) { cfg.TokenTTL = d } }

// WithLoginFailures sets how many failed logins an enterprise+login may make
// per 15 minutes (an address: ten times as many).
func WithLoginFailures(n int) Option { return func(cfg *config.Config) { cfg.LoginFailures = n } }

// WithPrivateCallbacks lets callbacks reach loopback, where tests run the
// enterprise systems that receive them (--callbacks-allow-private).
func WithPrivateCallbacks() Option {
	return func(cfg *config.Config) { cfg.CallbacksAllowPrivate = true }
}
