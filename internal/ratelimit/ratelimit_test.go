package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

// clock is a hand-moved time for the limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestLimiter(max int, window time.Duration) (*Limiter, *clock) {
	c := &clock{t: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	l := New(max, window)
	l.Now = c.now
	return l, c
}

func TestBlocksAfterMaxFailuresUntilTheOldestLeavesTheWindow(t *testing.T) {
	l, c := newTestLimiter(3, 15*time.Minute)
	for i := range 3 {
		if blocked, _ := l.Blocked("acme/sam"); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail("acme/sam")
		c.advance(time.Minute)
	}
	// Failures at 9:00, 9:01, 9:02; now 9:03. Free again at 9:15.
	blocked, wait := l.Blocked("acme/sam")
	if !blocked || wait != 12*time.Minute {
		t.Fatalf("Blocked = %v, %v; want true, 12m", blocked, wait)
	}
	c.advance(12*time.Minute - time.Second)
	if blocked, wait := l.Blocked("acme/sam"); !blocked || wait != time.Second {
		t.Fatalf("a second before: %v, %v", blocked, wait)
	}
	c.advance(time.Second)
	if blocked, _ := l.Blocked("acme/sam"); blocked {
		t.Fatalf("still blocked once the oldest failure left the window")
	}
	// The window slides: one more failure blocks again, until 9:16.
	l.Fail("acme/sam")
	if blocked, wait := l.Blocked("acme/sam"); !blocked || wait != time.Minute {
		t.Fatalf("after another failure: %v, %v; want true, 1m", blocked, wait)
	}
}

func TestKeysAreCountedApartAndResetForgets(t *testing.T) {
	l, _ := newTestLimiter(2, time.Hour)
	l.Fail("acme/sam")
	l.Fail("acme/sam")
	l.Fail("globex/sam")
	if blocked, _ := l.Blocked("acme/sam"); !blocked {
		t.Errorf("acme/sam not blocked")
	}
	if blocked, _ := l.Blocked("globex/sam"); blocked {
		t.Errorf("globex/sam blocked by acme/sam's failures")
	}
	l.Reset("acme/sam")
	if blocked, _ := l.Blocked("acme/sam"); blocked {
		t.Errorf("acme/sam blocked after Reset")
	}
}

func TestExpiredKeysAreDroppedWhenManyKeysPileUp(t *testing.T) {
	l, c := newTestLimiter(5, time.Minute)
	for i := range 100_001 {
		l.Fail(fmt.Sprintf("guess-%d", i))
	}
	c.advance(time.Minute)
	l.Fail("fresh")
	if n := len(l.hits); n != 1 {
		t.Errorf("%d keys kept after all but one expired", n)
	}
}
