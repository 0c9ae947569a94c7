package ratelimit

import (
	"testing"
	"time"
)

func TestBucketSpendsTheBurstThenRefillsAtTheRate(t *testing.T) {
	now := time.Unix(0, 0)
	b := NewBucket(2, 3)
	b.Now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := b.Take("app"); !ok {
			t.Fatalf("take %d of the burst refused", i)
		}
	}
	ok, wait := b.Take("app")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("fourth take = %v, wait %v; want refused, 500ms", ok, wait)
	}
	if ok, _ := b.Take("other"); !ok {
		t.Fatal("one key's limit held back another")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := b.Take("app"); !ok {
		t.Fatal("no token after the refill time")
	}
	if ok, _ := b.Take("app"); ok {
		t.Fatal("a refilled token was spent twice")
	}
}
