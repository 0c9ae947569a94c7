package realtime

import (
	"context"
	"sync"
)

// Local is the in-process Bus, for SQLite and tests: one process, no network.
type Local struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

// NewLocal returns an empty in-process bus.
func NewLocal() *Local { return &Local{subs: map[string]map[chan struct{}]struct{}{}} }

// Publish wakes the subscribers of topics without ever blocking: a
// subscriber that has not consumed its last wake-up already has one pending.
func (b *Local) Publish(_ context.Context, topics ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range topics {
		for ch := range b.subs[t] {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
	return nil
}

// Subscribe follows topic until the returned cancel is called.
func (b *Local) Subscribe(topic string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[chan struct{}]struct{}{}
	}
	b.subs[topic][ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs[topic], ch)
			if len(b.subs[topic]) == 0 {
				delete(b.subs, topic)
			}
			b.mu.Unlock()
		})
	}
}

// WakeAll wakes every subscriber of every topic. The PostgreSQL bus calls it
// after its listener reconnects: notifications sent while it was away are
// lost, so every subscriber re-reads the database from its cursor.
func (b *Local) WakeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, subs := range b.subs {
		for ch := range subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

// Subscribers counts the open subscriptions, for tests and metrics.
func (b *Local) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, subs := range b.subs {
		n += len(subs)
	}
	return n
}
