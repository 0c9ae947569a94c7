package ratelimit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/clock"
)

// newTestLimiter returns a limiter and the context of its clock, moved by hand.
func newTestLimiter(max int, window time.Duration) (*Limiter, *clock.Fake, context.Context) {
	c := clock.NewFake(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	return New(max, window), c, clock.NewContext(context.Background(), c.Now)
}

func TestBlocksAfterMaxFailuresUntilTheOldestLeavesTheWindow(t *testing.T) {
	l, c, ctx := newTestLimiter(3, 15*time.Minute)
	for i := range 3 {
		if blocked, _ := l.Blocked(ctx, "acme/sam"); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail(ctx, "acme/sam")
		c.Advance(time.Minute)
	}
	// Failures at 9:00, 9:01, 9:02; now 9:03. Free again at 9:15.
	blocked, wait := l.Blocked(ctx, "acme/sam")
	if !blocked || wait != 12*time.Minute {
		t.Fatalf("Blocked = %v, %v; want true, 12m", blocked, wait)
	}
	c.Advance(12*time.Minute - time.Second)
	if blocked, wait := l.Blocked(ctx, "acme/sam"); !blocked || wait != time.Second {
		t.Fatalf("a second before: %v, %v", blocked, wait)
	}
	c.Advance(time.Second)
	if blocked, _ := l.Blocked(ctx, "acme/sam"); blocked {
		t.Fatalf("still blocked once the oldest failure left the window")
	}
	// The window slides: one more failure blocks again, until 9:16.
	l.Fail(ctx, "acme/sam")
	if blocked, wait := l.Blocked(ctx, "acme/sam"); !blocked || wait != time.Minute {
		t.Fatalf("after another failure: %v, %v; want true, 1m", blocked, wait)
	}
}

func TestKeysAreCountedApartAndResetForgets(t *testing.T) {
	l, _, ctx := newTestLimiter(2, time.Hour)
	l.Fail(ctx, "acme/sam")
	l.Fail(ctx, "acme/sam")
	l.Fail(ctx, "globex/sam")
	if blocked, _ := l.Blocked(ctx, "acme/sam"); !blocked {
		t.Errorf("acme/sam not blocked")
	}
	if blocked, _ := l.Blocked(ctx, "globex/sam"); blocked {
		t.Errorf("globex/sam blocked by acme/sam's failures")
	}
	l.Reset("acme/sam")
	if blocked, _ := l.Blocked(ctx, "acme/sam"); blocked {
		t.Errorf("acme/sam blocked after Reset")
	}
}

func TestExpiredKeysAreDroppedWhenManyKeysPileUp(t *testing.T) {
	l, c, ctx := newTestLimiter(5, time.Minute)
	for i := range 100_001 {
		l.Fail(ctx, fmt.Sprintf("guess-%d", i))
	}
	c.Advance(time.Minute)
	l.Fail(ctx, "fresh")
	if n := len(l.hits); n != 1 {
		t.Errorf("%d keys kept after all but one expired", n)
	}
}
