package ratelimit

import (
	"sync"
	"time"
)

// Bucket is a token bucket per key: Rate tokens a second, up to Burst
// saved. It limits how fast one sender may send, not how much.
//
// Like Limiter, it counts per process.
type Bucket struct {
	Rate  float64
	Burst float64
	Now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewBucket returns a bucket of rate tokens a second with burst saved.
func NewBucket(rate float64, burst int) *Bucket {
	return &Bucket{Rate: rate, Burst: float64(burst), Now: time.Now, buckets: map[string]*bucket{}}
}

// Take spends one token of key. When none is left it spends nothing and
// says how long until one is.
func (b *Bucket) Take(key string) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.Now()
	k := b.buckets[key]
	if k == nil {
		if len(b.buckets) >= 100_000 { // bound memory: full buckets carry no state
			b.prune(now)
		}
		k = &bucket{tokens: b.Burst, at: now}
		b.buckets[key] = k
	}
	k.tokens = min(b.Burst, k.tokens+now.Sub(k.at).Seconds()*b.Rate)
	k.at = now
	if k.tokens >= 1 {
		k.tokens--
		return true, 0
	}
	return false, time.Duration((1 - k.tokens) / b.Rate * float64(time.Second))
}

func (b *Bucket) prune(now time.Time) {
	for key, k := range b.buckets {
		if k.tokens+now.Sub(k.at).Seconds()*b.Rate >= b.Burst {
			delete(b.buckets, key)
		}
	}
}
