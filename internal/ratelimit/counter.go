package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/failure"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/clock"
	"github.com/corpline/corpline/internal/policy"
)

// Counter counts failures per key in a sliding window: at most its maximum
// within the window, then blocked until the oldest leaves it.
type Counter interface {
	// Blocked reports whether key has used up its failures, and when it
	// may try again.
	Blocked(ctx context.Context, key string) (bool, time.Duration, error)
	// Fail records a failure of key.
	Fail(ctx context.Context, key string) error
	// Reset forgets key's failures, after a success.
	Reset(ctx context.Context, key string) error
}

// Counters makes the counters of a process, one per scope (a name for
// what is limited: "login", "address" ...).
type Counters func(scope string, max int, window time.Duration) Counter

// Local counts in the process: enough for one process (SQLite).
func Local() Counters {
	return func(_ string, max int, window time.Duration) Counter {
		return local{New(max, window)}
	}
}

type local struct{ l *Limiter }

func (c local) Blocked(ctx context.Context, key string) (bool, time.Duration, error) {
	b, wait := c.l.Blocked(ctx, key)
	return b, wait, nil
}
func (c local) Fail(ctx context.Context, key string) error { c.l.Fail(ctx, key); return nil }
func (c local) Reset(_ context.Context, key string) error  { c.l.Reset(key); return nil }

// Shared counts in the database (table failures), so that every process of
// one database counts against the same limit: N processes do not give an
// attacker N times the attempts. Failures are written beside the request's
// transaction, which a failed attempt rolls back, and outlive a client that
// hangs up. Time is the request's clock (clock.Now).
func Shared(client *ent.Client) Counters {
	return func(scope string, max int, window time.Duration) Counter {
		return &shared{client: client, scope: scope, max: max, window: window}
	}
}

type shared struct {
	client *ent.Client
	scope  string
	max    int
	window time.Duration
}

// hash keeps login strings and addresses out of the table, and bounds the
// key's size whatever a client sends.
func (s *shared) hash(key string) string {
	h := sha256.Sum256([]byte(s.scope + "\x00" + key))
	return hex.EncodeToString(h[:])
}

func (s *shared) Blocked(ctx context.Context, key string) (bool, time.Duration, error) {
	now := clock.Now(ctx)
	ats, err := s.client.Failure.Query().
		Where(failure.Key(s.hash(key)), failure.AtGT(now.Add(-s.window))).
		Order(failure.ByAt()).
		Limit(s.max).
		Select(failure.FieldAt).
		All(policy.SystemContext(ctx))
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", s.scope, err)
	}
	if len(ats) < s.max {
		return false, 0, nil
	}
	return true, ats[0].At.Add(s.window).Sub(now), nil
}

func (s *shared) Fail(ctx context.Context, key string) error {
	ctx = policy.SystemContext(context.WithoutCancel(ctx))
	// Stored to the microsecond, rounded down: PostgreSQL would round to
	// the nearest, and a failure stored later than it happened would block
	// a moment longer than the window.
	now := clock.Now(ctx).Truncate(time.Microsecond)
	if err := s.client.Failure.Create().SetScope(s.scope).SetKey(s.hash(key)).SetAt(now).Exec(ctx); err != nil {
		return fmt.Errorf("rate limit %s: %w", s.scope, err)
	}
	// Expired failures of the scope go as new ones come.
	if _, err := s.client.Failure.Delete().Where(failure.Scope(s.scope), failure.AtLTE(now.Add(-s.window))).Exec(ctx); err != nil {
		return fmt.Errorf("rate limit %s: sweep: %w", s.scope, err)
	}
	return nil
}

func (s *shared) Reset(ctx context.Context, key string) error {
	ctx = policy.SystemContext(context.WithoutCancel(ctx))
	if _, err := s.client.Failure.Delete().Where(failure.Key(s.hash(key))).Exec(ctx); err != nil {
		return fmt.Errorf("rate limit %s: %w", s.scope, err)
	}
	return nil
}

// Keyed is a counter with the key an attempt is counted under.
type Keyed struct {
	Counter Counter
	Key     string
}

// Check fails with RATE_LIMITED, message and extensions.retryAfter (whole
// seconds, rounded up: retrying after that many is never early) when any of
// ks is blocked.
func Check(ctx context.Context, message string, ks ...Keyed) error {
	for _, k := range ks {
		blocked, wait, err := k.Counter.Blocked(ctx, k.Key)
		if err != nil {
			return err
		}
		if blocked {
			e := &apperr.Error{Code: apperr.RateLimited, Message: message}
			e.Extra = map[string]any{"retryAfter": max(1, int(math.Ceil(wait.Seconds())))}
			return e
		}
	}
	return nil
}

// Fail records a failure under each of ks. A failure that cannot be
// recorded is logged: the attempt failed either way.
func Fail(ctx context.Context, ks ...Keyed) {
	for _, k := range ks {
		if err := k.Counter.Fail(ctx, k.Key); err != nil {
			slog.ErrorContext(ctx, "count a failed attempt", "err", err)
		}
	}
}

// Reset forgets k's failures after a success; an error is logged.
func Reset(ctx context.Context, k Keyed) {
	if err := k.Counter.Reset(ctx, k.Key); err != nil {
		slog.ErrorContext(ctx, "reset failed attempts", "err", err)
	}
}
