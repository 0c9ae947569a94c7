package apitest

import (
	"time"

	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/config"
)

// NewClock returns a clock standing at the real current time, which a test
// moves by hand (Advance), so that token expiry and login limit windows are
// tested without waiting.
func NewClock() *clock.Fake { return clock.NewFake(time.Now()) }

// WithClock makes the server read the time from c (NewClock, or a
// clock.NewFake that starts at a chosen date).
func WithClock(c *clock.Fake) Option {
	return func(cfg *config.Config) { cfg.Now = c.Now }
}

// WithTokenTTL sets the lifetime of session tokens.
func WithTokenTTL(d time.Duration) Option { return func(cfg *config.Config) { cfg.TokenTTL = d } }

// WithLoginFailures sets how many failed logins an enterprise+login may make
// per 15 minutes (an address: ten times as many).
func WithLoginFailures(n int) Option { return func(cfg *config.Config) { cfg.LoginFailures = n } }
